import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { ConfigResourceTypes, Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import { STATE_TOPIC, STATE_TOPICS, TOPIC, type LogEvent } from '@riderflow/contracts';
import { loadConfig, toKafkaMessage } from '@riderflow/service-kit';
import { startStreamlog, type StreamlogHandle } from '@riderflow/streamlog';
import { startTaskqueue, type TaskqueueHandle } from '@riderflow/taskqueue';
import { loadServiceSettings } from '../src/config.js';
import { startDispatchService, type DispatchServiceHandle } from '../src/service.js';

/*
 * A restarted dispatch knows every rider at once. Riders start their shifts and ping while the
 * first dispatch runs; it stops; the group's committed offsets are then past every rider event, so
 * replaying the group would teach the second dispatch no rider. It learns them from the compacted
 * topic dispatch.rider-state instead, and its first plan gives an order to one of them.
 */
const T0 = Date.UTC(2026, 2, 16, 11, 0);
const MIN = 60_000;
const RIDERS = ['r1', 'r2', 'r3', 'r4'];
const GROUP = 'dispatch-restart-test';

let seq = 0;
const id = () => `restart-e${++seq}`;
const shiftStarted = (riderId: string, ts: number, k: number): LogEvent =>
  ({ type: 'rider.shift_started', v: 1, id: id(), ts, riderId, zoneId: 'z1', lat: 52.5 + k * 0.002, lon: 13.4, shiftEnd: ts + 4 * 60 * MIN });
const ping = (riderId: string, ts: number, lat: number): LogEvent =>
  ({ type: 'rider.location', v: 1, id: id(), ts, riderId, zoneId: 'z1', lat, lon: 13.4, status: 'idle', speedKmh: 0 });

/** Every record of a topic from its start to its current end (offsets kept as written). */
async function readAll(kafka: Kafka, topic: string): Promise<KafkaMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<number, number>();
  try {
    for (const p of await admin.fetchTopicOffsets(topic)) if (Number(p.high) > Number(p.low)) ends.set(p.partition, Number(p.high));
  } finally {
    await admin.disconnect();
  }
  const out: KafkaMessage[] = [];
  if (ends.size === 0) return out;
  const consumer = kafka.consumer({ groupId: `replay-test-${id()}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${topic} not read to its end`)), 30_000);
    void consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        out.push(...batch.messages);
        if (Number(batch.lastOffset()) + 1 >= (ends.get(batch.partition) ?? 0)) ends.delete(batch.partition);
        if (ends.size === 0) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  return out;
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('dispatch restart with the compacted topic dispatch.rider-state', () => {
  const dirs: string[] = [];
  let log: StreamlogHandle;
  let queue: TaskqueueHandle;
  let kafka: Kafka;
  const services: DispatchServiceHandle[] = [];

  const startDispatch = async () => {
    const config = loadConfig({ KAFKA_BROKERS: log.brokers, AMQP_URL: queue.url, LOG_LEVEL: 'silent' });
    const settings = loadServiceSettings({ DISPATCH_GROUP: GROUP, DISPATCH_FROM_BEGINNING: 'true', DISPATCH_HTTP_PORT: '0' });
    const s = await startDispatchService(config, settings, pino({ level: 'silent' }));
    services.push(s);
    return s;
  };

  beforeAll(async () => {
    const tmp = (name: string) => {
      const d = mkdtempSync(path.join(os.tmpdir(), `rf-dispatch-restart-${name}-`));
      dirs.push(d);
      return d;
    };
    log = await startStreamlog({ dataDir: tmp('log'), port: 0, durability: 'none', logCleanerIntervalMs: 100 });
    queue = await startTaskqueue({ dataDir: tmp('queue'), port: 0, durability: 'none' });
    kafka = new Kafka({ brokers: [log.brokers], logLevel: logLevel.NOTHING });
  });

  afterAll(async () => {
    for (const s of services) await s.close();
    await queue?.close();
    await log?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('the first plan after a restart uses riders whose last ping was before the restart', async () => {
    const first = await startDispatch();
    expect(first.restoredRiders).toBe(0);
    const producer = kafka.producer();
    await producer.connect();
    // four riders on shift, each pinging three times; a fifth starts and ends its shift
    const events: LogEvent[] = [...RIDERS.map((r, k) => shiftStarted(r, T0, k)), shiftStarted('r5', T0, 9)];
    for (let i = 1; i <= 3; i++) for (const [k, r] of RIDERS.entries()) events.push(ping(r, T0 + i * MIN, 52.5 + k * 0.002 + i * 0.0001));
    events.push({ type: 'rider.shift_ended', v: 1, id: id(), ts: T0 + 3 * MIN, riderId: 'r5' });
    for (const e of events) await producer.send({ topic: e.type === 'rider.location' ? TOPIC.riderLocation : TOPIC.riderShifts, messages: [toKafkaMessage(e)] });
    await waitFor('the first dispatch to know the riders', () => first.ridersOnShift() === RIDERS.length);
    // The group commits past every rider event while the first dispatch runs: restarting the
    // group alone would teach a new dispatch nothing about these riders.
    const admin = kafka.admin();
    await admin.connect();
    await waitFor('the group to have committed every rider event', async () => {
      for (const topic of [TOPIC.riderLocation, TOPIC.riderShifts]) {
        const ends = await admin.fetchTopicOffsets(topic);
        const [committed] = await admin.fetchOffsets({ groupId: GROUP, topics: [topic] });
        for (const end of ends) {
          const c = committed.partitions.find((p) => p.partition === end.partition);
          if (Number(end.high) > 0 && Number(c?.offset ?? -1) < Number(end.high)) return false;
        }
      }
      return true;
    });
    await first.close();

    // The restart: every rider is known before a single new event arrives.
    const second = await startDispatch();
    expect(second.restoredRiders).toBe(RIDERS.length);
    expect(second.ridersOnShift()).toBe(RIDERS.length);

    // Its first plan: an order next to the riders goes to one of them.
    const assignments: LogEvent[] = [];
    const watcher = kafka.consumer({ groupId: `replay-test-${id()}` });
    await watcher.connect();
    await watcher.subscribe({ topics: [TOPIC.dispatchAssignments], fromBeginning: true });
    await watcher.run({ eachMessage: async ({ message }) => void assignments.push(JSON.parse(message.value!.toString()) as LogEvent) });
    const now = T0 + 5 * MIN;
    const order: LogEvent = {
      type: 'order.created', v: 1, id: id(), ts: now, orderId: 'o-after-restart', storeId: 's1', customerId: 'c1', zoneId: 'z1',
      storeLat: 52.501, storeLon: 13.4, dropLat: 52.51, dropLon: 13.41, placedAt: now, expectedReadyAt: now, // ready now: the first round must give it to a rider
    };
    await producer.send({ topic: TOPIC.orderEvents, messages: [toKafkaMessage(order)] });
    await waitFor('an assignment of the order', () => assignments.some((e) => e.type === 'dispatch.assigned'), 60_000);
    const assigned = assignments.find((e) => e.type === 'dispatch.assigned');
    expect(assigned?.type === 'dispatch.assigned' && assigned.orderIds).toEqual(['o-after-restart']);
    expect(RIDERS).toContain(assigned?.type === 'dispatch.assigned' ? assigned.riderId : undefined);
    await watcher.disconnect();
    await admin.disconnect();
    await producer.disconnect();
  }, 120_000);

  it('the topic is compacted: after cleaning, one record per rider key, the latest', async () => {
    const topic = STATE_TOPIC.dispatchRiderState;
    const admin = kafka.admin();
    await admin.connect();
    const configs = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }] });
    const policy = configs.resources[0].configEntries.find((c) => c.configName === 'cleanup.policy');
    expect(policy?.configValue).toBe('compact');
    // roll and clean quickly for the test (AlterConfigs replaces them all, so the policy is restated)
    const quick = { ...STATE_TOPICS[topic].configs, 'segment.ms': '100', 'min.cleanable.dirty.ratio': '0' };
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: Object.entries(quick).map(([name, value]) => ({ name, value })) }] });
    await admin.disconnect();

    // many more pings: each rider's state is written many times over
    const dispatch = services[services.length - 1];
    const producer = kafka.producer();
    await producer.connect();
    const lastLat = new Map<string, number>();
    for (let i = 10; i < 30; i++) {
      const batch = RIDERS.map((r, k) => ping(r, T0 + i * MIN, 52.5 + k * 0.002 + i * 0.0001));
      for (const e of batch) if (e.type === 'rider.location') lastLat.set(e.riderId, e.lat);
      await producer.send({ topic: TOPIC.riderLocation, messages: batch.map(toKafkaMessage) });
      // every rider's ping of this round, not just one: the riders' pings sit on different
      // partitions, which dispatch may read in any order
      await waitFor('dispatch to read the pings', async () => {
        await dispatch.flushRiderState();
        const written = await readAll(kafka, topic);
        return RIDERS.every((r) => written.some((m) => m.key?.toString() === r && m.value !== null && JSON.parse(m.value.toString()).seenAt === T0 + i * MIN));
      });
    }
    await producer.disconnect();

    let records: KafkaMessage[] = [];
    await waitFor('the cleaner to leave one record per key', async () => {
      records = await readAll(kafka, topic);
      return new Set(records.map((m) => m.key?.toString())).size === records.length;
    }, 60_000);
    const latest = new Map(records.map((m) => [m.key!.toString(), m.value === null ? null : JSON.parse(m.value.toString())]));
    // r5's tombstone stays for delete.retention.ms (a day); r1..r4 hold their last ping
    expect([...latest.keys()].sort()).toEqual([...RIDERS, 'r5']);
    expect(latest.get('r5')).toBeNull();
    for (const r of RIDERS) expect(latest.get(r).lat).toBeCloseTo(lastLat.get(r)!, 9);
    // offsets stay as written: gaps where older states were removed
    expect(Math.max(...records.map((m) => Number(m.offset)))).toBeGreaterThan(records.length);
  }, 180_000);

  it('a restart still reads the topic to its end when the cleaner removed every value and only tombstones are left', async () => {
    const topic = STATE_TOPIC.dispatchRiderState;
    const admin = kafka.admin();
    await admin.connect();
    const quick = { ...STATE_TOPICS[topic].configs, 'segment.ms': '100', 'min.cleanable.dirty.ratio': '0', 'delete.retention.ms': '0' };
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: Object.entries(quick).map(([name, value]) => ({ name, value })) }] });
    await admin.disconnect();
    // every rider ends its shift: the newest record of every key is a tombstone
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: TOPIC.riderShifts, messages: RIDERS.map((r) => toKafkaMessage({ type: 'rider.shift_ended', v: 1, id: id(), ts: T0 + 40 * MIN, riderId: r })) });
    await producer.disconnect();
    const running = services[services.length - 1];
    await waitFor('dispatch to see the shifts end', () => running.ridersOnShift() === 0);
    await running.flushRiderState();
    await running.close();
    // the cleaner removes every value and the tombstones past their retention, except a partition's
    // last batch, which streamlog's cleaner always keeps (a gap at the end of the log would leave
    // librdkafka and kcat fetching there for ever): what is left is tombstones only
    const held = () => [0, 1, 2].map((p) => log.engine.partition(topic, p)!).map((pl) => ({ high: pl.highWatermark, records: pl.readRecords(pl.logStartOffset, 1000) }));
    await waitFor('the cleaner to remove every value', () => held().every((h) => h.records.every((r) => r.value === null) && h.records.length <= RIDERS.length), 60_000);
    expect(held().filter((h) => h.high > BigInt(h.records.length)).length).toBeGreaterThan(0);

    const restarted = await startDispatch();
    expect(restarted.restoredRiders).toBe(0);
  }, 120_000);
});
