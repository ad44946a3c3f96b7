import { beforeAll, describe, expect, it } from 'vitest';
import { useTestBroker } from './helpers/broker.js';
import { rawConnect } from './helpers/raw-client.js';
import { ApiKey } from '../src/protocol/api-keys.js';
import { Reader } from '../src/protocol/primitives/reader.js';
import { Writer } from '../src/protocol/primitives/writer.js';
import { decodeRecordBatches } from '../src/records/index.js';

function fetchBody(topic: string, offset: bigint, o: { maxWaitMs: number; minBytes: number; maxBytes?: number; partitionMaxBytes?: number }): Buffer {
  const w = new Writer();
  w.int32(-1).int32(o.maxWaitMs).int32(o.minBytes).int32(o.maxBytes ?? 1 << 20).int8(0).int32(0).int32(-1);
  w.array([topic], (w, t) => w.string(t).array([0], (w, p) => w.int32(p).int32(-1).int64(offset).int64(-1n).int32(o.partitionMaxBytes ?? 1 << 20)));
  w.int32(0).string('');
  return w.toBuffer();
}

function parseFetch(body: Buffer) {
  const r = new Reader(body);
  r.int32(); // throttle
  r.int16(); // error
  r.int32(); // session
  r.int32(); // topics
  r.string();
  r.int32(); // partitions
  const partition = r.int32();
  const errorCode = r.int16();
  const highWatermark = r.int64();
  const lastStableOffset = r.int64();
  const logStartOffset = r.int64();
  r.nullableArray((r) => [r.int64(), r.int64()]);
  r.int32();
  const records = r.nullableBytes();
  return { partition, errorCode, highWatermark, lastStableOffset, logStartOffset, records: records ? decodeRecordBatches(Buffer.from(records)).flatMap((b) => b.records.map((x) => x.value?.toString())) : [] };
}

describe('Fetch long poll', () => {
  const broker = useTestBroker();
  beforeAll(async () => {
    await broker().engine.createTopic('lp', { partitions: 1 });
  });

  it('parks a fetch at the end of the log until data arrives, answering later requests on the connection in order', async () => {
    const raw = await rawConnect(broker().port);
    try {
      const fetchId = raw.send(ApiKey.Fetch, 11, fetchBody('lp', 0n, { maxWaitMs: 30_000, minBytes: 1 }));
      const versionsId = raw.send(ApiKey.ApiVersions, 2, Buffer.alloc(0));
      await new Promise((r) => setTimeout(r, 100));
      // the fetch is parked, so the ApiVersions answer queued behind it is held back too
      expect(raw.responses.size).toBe(0);
      await broker().engine.partition('lp', 0)!.append([{ key: null, value: Buffer.from('wake'), timestamp: 1n }]);
      const deadline = Date.now() + 5_000;
      while (raw.responses.size < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect([...raw.responses.keys()]).toEqual([fetchId, versionsId]);
      const fetched = parseFetch(raw.responses.get(fetchId)!);
      expect(fetched).toMatchObject({ errorCode: 0, highWatermark: 1n, lastStableOffset: 1n, logStartOffset: 0n, records: ['wake'] });
    } finally {
      raw.destroy();
    }
  });

  it('waits for min bytes, and answers with what there is once max wait passes', async () => {
    await broker().engine.createTopic('lp2', { partitions: 1 });
    const log = broker().engine.partition('lp2', 0)!;
    await log.append([{ key: null, value: Buffer.from('small'), timestamp: 1n }]);
    const raw = await rawConnect(broker().port);
    try {
      const id = raw.send(ApiKey.Fetch, 11, fetchBody('lp2', 0n, { maxWaitMs: 30_000, minBytes: 2_500 }));
      await new Promise((r) => setTimeout(r, 100));
      expect(raw.responses.has(id)).toBe(false); // 'small' alone is below min bytes
      for (let i = 0; i < 3; i++) await log.append([{ key: null, value: Buffer.alloc(1000, 120), timestamp: 1n }]);
      const deadline = Date.now() + 5_000;
      while (!raw.responses.has(id) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(parseFetch(raw.responses.get(id)!).records).toHaveLength(4);
      // min bytes never reached: the answer comes when max wait is over, with what there is
      const short = parseFetch(await raw.request(ApiKey.Fetch, 11, fetchBody('lp2', 3n, { maxWaitMs: 100, minBytes: 1 << 20 })));
      expect(short.records).toHaveLength(1);
    } finally {
      raw.destroy();
    }
  });

  it('honours partition max bytes (but always returns at least one batch) and reports offsets out of range', async () => {
    const log = broker().engine.partition('lp', 0)!;
    for (let i = 0; i < 5; i++) await log.append([{ key: null, value: Buffer.alloc(1000, 97 + i), timestamp: 1n }]);
    const raw = await rawConnect(broker().port);
    try {
      const small = parseFetch(await raw.request(ApiKey.Fetch, 11, fetchBody('lp', 1n, { maxWaitMs: 0, minBytes: 0, partitionMaxBytes: 10 })));
      expect(small.records).toHaveLength(1);
      const two = parseFetch(await raw.request(ApiKey.Fetch, 11, fetchBody('lp', 1n, { maxWaitMs: 0, minBytes: 0, partitionMaxBytes: 2500 })));
      expect(two.records).toHaveLength(2);
      const all = parseFetch(await raw.request(ApiKey.Fetch, 11, fetchBody('lp', 0n, { maxWaitMs: 0, minBytes: 0 })));
      expect(all.records).toHaveLength(6);
      const beyond = parseFetch(await raw.request(ApiKey.Fetch, 11, fetchBody('lp', 99n, { maxWaitMs: 0, minBytes: 0 })));
      expect(beyond.errorCode).toBe(1); // OFFSET_OUT_OF_RANGE
      expect(beyond.highWatermark).toBe(6n);
    } finally {
      raw.destroy();
    }
  });
});
