import { beforeAll, describe, expect, it } from 'vitest';
import { useTestBroker } from './helpers/broker.js';
import { rawConnect } from './helpers/raw-client.js';
import { ApiKey } from '../src/protocol/api-keys.js';
import { ErrorCode } from '../src/protocol/error-codes.js';
import { Reader } from '../src/protocol/primitives/reader.js';
import { Writer } from '../src/protocol/primitives/writer.js';
import { encodeRecordBatch } from '../src/records/index.js';

function produceBody(topic: string, partition: number, records: Buffer | null, acks = 1): Buffer {
  const w = new Writer();
  w.nullableString(null).int16(acks).int32(5000);
  w.array([topic], (w, t) => {
    w.string(t);
    w.array([partition], (w, p) => w.int32(p).nullableBytes(records));
  });
  return w.toBuffer();
}

function produceError(body: Buffer): { errorCode: number; baseOffset: bigint } {
  const r = new Reader(body);
  r.int32(); // topics
  r.string();
  r.int32(); // partitions
  r.int32();
  return { errorCode: r.int16(), baseOffset: r.int64() };
}

describe('bad input', () => {
  const broker = useTestBroker({ maxFrameBytes: 64 * 1024 });
  const batch = () => encodeRecordBatch([{ key: null, value: Buffer.from('good'), timestamp: 1n }]);

  beforeAll(async () => {
    await broker().engine.createTopic('t', { partitions: 1 });
  });

  it('answers a record batch with a bad CRC with CORRUPT_MESSAGE and stores nothing', async () => {
    const raw = await rawConnect(broker().port);
    try {
      const bad = batch();
      bad[bad.length - 1] ^= 0xff; // flip a byte inside the CRC-covered area
      expect(produceError(await raw.request(ApiKey.Produce, 7, produceBody('t', 0, bad))).errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
      expect(broker().engine.partition('t', 0)!.highWatermark).toBe(0n);
      // the same connection carries on
      const ok = produceError(await raw.request(ApiKey.Produce, 7, produceBody('t', 0, batch())));
      expect(ok).toEqual({ errorCode: 0, baseOffset: 0n });
    } finally {
      raw.destroy();
    }
  });

  it('answers a produce to a missing partition with UNKNOWN_TOPIC_OR_PARTITION', async () => {
    const raw = await rawConnect(broker().port);
    try {
      expect(produceError(await raw.request(ApiKey.Produce, 7, produceBody('t', 9, batch()))).errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
      expect(produceError(await raw.request(ApiKey.Produce, 7, produceBody('missing', 0, batch()))).errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    } finally {
      raw.destroy();
    }
  });

  it('sends nothing back for acks=0 but keeps later responses in order', async () => {
    const raw = await rawConnect(broker().port);
    try {
      const silent = raw.send(ApiKey.Produce, 7, produceBody('t', 0, batch(), 0));
      const after = await raw.request(ApiKey.ApiVersions, 2, Buffer.alloc(0));
      expect(after.readInt16BE(0)).toBe(0);
      expect(raw.responses.has(silent)).toBe(false);
    } finally {
      raw.destroy();
    }
  });

  it('answers an unsupported ApiVersions version with UNSUPPORTED_VERSION in the v0 layout', async () => {
    const raw = await rawConnect(broker().port);
    try {
      const body = await raw.request(ApiKey.ApiVersions, 4, Buffer.from([0, 0, 0]));
      const r = new Reader(body);
      expect(r.int16()).toBe(ErrorCode.UNSUPPORTED_VERSION);
      const apis = r.array((r) => ({ key: r.int16(), min: r.int16(), max: r.int16() }));
      expect(r.remaining).toBe(0);
      expect(apis).toContainEqual({ key: ApiKey.ApiVersions, min: 0, max: 3 });
    } finally {
      raw.destroy();
    }
  });

  it('closes the connection on an unknown API key, an unsupported version, a truncated body and an oversized frame', async () => {
    const cases: ((raw: Awaited<ReturnType<typeof rawConnect>>) => void)[] = [
      (raw) => raw.send(999, 0, Buffer.alloc(0)),
      (raw) => raw.send(ApiKey.Fetch, 1, Buffer.alloc(20)),
      (raw) => raw.send(ApiKey.Metadata, 6, Buffer.from([0, 0, 0, 5])), // claims 5 topics, has none
      (raw) => raw.write(Buffer.from([0x7f, 0xff, 0xff, 0xff])), // 2 GiB frame
      (raw) => raw.write(Buffer.from([0xff, 0xff, 0xff, 0xfe])), // negative size
    ];
    for (const sendBad of cases) {
      const raw = await rawConnect(broker().port);
      sendBad(raw);
      await raw.closed;
    }
    // nobody else was affected, and the stored data is intact
    const raw = await rawConnect(broker().port);
    try {
      expect((await raw.request(ApiKey.ApiVersions, 2, Buffer.alloc(0))).readInt16BE(0)).toBe(0);
      expect(broker().engine.partition('t', 0)!.readRecords(0n, 10)[0].value!.toString()).toBe('good');
    } finally {
      raw.destroy();
    }
  });
});
