import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLogEngine, type LogEngine } from '../../src/storage/index.js';
import { batchOf, partitionFiles, records, removeDir, tempDir } from './helpers.js';

let dir: string;
let engine: LogEngine | undefined;

beforeEach(() => {
  dir = tempDir();
});
afterEach(async () => {
  await engine?.close();
  engine = undefined;
  removeDir(dir);
});

const segmentFile = (topic: string, base: number, ext: string) => path.join(dir, `${topic}-0`, String(base).padStart(20, '0') + ext);
const values = (e: LogEngine, topic: string) => e.partition(topic, 0)!.readRecords(0n, 10_000).map((r) => r.value?.toString());

/** simulate a crash: drop the engine without close(), so no clean-shutdown marker is written */
function crash(): void {
  engine = undefined;
}

describe('recovery', () => {
  it('keeps topics, offsets and data across a clean restart', async () => {
    engine = await openLogEngine({ dataDir: dir });
    await engine.createTopic('kept', { partitions: 3, segmentBytes: 4096, retentionMs: 123_456 });
    for (let p = 0; p < 3; p++) for (let i = 0; i < 30; i++) await engine.partition('kept', p)!.append(records(2, `p${p}-${i}`, 1n, 50));
    await engine.close();
    expect(fs.existsSync(path.join(dir, '.clean-shutdown'))).toBe(true);

    engine = await openLogEngine({ dataDir: dir });
    expect(fs.existsSync(path.join(dir, '.clean-shutdown'))).toBe(false);
    expect(engine.topic('kept')?.config).toEqual({ partitions: 3, segmentBytes: 4096, retentionMs: 123_456, retentionBytes: -1, cleanupPolicy: 'delete', segmentMs: 604_800_000, minCleanableDirtyRatio: 0.5, deleteRetentionMs: 86_400_000 });
    for (let p = 0; p < 3; p++) {
      const log = engine.partition('kept', p)!;
      expect(log.highWatermark).toBe(60n);
      expect(log.readRecords(58n, 5).map((r) => r.value?.toString().replace(/\.+$/, ''))).toEqual([`p${p}-29-0`, `p${p}-29-1`]);
      expect((await log.append(records(1, 'new'))).baseOffset).toBe(60n);
    }
  });

  it('truncates a torn tail (half a batch) after a crash and accepts new appends', async () => {
    engine = await openLogEngine({ dataDir: dir });
    await engine.createTopic('torn');
    const log = engine.partition('torn', 0)!;
    for (let i = 0; i < 10; i++) await log.append(records(3, `r${i}`), 'fsync');
    const goodSize = log.sizeBytes();
    crash();
    // a write cut short by the crash: the first half of one more batch
    const half = batchOf(3, 'torn');
    half.writeBigInt64BE(30n, 0);
    fs.appendFileSync(segmentFile('torn', 0, '.log'), half.subarray(0, Math.floor(half.length / 2)));

    engine = await openLogEngine({ dataDir: dir });
    const again = engine.partition('torn', 0)!;
    expect(again.highWatermark).toBe(30n);
    expect(fs.statSync(segmentFile('torn', 0, '.log')).size).toBe(goodSize);
    expect(values(engine, 'torn')).toEqual(Array.from({ length: 30 }, (_, i) => `r${Math.floor(i / 3)}-${i % 3}`));
    expect((await again.append(records(2, 'after'), 'fsync')).baseOffset).toBe(30n);
    expect(values(engine, 'torn').slice(-2)).toEqual(['after-0', 'after-1']);
  });

  it('truncates at the first CRC-invalid batch and drops garbage after it', async () => {
    engine = await openLogEngine({ dataDir: dir });
    await engine.createTopic('garbage');
    const log = engine.partition('garbage', 0)!;
    for (let i = 0; i < 5; i++) await log.append(records(2, `g${i}`));
    const sizeAfterFour = (() => {
      const all = log.read(0n, 1 << 20).data;
      let p = 0;
      for (let i = 0; i < 4; i++) p += 12 + all.readInt32BE(p + 8);
      return p;
    })();
    crash();
    const file = segmentFile('garbage', 0, '.log');
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.from([0xde, 0xad]), 0, 2, sizeAfterFour + 70); // inside batch 5's records
    fs.closeSync(fd);
    fs.appendFileSync(file, Buffer.alloc(500, 0x5a));

    engine = await openLogEngine({ dataDir: dir });
    expect(engine.partition('garbage', 0)!.highWatermark).toBe(8n);
    expect(fs.statSync(file).size).toBe(sizeAfterFour);
    expect(values(engine, 'garbage')).toEqual(['g0-0', 'g0-1', 'g1-0', 'g1-1', 'g2-0', 'g2-1', 'g3-0', 'g3-1']);
  });

  it('rebuilds a deleted or corrupt .index/.timeindex and still finds offsets and timestamps', async () => {
    engine = await openLogEngine({ dataDir: dir });
    await engine.createTopic('idx', { segmentBytes: 30_000 });
    const log = engine.partition('idx', 0)!;
    for (let i = 0; i < 200; i++) await log.append([{ key: null, value: Buffer.alloc(300, 65 + (i % 26)), timestamp: BigInt(1000 + i) }]);
    await engine.close();
    engine = undefined;
    const logs = partitionFiles(dir, 'idx', 0).filter((f) => f.endsWith('.log'));
    expect(logs.length).toBeGreaterThan(1);
    const sealedIndex = segmentFile('idx', 0, '.index');
    const originalIndex = fs.readFileSync(sealedIndex);
    expect(originalIndex.length).toBeGreaterThan(8);
    fs.rmSync(sealedIndex);
    fs.writeFileSync(segmentFile('idx', 0, '.timeindex'), Buffer.from('garbage!!'));

    engine = await openLogEngine({ dataDir: dir });
    expect(fs.readFileSync(sealedIndex).equals(originalIndex)).toBe(true);
    const again = engine.partition('idx', 0)!;
    expect(again.highWatermark).toBe(200n);
    expect(again.readRecords(77n, 1)[0].value?.[0]).toBe(65 + (77 % 26));
    expect(again.offsetForTimestamp(1050n)).toBe(50n);
    expect(again.offsetForTimestamp(1199n)).toBe(199n);
  });

  it('recovers the active segment fully when there was no clean shutdown (indexes never written)', async () => {
    engine = await openLogEngine({ dataDir: dir });
    await engine.createTopic('dirty', { segmentBytes: 10_000 });
    const log = engine.partition('dirty', 0)!;
    for (let i = 0; i < 100; i++) await log.append([{ key: null, value: Buffer.alloc(200, 1), timestamp: BigInt(i) }], 'fsync');
    crash();
    engine = await openLogEngine({ dataDir: dir });
    const again = engine.partition('dirty', 0)!;
    expect(again.highWatermark).toBe(100n);
    expect(again.readRecords(0n, 1000).map((r) => r.timestamp)).toEqual(Array.from({ length: 100 }, (_, i) => BigInt(i)));
    expect(again.offsetForTimestamp(97n)).toBe(97n);
  });

  it('a fresh engine cannot see a topic deleted before a crash, and recreating it starts empty', async () => {
    engine = await openLogEngine({ dataDir: dir });
    await engine.createTopic('gone');
    await engine.partition('gone', 0)!.append(records(3, 'x'));
    await engine.deleteTopic('gone');
    expect(fs.existsSync(path.join(dir, 'gone-0'))).toBe(false);
    crash();
    engine = await openLogEngine({ dataDir: dir });
    expect(engine.topic('gone')).toBeUndefined();
    await engine.createTopic('gone');
    expect(engine.partition('gone', 0)!.highWatermark).toBe(0n);
  });
});
