import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useTestBroker, waitFor } from './helpers/broker.js';
import { collectingConsumer, quickGroup } from './helpers/consume.js';
import { compactedTopic } from './helpers/compacted-topic.js';
import { prng } from './helpers/prng.js';

const run = promisify(execFile);
const hasKcat = spawnSync('kcat', ['-V']).status === 0;
const TOPIC = 'merged-compacted';
const WRITES = 300;

const logFiles = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith('.log')).sort();
const baseOf = (file: string) => BigInt(file.slice(0, 20));

/**
 * After the cleaner has merged small cleaned segments into fewer files with gaps in their offsets,
 * clients we did not write fetch from any offset: the first record they get is the first one at
 * or after it, and they read on to the end.
 */
describe('merged cleaned segments, read from any offset by kafkajs and kcat', () => {
  // the cleaner's timer out of the way: the test runs the pass itself, after counting the files
  const broker = useTestBroker({ logCleanerIntervalMs: 3_600_000 });

  it('fewer files, the same records at their original offsets, and a fetch from any offset starts at the next record', async () => {
    const kafka = broker().kafka();
    const admin = kafka.admin();
    await admin.connect();
    // a compacted topic of small segments, one record per request; its cleaner runs when the test says
    await admin.createTopics({ topics: [compactedTopic(TOPIC, { 'segment.bytes': '1024', 'segment.ms': '100', 'min.cleanable.dirty.ratio': '0' })] });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    const random = prng(11);
    try {
      for (let i = 0; i < WRITES; i++) {
        // a few hot keys and a long tail of cold ones: cleaning leaves most segments a record or two
        const key = `k${Math.floor(random() ** 3 * 60)}`;
        await producer.send({ topic: TOPIC, acks: 1, messages: [{ key, value: `v${i}` }] });
      }
    } finally {
      await producer.disconnect();
    }
    const pdir = path.join(broker().dataDir, `${TOPIC}-0`);
    const before = logFiles(pdir);
    expect(before.length).toBeGreaterThan(15);
    const log = broker().engine.partition(TOPIC, 0)!;
    const end = log.highWatermark;
    const writtenAt = new Map(log.readRecords(0n, 10_000).map((r) => [r.offset, `${r.key}=${r.value}`]));
    const latestOffsets = new Set(new Map([...writtenAt].map(([offset, kv]) => [kv.split('=')[0], offset])).values());

    // one cleaner pass, as the broker's timer runs it (past segment.ms, so the active segment rolls first)
    await broker().engine.enforceRetention(Date.now() + 1_000);
    const left = log.readRecords(log.logStartOffset, 10_000).map((r) => ({ offset: r.offset, kv: `${r.key}=${r.value}` }));
    expect(new Set(left.map((r) => r.offset))).toEqual(latestOffsets);
    for (const r of left) expect(r.kv).toBe(writtenAt.get(r.offset)); // each at its original offset
    expect(log.highWatermark).toBe(end);

    // merged, not only emptied: far fewer files, and records of segments whose files are gone now
    // live in an earlier file (offsets with gaps in one segment)
    const after = logFiles(pdir);
    expect(after.length).toBeLessThan(before.length / 3);
    const afterBases = new Set(after.map(baseOf));
    const originalSegmentOf = (offset: bigint) => before.map(baseOf).filter((b) => b <= offset).pop()!;
    const moved = left.filter((r) => !afterBases.has(originalSegmentOf(r.offset)));
    expect(moved.length).toBeGreaterThan(0);

    // offsets to fetch from: the start, every file's base and the offset after it, the offsets in
    // gaps just after kept records, a moved record's own offset, and the last record
    const interesting = new Set<bigint>([0n, left[left.length - 1].offset, moved[0].offset]);
    for (const b of afterBases) for (const o of [b, b + 1n]) interesting.add(o);
    for (const r of left) if (!left.some((x) => x.offset === r.offset + 1n)) interesting.add(r.offset + 1n);
    const offsets = [...interesting].filter((o) => o < end).sort((a, b) => Number(a - b));
    // spread over the log when there are many
    const picked = offsets.filter((_, i) => i % Math.ceil(offsets.length / 16) === 0);
    const expectedFrom = (o: bigint) => left.filter((r) => r.offset >= o).map((r) => `${r.offset} ${r.kv}`);

    if (hasKcat) {
      for (const o of picked) {
        const { stdout } = await run('kcat', ['-C', '-b', broker().brokers, '-t', TOPIC, '-p', '0', '-o', String(o), '-e', '-f', '%o %k=%s\\n'], { timeout: 30_000 });
        expect(stdout.trim().split('\n'), `kcat -o ${o}`).toEqual(expectedFrom(o));
      }
    }

    // kafkajs: one consumer, sought to each offset in turn once it has read to the end
    const c = await collectingConsumer(kafka, quickGroup('merged-reader'), TOPIC);
    try {
      const last = `${left[left.length - 1].offset}`;
      await waitFor(() => c.received.some((r) => r.offset === last), 30_000, 'kafkajs read to the end');
      for (const o of picked) {
        c.received.length = 0;
        c.consumer.seek({ topic: TOPIC, partition: 0, offset: String(o) });
        await waitFor(() => c.received.some((r) => r.offset === last), 30_000, `kafkajs from ${o} to the end`);
        expect(c.received.map((r) => `${r.offset} ${r.key}=${r.value}`), `kafkajs from ${o}`).toEqual(expectedFrom(o));
      }
    } finally {
      await c.consumer.disconnect();
    }

    // and after a restart (indexes rebuilt from the merged files) the same
    const restarted = await broker.restart();
    const reopened = restarted.engine.partition(TOPIC, 0)!;
    expect(reopened.readRecords(reopened.logStartOffset, 10_000).map((r) => `${r.offset} ${r.key}=${r.value}`)).toEqual(expectedFrom(0n));
    if (hasKcat) {
      const o = picked[Math.floor(picked.length / 2)];
      const { stdout } = await run('kcat', ['-C', '-b', restarted.brokers, '-t', TOPIC, '-p', '0', '-o', String(o), '-e', '-f', '%o %k=%s\\n'], { timeout: 30_000 });
      expect(stdout.trim().split('\n'), `kcat -o ${o} after restart`).toEqual(expectedFrom(o));
    }
  }, 180_000);
});
