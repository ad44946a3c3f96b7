import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import pino from 'pino';
import { startStreamlog, type StreamlogHandle } from '@riderflow/streamlog';
import { TOPIC, type LogEvent } from '@riderflow/contracts';
import { until } from './until.js';
import { loadDashboardConfig } from '../server/config.js';
import { Gateway } from '../server/gateway.js';
import { SET_ASIDE_AFTER } from '../server/adapters/log-stream.js';

// The dashboard's own log reader after a crash in its record handling. A TypeError is one kafkajs
// never restarts a consumer after: the reader died, the commit loop then replaced the reason with
// "Consumer group was not initialized", and the header still said "event log live" because the
// admin sampler kept answering. Now the reader restarts from its committed offsets (no record
// folded twice or lost), the reason stays in the status and the log, and "live" follows the reader.

const lines: string[] = [];

/** A real streamlog in this process for the duration of `fn`, and a kafkajs client of it. */
async function withLog(fn: (log: StreamlogHandle, kafka: Kafka) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rf-reader-restart-'));
  const log = await startStreamlog({ port: 0, dataDir: dir, durability: 'none' });
  try {
    await fn(log, new Kafka({ clientId: 'reader-restart-test', brokers: [log.brokers], logLevel: logLevel.NOTHING }));
  } finally {
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const order = (n: number, ts: number): LogEvent => ({ type: 'order.created', v: 1, id: `rr-${n}`, ts, orderId: `rr-o${n}`, storeId: 's1', customerId: 'c1', zoneId: 'z1', storeLat: 52.5, storeLon: 13.4, dropLat: 52.51, dropLon: 13.41, placedAt: ts, expectedReadyAt: ts + 600_000 });

describe('the dashboard log reader after a crash in its record handling', () => {
  it('restarts with backoff from its committed offsets, folds every record once, and shows the crash meanwhile', () => withLog(async (log, kafka) => {
    const config = loadDashboardConfig({ KAFKA_BROKERS: log.brokers, AMQP_MANAGEMENT_URL: 'http://guest:guest@127.0.0.1:21051', AMQP_URL: 'amqp://guest:guest@127.0.0.1:21052', DASHBOARD_GROUP: 'dashboard-restart', CITY_ZONES: '0', NODE_ENV: 'test' });
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const gateway = new Gateway(config, logger);
    // the crash: a TypeError folding rr-2, once (as a bug in the live state's fold would throw)
    const folded = new Map<string, number>();
    let thrown = false;
    const apply = gateway.live.apply.bind(gateway.live);
    gateway.live.apply = (event: LogEvent) => {
      if (event.id === 'rr-2' && !thrown) {
        thrown = true;
        throw new TypeError('injected: cannot fold rr-2');
      }
      apply(event);
      folded.set(event.id, (folded.get(event.id) ?? 0) + 1);
    };
    const logStatus = () => gateway.status().find((s) => s.name === 'log')!;
    const producer = kafka.producer();
    const seen: (string | null)[] = [];
    let watch: NodeJS.Timeout | undefined;
    try {
      gateway.start();
      await until(() => logStatus().live, 'the log live at start');
      await producer.connect();
      const t0 = Date.UTC(2025, 2, 3, 12, 0);
      watch = setInterval(() => seen.push(logStatus().error), 20);
      // one partition, one batch: rr-1 is folded before rr-2 throws, and must not be folded again
      await producer.send({ topic: TOPIC.orderEvents, messages: [1, 2, 3].map((n) => ({ partition: 0, key: `rr-o${n}`, value: JSON.stringify(order(n, t0 + n * 1000)) })) });

      const down = await until(() => (logStatus().live ? null : logStatus()), 'the header saying the log is not live after the crash');
      expect(down.error).toBe('log reader crashed: injected: cannot fold rr-2');
      await until(() => folded.get('rr-3') === 1 && logStatus().live, 'the reader folding again after its restart');
      await producer.send({ topic: TOPIC.orderEvents, messages: [{ partition: 0, key: 'rr-o4', value: JSON.stringify(order(4, t0 + 4000)) }] });
      await until(() => folded.get('rr-4') === 1, 'a record sent after the restart folded');
      clearInterval(watch);

      expect(Object.fromEntries(folded)).toEqual({ 'rr-1': 1, 'rr-2': 1, 'rr-3': 1, 'rr-4': 1 });
      expect(gateway.live.clock).toBe(t0 + 4000);
      // the reason was never replaced by the commit loop's echo of it
      expect(seen.filter((e) => e !== null && /not initialized|commit failed/.test(e))).toEqual([]);
      expect(seen).toContain('log reader crashed: injected: cannot fold rr-2');
      expect(logStatus().error).toBeNull();
      const logged = lines.map((l) => JSON.parse(l) as { level: number; msg: string });
      expect(logged.some((l) => l.level === 50 && l.msg === 'log reader crashed: injected: cannot fold rr-2')).toBe(true);
      expect(logged.some((l) => l.msg === 'dashboard log reader reading again')).toBe(true);

      // and its group commits past all four, so the next start does not read them again
      const admin = kafka.admin();
      await admin.connect();
      try {
        const end = (await admin.fetchTopicOffsets(TOPIC.orderEvents)).find((o) => o.partition === 0)!.high;
        await until(async () => (await admin.fetchOffsets({ groupId: 'dashboard-restart', topics: [TOPIC.orderEvents] }))[0]!.partitions.find((p) => p.partition === 0)!.offset === end, 'offsets committed past the records');
      } finally {
        await admin.disconnect();
      }
    } finally {
      clearInterval(watch);
      await producer.disconnect();
      await gateway.stop();
    }
  }), 240_000);

  it('sets a record that always throws aside into events.dead after a few failures at its offset, and moves on', () => withLog(async (log, kafka) => {
    const config = loadDashboardConfig({ KAFKA_BROKERS: log.brokers, AMQP_MANAGEMENT_URL: 'http://guest:guest@127.0.0.1:21051', AMQP_URL: 'amqp://guest:guest@127.0.0.1:21052', DASHBOARD_GROUP: 'dashboard-poison', CITY_ZONES: '0', NODE_ENV: 'test' });
    const gateway = new Gateway(config, pino({ level: 'silent' }));
    // rp-2 throws every time it is folded (a record the live state can never take)
    const folded = new Map<string, number>();
    let attempts = 0;
    const apply = gateway.live.apply.bind(gateway.live);
    gateway.live.apply = (event: LogEvent) => {
      if (event.id === 'rp-2') {
        attempts++;
        throw new TypeError('injected: rp-2 cannot be folded');
      }
      apply(event);
      folded.set(event.id, (folded.get(event.id) ?? 0) + 1);
    };
    const logStatus = () => gateway.status().find((s) => s.name === 'log')!;
    const producer = kafka.producer();
    const dead: Record<string, unknown>[] = [];
    const deadReader = kafka.consumer({ groupId: 'poison-test-dead-reader' });
    try {
      gateway.start();
      await until(() => logStatus().live, 'the log live at start');
      await producer.connect();
      await deadReader.connect();
      await deadReader.subscribe({ topics: [TOPIC.eventsDead], fromBeginning: true });
      await deadReader.run({ eachMessage: async ({ message }) => void dead.push(JSON.parse(message.value!.toString()) as Record<string, unknown>) });
      const t0 = Date.UTC(2025, 2, 3, 12, 0);
      const p = (n: number) => ({ ...order(n, t0 + n * 1000), id: `rp-${n}`, orderId: `rp-o${n}` });
      const sent = await producer.send({ topic: TOPIC.orderEvents, messages: [1, 2, 3].map((n) => ({ partition: 0, key: `rp-o${n}`, value: JSON.stringify(p(n)), headers: { 'x-probe': `h${n}` } })) });
      const base = BigInt(sent[0]!.baseOffset!);

      await until(() => dead.length === 1 && folded.get('rp-3') === 1 && logStatus().live, 'rp-2 set aside and rp-3 folded', 90_000);
      expect(attempts).toBe(SET_ASIDE_AFTER);
      expect(dead[0]).toMatchObject({
        type: 'event.dead', sourceTopic: TOPIC.orderEvents, partition: 0, offset: String(base + 1n), consumerGroup: 'dashboard-poison',
        sourceKey: 'rp-o2', sourceHeaders: [{ name: 'x-probe', value: 'h2', encoding: 'utf8' }],
        reason: `the dashboard's log reader failed to fold it ${SET_ASIDE_AFTER} times: TypeError: injected: rp-2 cannot be folded`,
      });
      expect(JSON.parse(dead[0]!.payload as string)).toMatchObject({ id: 'rp-2' });
      expect(logStatus()).toMatchObject({
        live: true, error: null,
        note: `1 record set aside into ${TOPIC.eventsDead}: ${TOPIC.orderEvents}/0 offset ${base + 1n} (TypeError: injected: rp-2 cannot be folded, ${SET_ASIDE_AFTER} failures)`,
      });

      // the reader goes on: a later record is folded, nothing twice, rp-2 never
      await producer.send({ topic: TOPIC.orderEvents, messages: [{ partition: 0, key: 'rp-o4', value: JSON.stringify(p(4)) }] });
      await until(() => folded.get('rp-4') === 1, 'a record sent after the set-aside folded');
      // (the dead letter itself is on the log the reader reads: folded once, like any other)
      expect(Object.fromEntries(folded)).toEqual({ 'rp-1': 1, 'rp-3': 1, 'rp-4': 1, [dead[0]!.id as string]: 1 });
      expect(attempts).toBe(SET_ASIDE_AFTER);
      expect(dead).toHaveLength(1);
      const admin = kafka.admin();
      await admin.connect();
      try {
        const end = (await admin.fetchTopicOffsets(TOPIC.orderEvents)).find((o) => o.partition === 0)!.high;
        await until(async () => (await admin.fetchOffsets({ groupId: 'dashboard-poison', topics: [TOPIC.orderEvents] }))[0]!.partitions.find((x) => x.partition === 0)!.offset === end, 'offsets committed past the set-aside record');
      } finally {
        await admin.disconnect();
      }
    } finally {
      await deadReader.disconnect().catch(() => {});
      await producer.disconnect();
      await gateway.stop();
    }
  }), 240_000);
});
