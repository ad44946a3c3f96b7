import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { startStreamlog, type StreamlogHandle } from '@riderflow/streamlog';
import { LogAdmin } from '../server/adapters/log-admin.js';
import { Replays } from '../server/adapters/replay.js';
import { ReplayProgress } from '../server/core/replay-progress.js';

// A replay has caught up when every partition of its topic has been read to its end, not when
// the first one has: a three-partition topic where partition 0 holds megabytes after the start
// time (several fetches to read), partition 1 a few records and partition 2 nothing after it.

let dir: string;
let log: StreamlogHandle;
let kafka: Kafka;
const TOPIC = 'replay.probe';
const T = Date.UTC(2025, 2, 3, 12, 0);
const BIG = 1_200; // 10 kB each on partition 0: ~12 MB, far more than one fetch returns (1 MB a partition)

async function waitFor<V>(what: string, probe: () => V | undefined, ms = 90_000): Promise<V> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'rf-replay-'));
  log = await startStreamlog({ port: 0, dataDir: dir, durability: 'none' });
  kafka = new Kafka({ clientId: 'replay-test', brokers: [log.brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 3 }] });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  const pad = 'x'.repeat(10_000);
  for (let i = 0; i < BIG; i += 100) {
    await producer.send({ topic: TOPIC, messages: Array.from({ length: 100 }, (_, j) => ({ partition: 0, value: JSON.stringify({ i: i + j, pad }), timestamp: String(T + (i + j) * 1000) })) });
  }
  await producer.send({ topic: TOPIC, messages: Array.from({ length: 5 }, (_, i) => ({ partition: 1, value: `late ${i}`, timestamp: String(T + i * 1000) })) });
  await producer.send({ topic: TOPIC, messages: Array.from({ length: 5 }, (_, i) => ({ partition: 2, value: `early ${i}`, timestamp: String(T - 3_600_000 + i * 1000) })) });
  await producer.disconnect();
}, 180_000);

afterAll(async () => {
  await log?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('replay caught up', () => {
  it('counts a partition with nothing after the start as at its end, and waits for every other', () => {
    const p = new ReplayProgress(
      [{ partition: 0, offset: '0' }, { partition: 1, offset: '0' }, { partition: 2, offset: '5' }],
      [{ partition: 0, offset: '100' }, { partition: 1, offset: '5' }, { partition: 2, offset: '5' }],
    );
    expect(p.counts).toEqual({ partitions: 3, atEnd: 1 });
    p.read(1, '4', '5');
    expect(p.caughtUp).toBe(false); // partition 0 is 100 behind
    p.read(0, '49', '120'); // the end moved on meanwhile: the fetch's high watermark is the end now
    expect(p.counts).toEqual({ partitions: 3, atEnd: 2 });
    p.read(0, '119', '120');
    expect(p.caughtUp).toBe(true);
    p.read(0, '119', '150'); // later appends: still following, still caught up
    expect(p.caughtUp).toBe(true);
  });

  it('says yes only once every partition has been read to its end', async () => {
    const admin = new LogAdmin(kafka);
    const replays = new Replays(kafka, admin);
    try {
      const { groupId } = await replays.start(TOPIC, T);
      const row = () => replays.list().find((r) => r.groupId === groupId)!;
      const seen = new Set<string>();
      const first = await waitFor('the replay to say it has caught up', () => {
        const r = row();
        seen.add(`${r.partitionsAtEnd}/${r.partitions}`);
        return r.caughtUp ? { ...r } : undefined;
      });
      // every record after T on every partition was read by the time it said so
      expect(first.consumed).toBe(BIG + 5);
      expect(first).toMatchObject({ partitions: 3, partitionsAtEnd: 3 });
      // the row the log page reads keeps the same fields (progress is computed, not stored)
      expect(Object.keys(first).sort()).toEqual(['caughtUp', 'consumed', 'from', 'groupId', 'partitions', 'partitionsAtEnd', 'startedAt', 'topic']);
      // on the way there, the page could say how many partitions were at their end
      expect(seen.has('3/3')).toBe(true);
      expect([...seen].some((s) => s !== '3/3')).toBe(true);
    } finally {
      await replays.stopAll();
      await admin.close();
    }
  }, 120_000);

  it('refuses a second start of the replay already running, in words, even when both arrive together', async () => {
    const admin = new LogAdmin(kafka);
    const replays = new Replays(kafka, admin);
    try {
      const both = await Promise.allSettled([replays.start(TOPIC, T), replays.start(TOPIC, T)]);
      const started = both.filter((r): r is PromiseFulfilledResult<Awaited<ReturnType<Replays['start']>>> => r.status === 'fulfilled');
      const refused = both.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(started).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expect(refused[0]!.reason).toMatchObject({ status: 409 });
      expect(String(refused[0]!.reason.message)).toContain(`is running already (${started[0]!.value.groupId})`);
      // and again later, once the first is under way
      await expect(replays.start(TOPIC, T)).rejects.toMatchObject({ status: 409 });
      expect(replays.list().map((r) => r.groupId)).toEqual([started[0]!.value.groupId]);
      // another time on the same topic is another replay
      const later = await replays.start(TOPIC, T + 60_000);
      expect(replays.list().map((r) => r.groupId).sort()).toEqual([started[0]!.value.groupId, later.groupId].sort());
      // stopped, it can be started afresh
      await replays.stop(started[0]!.value.groupId);
      await expect(replays.start(TOPIC, T)).resolves.toMatchObject({ topic: TOPIC, from: T });
    } finally {
      await replays.stopAll();
      await admin.close();
    }
  }, 120_000);
});
