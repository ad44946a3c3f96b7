import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLogEngine } from '../../src/storage/index.js';
import type { PartitionLog } from '../../src/storage/contract.js';
import type { PartitionLogImpl } from '../../src/storage/partition-log.js';
import { prng } from '../helpers/prng.js';
import { partitionFiles, removeDir, tempDir, useEngine } from './helpers.js';
import { InjectedCrash, stopAtChange } from './fixtures/fs-steps.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const crashCleaner = path.join(here, 'fixtures', 'crash-cleaner.ts');
/** `--import tsx` resolves from the working directory: the repository root, where tsx is installed */
const repoRoot = path.resolve(here, '../../../..');
const SEGMENT_BYTES = 1024;

interface Written {
  offset: bigint;
  key: string;
  value: string | null;
}

const compact = (log: PartitionLog, now: number) => (log as unknown as PartitionLogImpl).compact(now);
const logFiles = (dir: string, topic: string) => partitionFiles(dir, topic, 0).filter((f) => f.endsWith('.log'));
const present = (log: PartitionLog) => log.readRecords(log.logStartOffset, 1_000_000).map((r) => ({ offset: r.offset, key: r.key!.toString(), value: r.value?.toString() ?? null }));

/**
 * Writes `count` records, one per append so that segments roll often, with skewed keys: a few hot
 * keys overwritten all the time and a tail of cold ones, so cleaning leaves most sealed segments
 * with a record or two (the state in which unmerged segments piled up). Every tenth write of a
 * hot key is a tombstone.
 */
async function writeSkewed(log: PartitionLog, count: number, seed: number, tag: string): Promise<Written[]> {
  const random = prng(seed);
  const out: Written[] = [];
  for (let i = 0; i < count; i++) {
    const key = `k${Math.floor(random() ** 3 * 40)}`;
    const value = i % 10 === 9 && key < 'k2' ? null : `${tag}${i}`.padEnd(24, '.');
    const res = await log.append([{ key: Buffer.from(key), value: value === null ? null : Buffer.from(value), timestamp: 1_000n }]);
    out.push({ offset: res.baseOffset, key, value });
  }
  return out;
}

/**
 * What a consumer must still see, whatever the cleaner has done so far: offsets ascending, each
 * record exactly as written at that offset, every key's last record its latest write (a key whose
 * latest write is a tombstone may be gone), and a read from any offset starting at the first
 * record at or after it.
 */
function expectConsistent(log: PartitionLog, written: Written[]): void {
  const byOffset = new Map(written.map((w) => [w.offset, w]));
  const records = present(log);
  let previous = -1n;
  for (const r of records) {
    expect(r.offset).toBeGreaterThan(previous);
    previous = r.offset;
    expect(r).toEqual(byOffset.get(r.offset));
  }
  const latest = new Map(written.map((w) => [w.key, w]));
  const lastSeen = new Map(records.map((r) => [r.key, r]));
  for (const [key, w] of latest) {
    if (w.value === null && !lastSeen.has(key)) continue;
    expect(lastSeen.get(key), `key ${key}`).toEqual(w);
  }
  for (let o = log.logStartOffset; o < log.highWatermark; o++) {
    const next = records.find((r) => r.offset >= o);
    expect(log.readRecords(o, 1)[0]?.offset, `read from ${o}`).toBe(next?.offset);
  }
}

/** exactly the latest record per key, tombstones gone (except a last batch, which is always kept) */
function expectCompacted(log: PartitionLog, written: Written[]): void {
  const latest = [...new Map(written.map((w) => [w.key, w])).values()].sort((a, b) => Number(a.offset - b.offset));
  const last = written[written.length - 1];
  expect(present(log)).toEqual(latest.filter((w) => w.value !== null || w === last));
}

describe('the cleaner merges small cleaned segments', () => {
  const t = useEngine();

  it('keeps a compacted topic at a few full segments over many passes; offsets, reads from every offset and a restart unchanged', async () => {
    const { dir, engine } = t;
    await engine.createTopic('merge', { partitions: 1, cleanupPolicy: 'compact', segmentBytes: SEGMENT_BYTES, segmentMs: 1, minCleanableDirtyRatio: 0, deleteRetentionMs: 0 });
    const log = engine.partition('merge', 0)!;
    const written: Written[] = [];
    let now = 0;
    const filesPerPass: number[] = [];
    for (let pass = 0; pass < 12; pass++) {
      written.push(...(await writeSkewed(log, 60, pass + 1, `p${pass}-`)));
      const before = logFiles(dir, 'merge').length;
      // past segment.ms, so the pass rolls the active segment and cleans everything written
      now = Math.max(now, Date.now()) + 10;
      await compact(log, now);
      filesPerPass.push(logFiles(dir, 'merge').length);
      expect(filesPerPass[pass]).toBeLessThan(before);
      expectCompacted(log, written);
    }
    // every sealed group is more than half of segment.bytes or is followed by one that could not
    // join it, so the files are bounded by the bytes, not by the passes: at most two per
    // segment.bytes of data, plus the first segment and the active one
    const bound = 2 * Math.ceil(log.sizeBytes() / SEGMENT_BYTES) + 2;
    expect(Math.max(...filesPerPass.slice(4))).toBeLessThanOrEqual(bound);
    expect(filesPerPass[11]).toBeLessThanOrEqual(filesPerPass[4] + 2);
    // offsets as written: the next record follows the last one written
    expect(log.highWatermark).toBe(written[written.length - 1].offset + 1n);
    expectConsistent(log, written);
    const records = present(log);
    await engine.close();
    t.engine = await openLogEngine({ dataDir: dir });
    const reopened = t.engine.partition('merge', 0)!;
    expect(present(reopened)).toEqual(records);
    expectConsistent(reopened, written);
  });
});

/** runs one cleaning pass in a child that SIGKILLs itself before its `killAt`-th filesystem change */
function runCleaner(dataDir: string, killAt: number, now: number): Promise<{ killed: boolean; changes: number }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', crashCleaner, dataDir, String(killAt), String(now)], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') return resolve({ killed: true, changes: killAt });
      const m = /done (\d+)/.exec(stdout);
      if (code === 0 && m) return resolve({ killed: false, changes: Number(m[1]) });
      reject(new Error(`cleaner child exited with ${code ?? signal}: ${stderr}`));
    });
  });
}

describe('merging cleaned segments across a crash at every step', () => {
  let prepared = '';
  let written: Written[] = [];
  let segmentsBefore = 0;
  /** the filesystem changes of one uninterrupted pass */
  let steps = 0;
  // far enough ahead that every pass, in the children and after them, rolls the active segment (segment.ms)
  const now = Date.now() + 24 * 3_600_000;

  /** what a crash left in `dataDir`: no half-swapped file, a consistent log; a pass after it ends where an uninterrupted one does */
  async function expectRecovered(dataDir: string, what: string): Promise<void> {
    const engine = await openLogEngine({ dataDir, retentionCheckMs: 3_600_000 });
    try {
      const pdir = path.join(dataDir, 'merge-0');
      expect(fs.readdirSync(pdir).filter((f) => f.endsWith('.cleaned') || f.endsWith('.swap')), what).toEqual([]);
      const log = engine.partition('merge', 0)!;
      expect(log.highWatermark, what).toBe(written[written.length - 1].offset + 1n);
      expectConsistent(log, written);
      await compact(log, now + 10);
      expectCompacted(log, written);
      expectConsistent(log, written);
      expect(logFiles(dataDir, 'merge').length, what).toBeLessThanOrEqual(segmentsBefore / 2);
    } finally {
      await engine.close();
    }
  }

  /** one pass in process on a copy of the prepared directory, stopped before change `at` (0: never); the disk as the crash left it */
  async function passStoppedAt(at: number): Promise<{ crashed: boolean; changes: number; dataDir: string }> {
    const live = tempDir();
    fs.cpSync(prepared, live, { recursive: true });
    const engine = await openLogEngine({ dataDir: live, retentionCheckMs: 3_600_000 });
    // from the stop on, every change fails (a dead process changes nothing, not even a cleanup)
    const counter = stopAtChange(at, () => {
      throw new InjectedCrash(`stopped at change ${at}`);
    });
    let crashed = false;
    try {
      await compact(engine.partition('merge', 0)!, now);
    } catch (err) {
      if (!(err instanceof InjectedCrash)) throw err;
      crashed = true;
    } finally {
      counter.restore();
    }
    const dataDir = tempDir();
    fs.cpSync(live, dataDir, { recursive: true });
    fs.rmSync(path.join(dataDir, '.clean-shutdown'), { force: true });
    await engine.close();
    removeDir(live);
    return { crashed, changes: counter.changes(), dataDir };
  }

  beforeAll(async () => {
    // the state the pass starts from: many small segments, most of them holding superseded records
    prepared = tempDir();
    const engine = await openLogEngine({ dataDir: prepared, retentionCheckMs: 3_600_000 });
    await engine.createTopic('merge', { partitions: 1, cleanupPolicy: 'compact', segmentBytes: SEGMENT_BYTES, segmentMs: 1, minCleanableDirtyRatio: 0, deleteRetentionMs: 0 });
    written = await writeSkewed(engine.partition('merge', 0)!, 100, 7, 'w');
    await engine.close();
    segmentsBefore = logFiles(prepared, 'merge').length;
    const whole = await passStoppedAt(0);
    steps = whole.changes;
    removeDir(whole.dataDir);
  });
  afterAll(() => removeDir(prepared));

  it('an injected failure before each filesystem change of the pass leaves a readable log with every latest value and no offset twice', async () => {
    expect(segmentsBefore).toBeGreaterThan(8);
    expect(steps).toBeGreaterThan(20);
    for (let at = 1; at <= steps; at++) {
      const { crashed, dataDir } = await passStoppedAt(at);
      try {
        expect(crashed).toBe(true);
        await expectRecovered(dataDir, `stopped before change ${at} of ${steps}`);
      } finally {
        removeDir(dataDir);
      }
    }
  }, 300_000);

  it('a real SIGKILL of a child process at steps spread over the pass does the same', async () => {
    // a child costs seconds to start on a busy machine: eight kill points, the last one inside the final swap
    const points = Array.from({ length: 8 }, (_, i) => Math.max(1, Math.round(((i + 1) * steps) / 8) - 3));
    for (let i = 0; i < points.length; i += 2) {
      await Promise.all(points.slice(i, i + 2).map(async (killAt) => {
        const dataDir = tempDir();
        try {
          fs.cpSync(prepared, dataDir, { recursive: true });
          expect(await runCleaner(dataDir, killAt, now)).toEqual({ killed: true, changes: killAt });
          await expectRecovered(dataDir, `SIGKILL before change ${killAt} of ${steps}`);
        } finally {
          removeDir(dataDir);
        }
      }));
    }
    // and a child left alone finishes its pass with the same number of changes
    const dataDir = tempDir();
    try {
      fs.cpSync(prepared, dataDir, { recursive: true });
      expect(await runCleaner(dataDir, 0, now)).toEqual({ killed: false, changes: steps });
      await expectRecovered(dataDir, 'a pass not killed');
    } finally {
      removeDir(dataDir);
    }
  }, 300_000);
});
