import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import pino from 'pino';
import { startStreamlog } from '@riderflow/streamlog';
import { TOPIC, TOPIC_NAMES, keyForEvent, topicForEvent, type LogEvent } from '@riderflow/contracts';
import { until } from './until.js';
import { loadDashboardConfig } from '../server/config.js';
import { Gateway } from '../server/gateway.js';

// A resumed start: a dashboard reads the log and commits, stops, and a new process starts on the
// same group. It resumed at the committed offsets with empty memory (the tour saw 4 of 120 stores
// and no open order placed before the restart). Now it reads the recent past back before the
// group joins: stores and open orders are there, nothing is folded twice, and the group's
// committed offsets never move backwards.

const NOW = Date.UTC(2025, 2, 4, 0, 25);
const MIN = 60_000;
const created = (orderId: string, storeId: string, ts: number, k: number): LogEvent => ({
  type: 'order.created', v: 1, id: `${orderId}:c`, ts, orderId, storeId, customerId: 'c1', zoneId: 'z1',
  storeLat: 52.5 + k / 1000, storeLon: 13.4 + k / 1000, dropLat: 52.51, dropLon: 13.41, placedAt: ts, expectedReadyAt: ts + 10 * MIN,
});
const delivered = (orderId: string, placedAt: number, ts: number): LogEvent => ({ type: 'order.delivered', v: 1, id: `${orderId}:d`, ts, orderId, riderId: 'r1', placedAt, clickToDoorMin: (ts - placedAt) / MIN });

// simulated times before NOW: a store seen only 20 h ago (its order long delivered), an order
// placed 3 h ago never closed (a leftover, not live), two open orders (one assigned), one delivered
const history: LogEvent[] = [
  created('o-old', 's-day', NOW - 20 * 60 * MIN, 1),
  delivered('o-old', NOW - 20 * 60 * MIN, NOW - 19 * 60 * MIN),
  created('o-stale', 's-stale', NOW - 3 * 60 * MIN, 2),
  created('o-open1', 's2', NOW - 30 * MIN, 3),
  created('o-open2', 's3', NOW - 25 * MIN, 4),
  { type: 'order.assigned', v: 1, id: 'o-open2:a', ts: NOW - 20 * MIN, orderId: 'o-open2', riderId: 'r1', assignmentId: 'a1' },
  created('o-done', 's4', NOW - 40 * MIN, 5),
  delivered('o-done', NOW - 40 * MIN, NOW - 10 * MIN),
  { type: 'rider.location', v: 1, id: 'r1:p', ts: NOW - 2 * MIN, riderId: 'r1', zoneId: 'z1', lat: 52.5, lon: 13.4, status: 'to_customer', speedKmh: 15 },
];

async function committed(admin: Admin, groupId: string): Promise<Map<string, bigint>> {
  const out = new Map<string, bigint>();
  for (const { topic, partitions } of await admin.fetchOffsets({ groupId, topics: [...TOPIC_NAMES] })) {
    for (const p of partitions) out.set(`${topic}/${p.partition}`, BigInt(p.offset));
  }
  return out;
}

async function ends(admin: Admin): Promise<Map<string, bigint>> {
  const out = new Map<string, bigint>();
  for (const topic of TOPIC_NAMES) for (const p of await admin.fetchTopicOffsets(topic)) out.set(`${topic}/${p.partition}`, BigInt(p.high));
  return out;
}

/** partitions whose committed offset in `later` is behind `earlier` (none: the commits never moved back) */
function movedBack(earlier: Map<string, bigint>, later: Map<string, bigint>): string[] {
  return [...earlier].filter(([k, v]) => v > 0n && (later.get(k) ?? -1n) < v).map(([k, v]) => `${k}: ${v} → ${later.get(k)}`);
}

describe('the dashboard after a resumed start', () => {
  it('reads the recent log back before its group offsets: stores and open orders are there, nothing twice, commits never move back', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rf-warm-'));
    const log = await startStreamlog({ port: 0, dataDir: dir, durability: 'none' });
    const kafka = new Kafka({ clientId: 'warm-test', brokers: [log.brokers], logLevel: logLevel.NOTHING });
    const config = loadDashboardConfig({ KAFKA_BROKERS: log.brokers, AMQP_MANAGEMENT_URL: 'http://guest:guest@127.0.0.1:21251', AMQP_URL: 'amqp://guest:guest@127.0.0.1:21252', DASHBOARD_GROUP: 'dashboard-resume-test', CITY_ZONES: '0', NODE_ENV: 'test' });
    const producer = kafka.producer();
    const admin = kafka.admin();
    let second: Gateway | null = null;
    const samples: Map<string, bigint>[] = [];
    let sampling: NodeJS.Timeout | undefined;
    try {
      await producer.connect();
      await admin.connect();
      const send = (events: LogEvent[]) => Promise.all(events.map((e) => producer.send({ topic: topicForEvent(e), messages: [{ key: keyForEvent(e), value: JSON.stringify(e), timestamp: String(e.ts) }] })));

      // the first dashboard reads the history as it is written and commits it
      const first = new Gateway(config, pino({ level: 'silent' }));
      try {
        first.start();
        await until(() => first.status().find((s) => s.name === 'log')!.live, 'the first dashboard reading');
        await send(history);
        await until(() => first.live.frame().openOrders.length === 2, 'the first dashboard folding the history');
        const end = await ends(admin);
        await until(async () => movedBack(end, await committed(admin, config.DASHBOARD_GROUP)).length === 0, 'the first dashboard committing to the end');
      } finally {
        await first.stop();
      }
      const before = await committed(admin, config.DASHBOARD_GROUP);
      expect([...before.values()].some((v) => v > 0n)).toBe(true);

      // a new process on the same group; its commits are watched from before it starts
      sampling = setInterval(() => void committed(admin, config.DASHBOARD_GROUP).then((c) => samples.push(c), () => {}), 100);
      const gateway = new Gateway(config, pino({ level: 'silent' }));
      second = gateway;
      gateway.start();
      await until(() => gateway.status().find((s) => s.name === 'log')!.live, 'the second dashboard reading', 120_000);
      const frame = gateway.live.frame();
      expect(frame.stores.map(([id]) => id).sort()).toEqual(['s-day', 's-stale', 's2', 's3', 's4']);
      expect(frame.openOrders.map(([, , assigned, id]) => [id, assigned]).sort()).toEqual([['o-open1', 0], ['o-open2', 1]]);
      expect(frame.riders.map(([id]) => id)).toEqual(['r1']);
      expect(frame.simTime).toBe(NOW - 2 * MIN);
      expect(frame.counts.byType).toEqual({ 'order.created': 5, 'order.delivered': 2, 'order.assigned': 1, 'rider.location': 1 });
      expect(frame.kpis.find((k) => k.key === 'c2dMean')!.value).toBe(30);

      // what comes after the restart is folded once, on top of what was read back
      await send([delivered('o-open1', NOW - 30 * MIN, NOW)]);
      await until(() => gateway.live.frame().openOrders.length === 1, 'the delivery after the restart folded');
      const after = gateway.live.frame();
      expect(after.counts.byType).toEqual({ 'order.created': 5, 'order.delivered': 3, 'order.assigned': 1, 'rider.location': 1 });
      expect(after.feed.filter((f) => f.type === 'order.created')).toHaveLength(5);
      const end = await ends(admin);
      await until(async () => movedBack(end, await committed(admin, config.DASHBOARD_GROUP)).length === 0, 'the second dashboard committing the new record');
      clearInterval(sampling);
      for (const s of samples) expect(movedBack(before, s)).toEqual([]);
      expect(samples.length).toBeGreaterThan(0);
      // the read-back's own group is gone (it is a job that ended)
      expect((await admin.listGroups()).groups.map((g) => g.groupId).filter((id) => id.startsWith('dashboard-warm-'))).toEqual([]);
    } finally {
      clearInterval(sampling);
      await second?.stop();
      await producer.disconnect().catch(() => {});
      await admin.disconnect().catch(() => {});
      await log.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
