import { describe, expect, it } from 'vitest';
import { openLogEngine } from '../../src/storage/index.js';
import { partitionFiles, useEngine } from './helpers.js';

const t = useEngine();

const value = (n: number) => Buffer.alloc(n, 120);

describe('offsetForTimestamp', () => {
  it('finds the earliest offset whose timestamp is >= the target, across segments and through the time index', async () => {
    await t.engine.createTopic('times', { segmentBytes: 20_000 });
    const log = t.engine.partition('times', 0)!;
    // 300 batches of 2 records, timestamps 1000, 1010, ... (record i at 1000 + 5*i); big enough
    // values that both segments and sparse index entries are exercised
    for (let b = 0; b < 300; b++) {
      await log.append([
        { key: null, value: value(60), timestamp: BigInt(1000 + 10 * b) },
        { key: null, value: value(60), timestamp: BigInt(1005 + 10 * b) },
      ]);
    }
    expect(log.offsetForTimestamp(0n)).toBe(0n);
    expect(log.offsetForTimestamp(1000n)).toBe(0n);
    expect(log.offsetForTimestamp(1001n)).toBe(1n);
    expect(log.offsetForTimestamp(1005n)).toBe(1n);
    expect(log.offsetForTimestamp(1006n)).toBe(2n);
    expect(log.offsetForTimestamp(2503n)).toBe(301n);
    expect(log.offsetForTimestamp(3995n)).toBe(599n);
    expect(log.offsetForTimestamp(3996n)).toBeNull();
    expect(log.findByTimestamp(2503n)).toEqual({ offset: 301n, timestamp: 2505n });
    expect(log.findByTimestamp(3996n)).toBeNull();
    for (let t = 1000; t <= 3995; t += 37) {
      expect(log.offsetForTimestamp(BigInt(t))).toBe(BigInt(Math.ceil((t - 1000) / 5)));
    }
  });

  it('follows offset order when timestamps are not monotonic (Kafka ListOffsets semantics)', async () => {
    await t.engine.createTopic('unordered');
    const log = t.engine.partition('unordered', 0)!;
    const ts = [500, 100, 900, 300, 700];
    for (const t of ts) await log.append([{ key: null, value: null, timestamp: BigInt(t) }]);
    expect(log.offsetForTimestamp(200n)).toBe(0n);
    expect(log.offsetForTimestamp(600n)).toBe(2n);
    expect(log.offsetForTimestamp(800n)).toBe(2n);
    expect(log.offsetForTimestamp(901n)).toBeNull();
  });

  it('still answers after a reopen (time index read from disk)', async () => {
    await t.engine.createTopic('times2', { segmentBytes: 2048 });
    for (let b = 0; b < 100; b++) await t.engine.partition('times2', 0)!.append([{ key: null, value: value(100), timestamp: BigInt(10 * b) }]);
    await t.engine.close();
    t.engine = await openLogEngine({ dataDir: t.dir });
    const log = t.engine.partition('times2', 0)!;
    expect(log.offsetForTimestamp(455n)).toBe(46n);
    expect(log.offsetForTimestamp(990n)).toBe(99n);
    expect(log.offsetForTimestamp(991n)).toBeNull();
  });
});

describe('retention', () => {
  it('by size deletes whole oldest segments, never the active one, and advances logStartOffset', async () => {
    await t.engine.createTopic('bysize', { segmentBytes: 2048, retentionBytes: 5000, retentionMs: -1 });
    const log = t.engine.partition('bysize', 0)!;
    for (let i = 0; i < 60; i++) await log.append([{ key: null, value: value(200), timestamp: BigInt(Date.now()) }]);
    const before = partitionFiles(t.dir, 'bysize', 0).filter((f) => f.endsWith('.log'));
    expect(before.length).toBeGreaterThan(4);
    const sizeBefore = log.sizeBytes();
    await t.engine.enforceRetention();
    const after = partitionFiles(t.dir, 'bysize', 0).filter((f) => f.endsWith('.log'));
    expect(after.length).toBeLessThan(before.length);
    expect(after).toEqual(before.slice(before.length - after.length));
    expect(log.sizeBytes()).toBeLessThan(sizeBefore);
    expect(log.sizeBytes()).toBeGreaterThanOrEqual(5000 - 2048);
    expect(log.sizeBytes()).toBeLessThan(5000 + 2048);
    const start = log.logStartOffset;
    expect(after[0]).toBe(String(start).padStart(20, '0') + '.log');
    expect(start).toBeGreaterThan(0n);
    // the first remaining record is readable; anything before it is out of range
    expect(log.readRecords(start, 1)[0].offset).toBe(start);
    expect(() => log.read(start - 1n, 100)).toThrow(/outside/);
    expect(log.highWatermark).toBe(60n);
  });

  it('by age deletes segments whose newest record is older than retentionMs', async () => {
    await t.engine.createTopic('byage', { segmentBytes: 1024, retentionMs: 60_000 });
    const log = t.engine.partition('byage', 0)!;
    const now = 10_000_000;
    // old records (an hour ago), then recent ones
    for (let i = 0; i < 20; i++) await log.append([{ key: null, value: value(200), timestamp: BigInt(now - 3_600_000 + i) }]);
    for (let i = 0; i < 20; i++) await log.append([{ key: null, value: value(200), timestamp: BigInt(now - 1000 + i) }]);
    const before = partitionFiles(t.dir, 'byage', 0).filter((f) => f.endsWith('.log'));
    await t.engine.enforceRetention(now);
    const start = log.logStartOffset;
    // every old record went, whole segments only, and no recent record did
    expect(start).toBeGreaterThan(0n);
    expect(start).toBeLessThanOrEqual(20n);
    const first = log.readRecords(start, 1)[0];
    expect(first.offset).toBe(start);
    const remaining = log.readRecords(start, 100);
    expect(remaining.filter((r) => r.timestamp >= BigInt(now - 1000))).toHaveLength(20);
    const after = partitionFiles(t.dir, 'byage', 0).filter((f) => f.endsWith('.log'));
    expect(after.length).toBeLessThan(before.length);

    // far in the future every record has expired: the active segment is rolled and deleted too,
    // leaving an empty log that starts at the high watermark
    await t.engine.enforceRetention(now + 10 * 3_600_000);
    expect(partitionFiles(t.dir, 'byage', 0).filter((f) => f.endsWith('.log'))).toEqual(['00000000000000000040.log']);
    expect(log.highWatermark).toBe(40n);
    expect(log.logStartOffset).toBe(40n);
    expect(log.read(40n, 100).data.length).toBe(0);
    expect((await log.append([{ key: null, value: value(1), timestamp: BigInt(now + 10 * 3_600_000) }])).baseOffset).toBe(40n);
    await t.engine.enforceRetention(now + 10 * 3_600_000);
    expect(log.readRecords(40n, 10)).toHaveLength(1);
  });

  it('retention survives a reopen: logStartOffset comes from the first remaining segment', async () => {
    await t.engine.createTopic('keep', { segmentBytes: 1024, retentionBytes: 2048, retentionMs: -1 });
    for (let i = 0; i < 30; i++) await t.engine.partition('keep', 0)!.append([{ key: null, value: value(200), timestamp: 1n }]);
    await t.engine.enforceRetention();
    const start = t.engine.partition('keep', 0)!.logStartOffset;
    expect(start).toBeGreaterThan(0n);
    await t.engine.close();
    t.engine = await openLogEngine({ dataDir: t.dir });
    expect(t.engine.partition('keep', 0)!.logStartOffset).toBe(start);
    expect(t.engine.partition('keep', 0)!.highWatermark).toBe(30n);
  });
});
