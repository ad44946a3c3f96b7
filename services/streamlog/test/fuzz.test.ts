import { beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { useTestBroker } from './helpers/broker.js';
import { rawConnect } from './helpers/raw-client.js';
import { ApiKey } from '../src/protocol/api-keys.js';
import { Writer } from '../src/protocol/primitives/writer.js';
import { encodeRequestHeader } from '../src/protocol/header.js';
import { encodeRecordBatch } from '../src/records/index.js';
import { consumeAll, quickGroup } from './helpers/consume.js';
import { prng } from './helpers/prng.js';


function request(apiKey: number, apiVersion: number, body: (w: Writer) => void): Buffer {
  const w = new Writer();
  encodeRequestHeader(w, { apiKey, apiVersion, correlationId: 1, clientId: 'fuzz' });
  body(w);
  return w.toBuffer();
}

/** valid requests of many APIs (never DeleteTopics: a lucky mutation must not turn into a legitimate delete) */
function corpus(): Buffer[] {
  const batch = encodeRecordBatch([{ key: Buffer.from('k'), value: Buffer.from('fuzz'), timestamp: 1n }]);
  return [
    request(ApiKey.ApiVersions, 2, () => {}),
    request(ApiKey.Metadata, 6, (w) => w.int32(-1).bool(false)),
    request(ApiKey.Metadata, 4, (w) => w.array(['keep'], (w, t) => w.string(t)).bool(false)),
    request(ApiKey.Produce, 7, (w) => w.nullableString(null).int16(1).int32(1000).array(['fuzzed'], (w, t) => w.string(t).array([0], (w, p) => w.int32(p).bytes(batch)))),
    request(ApiKey.Fetch, 11, (w) => {
      w.int32(-1).int32(0).int32(1).int32(1 << 20).int8(0).int32(0).int32(-1);
      w.array(['keep'], (w, t) => w.string(t).array([0], (w, p) => w.int32(p).int32(-1).int64(0n).int64(-1n).int32(1 << 20)));
      w.int32(0).string('');
    }),
    request(ApiKey.ListOffsets, 3, (w) => w.int32(-1).int8(0).array(['keep'], (w, t) => w.string(t).array([0], (w, p) => w.int32(p).int64(-1n)))),
    request(ApiKey.FindCoordinator, 2, (w) => w.string('g').int8(0)),
    request(ApiKey.JoinGroup, 5, (w) => w.string('fuzz-group').int32(1000).int32(0).string('').nullableString(null).string('consumer').array(['rr'], (w, p) => w.string(p).bytes(Buffer.from([0, 1])))),
    request(ApiKey.SyncGroup, 3, (w) => w.string('fuzz-group').int32(1).string('m').nullableString(null).int32(0)),
    request(ApiKey.Heartbeat, 3, (w) => w.string('fuzz-group').int32(1).string('m').nullableString(null)),
    request(ApiKey.LeaveGroup, 3, (w) => w.string('fuzz-group').array(['m'], (w, m) => w.string(m).nullableString(null))),
    request(ApiKey.OffsetCommit, 5, (w) => w.string('fuzz-group').int32(-1).string('').array(['fuzzed'], (w, t) => w.string(t).array([0], (w, p) => w.int32(p).int64(1n).nullableString(null)))),
    request(ApiKey.OffsetFetch, 4, (w) => w.string('fuzz-group').int32(-1)),
    request(ApiKey.DescribeGroups, 2, (w) => w.array(['fuzz-group'], (w, g) => w.string(g))),
    request(ApiKey.ListGroups, 2, () => {}),
    request(ApiKey.CreateTopics, 3, (w) => w.array(['fuzz-created'], (w, t) => w.string(t).int32(1).int16(1).int32(0).int32(0)).int32(1000).bool(true)),
    request(ApiKey.SaslHandshake, 1, (w) => w.string('PLAIN')),
  ];
}

function mutate(rand: () => number, frame: Buffer): Buffer {
  const out = Buffer.from(frame);
  const kind = Math.floor(rand() * 4);
  if (kind === 0) {
    // flip a few bytes, sparing the API key so most mutations reach a real decoder
    const flips = 1 + Math.floor(rand() * 4);
    for (let i = 0; i < flips; i++) out[2 + Math.floor(rand() * (out.length - 2))] = Math.floor(rand() * 256);
    return out;
  }
  if (kind === 1) return out.subarray(0, Math.max(10, Math.floor(rand() * out.length))); // truncate
  if (kind === 2) return Buffer.concat([out, Buffer.from(Array.from({ length: Math.floor(rand() * 16) }, () => Math.floor(rand() * 256)))]); // extend
  // overwrite a 4-byte window with an extreme int32 (lengths and counts)
  const at = 8 + Math.floor(rand() * Math.max(1, out.length - 12));
  if (at + 4 <= out.length) out.writeInt32BE([-2, -1, 0x7fffffff, 0x10000, 1 << 30][Math.floor(rand() * 5)], at);
  return out;
}

const withSize = (body: Buffer): Buffer => Buffer.concat([Buffer.from([(body.length >>> 24) & 0xff, (body.length >>> 16) & 0xff, (body.length >>> 8) & 0xff, body.length & 0xff]), body]);

describe('fuzzing the frame decoder and request dispatcher', () => {
  // handler bugs surface as error logs ("request handler failed", "unexpected storage failure")
  const errors: string[] = [];
  const logger = pino({ level: 'error' }, { write: (line: string) => errors.push(line) });
  const broker = useTestBroker({ maxFrameBytes: 1 << 20, logger });
  beforeAll(async () => {
    await broker().engine.createTopic('keep', { partitions: 1 });
    await broker().engine.partition('keep', 0)!.append([{ key: null, value: Buffer.from('precious'), timestamp: 1n }]);
  });

  it('survives 3,000 random and mutated frames, then serves a normal client', async () => {
    const rand = prng(0x5eed);
    const seeds = corpus();
    let frames = 0;
    let closedByServer = 0;
    while (frames < 3_000) {
      const raw = await rawConnect(broker().port);
      let closed = false;
      raw.closed.then(() => (closed = true));
      const perConnection = 1 + Math.floor(rand() * 25);
      for (let i = 0; i < perConnection && !closed; i++, frames++) {
        const r = rand();
        if (r < 0.15) {
          // pure noise, sometimes without a sane size prefix
          raw.write(Buffer.from(Array.from({ length: 1 + Math.floor(rand() * 64) }, () => Math.floor(rand() * 256))));
        } else if (r < 0.25) {
          raw.write(withSize(Buffer.from(Array.from({ length: 10 + Math.floor(rand() * 200) }, () => Math.floor(rand() * 256)))));
        } else if (r < 0.3) {
          // a valid frame delivered in tiny pieces
          const f = withSize(seeds[Math.floor(rand() * seeds.length)]);
          for (let at = 0; at < f.length; at += 3) raw.write(f.subarray(at, at + 3));
        } else {
          raw.write(withSize(mutate(rand, seeds[Math.floor(rand() * seeds.length)])));
        }
      }
      // give the server a moment to answer or close, then move on (parked fetches/joins are legitimate)
      await Promise.race([raw.closed, new Promise((r) => setTimeout(r, 5))]);
      if (closed) closedByServer++;
      raw.destroy();
    }
    expect(frames).toBeGreaterThanOrEqual(3_000);
    expect(closedByServer).toBeGreaterThan(0);
    expect(errors).toEqual([]);

    // the broker still serves kafkajs, and the data stored before the fuzzing is intact
    const kafka = broker().kafka();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'keep', messages: [{ value: 'after-fuzz' }] });
    await producer.disconnect();
    const received = await consumeAll(kafka, quickGroup('after-fuzz'), 'keep', 2);
    expect(received.map((m) => m.value)).toEqual(['precious', 'after-fuzz']);
  });
});
