// Segment files of a compacted topic over many cleaning passes (the cleaner's merging of small
// cleaned segments): each pass overwrites keys drawn skewed from a large key space (a few hot keys,
// a long tail of cold ones, one record per append), then cleans; every few passes it prints the
// records left, the partition's `.log` files, its bytes and this process's open descriptors.
// Run: npx tsx services/streamlog/bench/cleaner-segments.ts [passes 40] [writes per pass 200]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openLogEngine } from '../src/storage/index.js';
import type { PartitionLogImpl } from '../src/storage/partition-log.js';

const passes = Number(process.argv[2] ?? 40);
const writes = Number(process.argv[3] ?? 200);
const SEGMENT_BYTES = 4096;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-streamlog-cleaner-segments-'));
try {
  const engine = await openLogEngine({ dataDir: dir, retentionCheckMs: 3_600_000 });
  await engine.createTopic('state', { partitions: 1, cleanupPolicy: 'compact', segmentBytes: SEGMENT_BYTES, segmentMs: 1, minCleanableDirtyRatio: 0, deleteRetentionMs: 3_600_000 });
  const log = engine.partition('state', 0)! as unknown as PartitionLogImpl;
  const files = () => fs.readdirSync(path.join(dir, 'state-0')).filter((f) => f.endsWith('.log')).length;
  const fds = () => fs.readdirSync('/proc/self/fd').length;
  let seed = 42;
  let now = 0;
  for (let pass = 0; pass <= passes; pass++) {
    for (let i = 0; i < writes; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648; // a fixed LCG: the same keys every run
      const key = Math.floor((seed / 2147483648) ** 3 * writes * 10);
      await log.append([{ key: Buffer.from(`k${key}`), value: Buffer.from(`p${pass}`.padEnd(100, '.')), timestamp: 1_000n }]);
    }
    now = Math.max(now, Date.now()) + 10; // past segment.ms: the pass rolls the active segment
    await log.compact(now);
    if (pass % Math.max(1, Math.floor(passes / 10)) === 0 || pass === passes) {
      const records = log.readRecords(log.logStartOffset, 10_000_000).length;
      console.log(`pass ${pass}: written ${(pass + 1) * writes}, records ${records}, segment files ${files()}, bytes ${log.sizeBytes()} (floor ${Math.ceil(log.sizeBytes() / SEGMENT_BYTES)} files of segment.bytes ${SEGMENT_BYTES}), open fds ${fds()}`);
    }
  }
  await engine.close();
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
