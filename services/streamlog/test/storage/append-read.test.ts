import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { crc32c } from '@node-rs/crc32';
import { describe, expect, it } from 'vitest';
import { decodeRecordBatches, readBatchHeader } from '../../src/records/index.js';
import { StorageError, openLogEngine } from '../../src/storage/index.js';
import { batchOf, partitionFiles, records, useEngine } from './helpers.js';

const t = useEngine();

function expectStorageError(fn: () => unknown, code: StorageError['kafkaError']): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).kafkaError).toBe(code);
    return;
  }
  throw new Error(`expected StorageError ${code}`);
}

describe('append and read', () => {
  it('assigns dense offsets and reads records back across segment rolls', async () => {
    await t.engine.createTopic('rolls', { segmentBytes: 2048 });
    const log = t.engine.partition('rolls', 0)!;
    for (let b = 0; b < 40; b++) {
      const res = await log.append(records(5, `b${b}`, 10_000n + BigInt(b * 5), 40), b % 3 === 0 ? 'fsync' : 'none');
      expect(res.baseOffset).toBe(BigInt(b * 5));
      expect(res.nextOffset).toBe(BigInt(b * 5 + 5));
    }
    expect(log.highWatermark).toBe(200n);
    const segments = partitionFiles(t.dir, 'rolls', 0).filter((f) => f.endsWith('.log'));
    expect(segments.length).toBeGreaterThan(5);
    expect(segments[0]).toBe('00000000000000000000.log');
    expect(segments[1]).toMatch(/^\d{20}\.log$/);

    const all = log.readRecords(0n, 1000);
    expect(all.map((r) => r.offset)).toEqual(Array.from({ length: 200 }, (_, i) => BigInt(i)));
    expect(all[0].value?.toString()).toMatch(/^b0-0\.+$/);
    expect(all[199].value?.toString()).toMatch(/^b39-4\.+$/);
    expect(all[123].timestamp).toBe(10_123n);

    // from the middle of a batch in the middle of a later segment
    const mid = log.readRecords(137n, 4);
    expect(mid.map((r) => r.offset)).toEqual([137n, 138n, 139n, 140n]);
    expect(mid[0].key?.toString()).toBe('b27-k2');
  });

  it('read returns whole batches starting with the one containing the offset, at most maxBytes but at least one', async () => {
    await t.engine.createTopic('read');
    const log = t.engine.partition('read', 0)!;
    const sent = [batchOf(3, 'a'), batchOf(3, 'b'), batchOf(3, 'c')];
    for (const b of sent) await log.appendBatches(Buffer.from(b), 'none');

    const r = log.read(4n, 1);
    expect(r.highWatermark).toBe(9n);
    expect(r.logStartOffset).toBe(0n);
    expect(r.data.length).toBe(sent[1].length);
    expect(readBatchHeader(r.data).baseOffset).toBe(3n);

    const two = log.read(3n, sent[1].length + sent[2].length - 1);
    expect(decodeRecordBatches(two.data)).toHaveLength(1);
    const everything = log.read(0n, 1 << 20);
    expect(decodeRecordBatches(everything.data).map((b) => b.header.baseOffset)).toEqual([0n, 3n, 6n]);

    expect(log.read(9n, 100).data.length).toBe(0);
    expectStorageError(() => log.read(10n, 100), 'OFFSET_OUT_OF_RANGE');
    expectStorageError(() => log.read(-1n, 100), 'OFFSET_OUT_OF_RANGE');
  });

  it('stores batches byte for byte except baseOffset and partitionLeaderEpoch', async () => {
    await t.engine.createTopic('exact');
    const log = t.engine.partition('exact', 0)!;
    await log.append(records(2, 'first'));
    const sent = batchOf(4, 'second', 55_555n);
    sent.writeInt32BE(-1, 12); // producers send leader epoch -1
    const original = Buffer.from(sent);
    await log.appendBatches(sent, 'fsync');
    const stored = log.read(2n, 1 << 20).data;
    expect(stored.length).toBe(original.length);
    expect(stored.readBigInt64BE(0)).toBe(2n);
    expect(stored.readInt32BE(12)).toBe(0);
    expect(stored.subarray(16).equals(original.subarray(16))).toBe(true);
    expect(stored.readInt32BE(8)).toBe(original.readInt32BE(8));
  });

  it('keeps offsets dense and ordered under concurrent appenders', async () => {
    await t.engine.createTopic('concurrent', { segmentBytes: 8192 });
    const log = t.engine.partition('concurrent', 0)!;
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => log.appendBatches(batchOf(1 + (i % 4), `w${i}`), i % 2 ? 'fsync' : 'none')),
    );
    const ranges = results.map((r) => [Number(r.baseOffset), Number(r.nextOffset)]).sort((a, b) => a[0] - b[0]);
    let expected = 0;
    for (const [base, next] of ranges) {
      expect(base).toBe(expected);
      expected = next;
    }
    expect(log.highWatermark).toBe(BigInt(expected));
    const got = log.readRecords(0n, 1000);
    expect(got.map((r) => r.offset)).toEqual(Array.from({ length: expected }, (_, i) => BigInt(i)));
    // each appender's records are contiguous, in its own order
    for (const [i, res] of results.entries()) {
      const mine = got.slice(Number(res.baseOffset), Number(res.nextOffset));
      expect(mine.map((r) => r.value?.toString())).toEqual(Array.from({ length: 1 + (i % 4) }, (_, j) => `w${i}-${j}`));
    }
  });

  it('appends several batches of one produce request at consecutive offsets', async () => {
    await t.engine.createTopic('multi', { segmentBytes: 1024 });
    const log = t.engine.partition('multi', 0)!;
    const request = Buffer.concat(Array.from({ length: 12 }, (_, i) => batchOf(3, `m${i}`, 1n, 30)));
    const res = await log.appendBatches(request, 'fsync');
    expect(res).toEqual({ baseOffset: 0n, nextOffset: 36n });
    expect(partitionFiles(t.dir, 'multi', 0).filter((f) => f.endsWith('.log')).length).toBeGreaterThan(1);
    expect(log.readRecords(0n, 100).map((r) => r.value?.toString().replace(/\.+$/, ''))).toEqual(
      Array.from({ length: 36 }, (_, i) => `m${Math.floor(i / 3)}-${i % 3}`),
    );
  });

  it('rejects a produce with one corrupt batch and stores none of it', async () => {
    await t.engine.createTopic('corrupt');
    const log = t.engine.partition('corrupt', 0)!;
    await log.append(records(2, 'ok'));
    const before = log.sizeBytes();
    const bad = batchOf(2, 'bad');
    bad[bad.length - 1] ^= 0xff;
    const request = Buffer.concat([batchOf(2, 'fine'), bad]);
    await expect(log.appendBatches(request, 'fsync')).rejects.toMatchObject({ kafkaError: 'CORRUPT_MESSAGE', message: expect.stringMatching(/CRC/) });
    await expect(log.appendBatches(Buffer.from('not a batch at all, just text'), 'none')).rejects.toMatchObject({ kafkaError: 'CORRUPT_MESSAGE' });
    expect(log.highWatermark).toBe(2n);
    expect(log.sizeBytes()).toBe(before);
    expect(fs.statSync(path.join(t.dir, 'corrupt-0', '00000000000000000000.log')).size).toBe(before);
    expect((await log.append(records(1, 'after'))).baseOffset).toBe(2n);
  });

  it('stores compressed batches as they came, assigning offsets from lastOffsetDelta', async () => {
    const require = createRequire(import.meta.url);
    const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js');
    const Record = require('kafkajs/src/protocol/recordBatch/record/v0/index.js');
    const { Types } = require('kafkajs/src/protocol/message/compression/index.js');
    const gz: Buffer = (
      await RecordBatch({
        compression: Types.GZIP,
        firstTimestamp: 5_000,
        maxTimestamp: 5_003,
        lastOffsetDelta: 3,
        records: [0, 1, 2, 3].map((i: number) => Record({ offsetDelta: i, timestampDelta: i, key: null, value: Buffer.from(`z${i}`) })),
      })
    ).buffer;
    await t.engine.createTopic('gzip');
    const log = t.engine.partition('gzip', 0)!;
    await log.append(records(1, 'plain', 1n));
    const res = await log.appendBatches(Buffer.from(gz), 'none');
    expect(res).toEqual({ baseOffset: 1n, nextOffset: 5n });
    expect(log.read(1n, 1 << 20).data.subarray(16).equals(gz.subarray(16))).toBe(true);
    expect(log.readRecords(2n, 10).map((r) => [r.offset, r.value?.toString()])).toEqual([
      [2n, 'z1'],
      [3n, 'z2'],
      [4n, 'z3'],
    ]);
    expect(log.offsetForTimestamp(5_002n)).toBe(3n);

    // a codec the engine cannot decode (relabelled as zstd, CRC fixed): stored and served as
    // bytes; time lookups answer at batch level
    const zstd = Buffer.from(gz);
    zstd.writeInt16BE(4, 21);
    zstd.writeBigInt64BE(7_000n, 35); // maxTimestamp
    zstd.writeUInt32BE(crc32c(zstd.subarray(21)), 17);
    expect(await log.appendBatches(zstd, 'none')).toEqual({ baseOffset: 5n, nextOffset: 9n });
    expect(log.findByTimestamp(5_000n)).toEqual({ offset: 1n, timestamp: 5_000n });
    expect(log.findByTimestamp(6_000n)).toEqual({ offset: 5n, timestamp: 7_000n });
    const lastBatch = log.read(5n, 1 << 20).data;
    expect(lastBatch.readInt16BE(21)).toBe(4);
    await log.append([{ key: null, value: null, timestamp: 9_000n }]);
    expect(log.findByTimestamp(7_001n)).toEqual({ offset: 9n, timestamp: 9_000n });
    expect(() => log.readRecords(5n, 1)).toThrow(/codec 4/);
  });

  it('waitForData resolves when the high watermark passes the offset, or on abort', async () => {
    await t.engine.createTopic('wait');
    const log = t.engine.partition('wait', 0)!;
    let woke = false;
    const waiting = log.waitForData(0n, new AbortController().signal).then(() => (woke = true));
    await new Promise((r) => setImmediate(r));
    expect(woke).toBe(false);
    await log.append(records(1, 'w'));
    await waiting;
    expect(woke).toBe(true);

    // already past: immediate
    await log.waitForData(0n, new AbortController().signal);

    const ac = new AbortController();
    let aborted = false;
    const pending = log.waitForData(5n, ac.signal).then(() => (aborted = true));
    await log.append(records(1, 'not-enough'));
    await new Promise((r) => setImmediate(r));
    expect(aborted).toBe(false);
    ac.abort();
    await pending;
    expect(aborted).toBe(true);
  });

  it('mutated produce batches are either stored intact or rejected as CORRUPT_MESSAGE; the log stays readable', async () => {
    await t.engine.createTopic('fuzz', { segmentBytes: 4096 });
    const log = t.engine.partition('fuzz', 0)!;
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296);
    let accepted = 0;
    for (let i = 0; i < 300; i++) {
      const batch = batchOf(1 + (i % 3), `f${i}`);
      for (let k = 0; k < 2; k++) batch[Math.floor(rand() * batch.length)] = Math.floor(rand() * 256);
      const before = log.highWatermark;
      try {
        await log.appendBatches(batch, 'none');
        accepted++;
      } catch (err) {
        expect(err).toBeInstanceOf(StorageError);
        expect((err as StorageError).kafkaError).toBe('CORRUPT_MESSAGE');
        expect(log.highWatermark).toBe(before);
      }
    }
    // only mutations outside the CRC-covered bytes (baseOffset, leader epoch) can pass
    expect(accepted).toBeLessThan(300);
    const all = log.readRecords(0n, 10_000);
    expect(all.map((r) => r.offset)).toEqual(Array.from({ length: Number(log.highWatermark) }, (_, i) => BigInt(i)));
    await t.engine.close();
    t.engine = await openLogEngine({ dataDir: t.dir });
    expect(t.engine.partition('fuzz', 0)!.readRecords(0n, 10_000)).toHaveLength(all.length);
  });
});
