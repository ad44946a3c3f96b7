import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, TOPIC, topicForEvent, type LogEvent } from '@riderflow/contracts';
import { ensureTopics } from '@riderflow/service-kit';
import { startStreamlog, type StreamlogHandle } from '@riderflow/streamlog';
import { startProjector, type ProjectorOptions } from '../src/projector.js';
import { applyBatch } from '../src/projection-store.js';
import type { PrismaClient } from '@riderflow/db';
import { PROJECTED_TOPICS } from '../src/projection.js';
import { postgresTestDatabase, sqliteTestDatabase, waitFor, type TestDatabase } from '@riderflow/db/testing';

const POSTGRES_URL = process.env.POSTGRES_URL;
const T0 = Date.UTC(2026, 0, 5, 18, 0, 0);

/** A small, deterministic day: riders start shifts and ping, orders run their lifecycle, dispatch assigns, rostering plans. */
function scenario(): LogEvent[] {
  const ev: LogEvent[] = [];
  const base = { v: SCHEMA_VERSION } as const;
  let n = 0;
  const id = () => `e-${++n}`;
  for (let r = 0; r < 6; r++) {
    ev.push({ ...base, type: 'rider.shift_started', id: id(), ts: T0 + r, riderId: `r${r}`, zoneId: `z${r % 2}`, lat: 40.7, lon: -74, shiftEnd: T0 + 4 * 3600_000 });
    for (let k = 0; k < 5; k++) {
      ev.push({ ...base, type: 'rider.location', id: id(), ts: T0 + 60_000 * (k + 1) + r, riderId: `r${r}`, zoneId: `z${(r + k) % 2}`, lat: 40.7 + k / 100, lon: -74 + r / 100, status: k % 2 ? 'to_store' : 'idle', speedKmh: 10 + k });
    }
  }
  ev.push({ ...base, type: 'rider.shift_ended', id: id(), ts: T0 + 3600_000, riderId: 'r5' });
  for (let o = 0; o < 40; o++) {
    const orderId = `o${o}`;
    const t = T0 + o * 30_000;
    ev.push({ ...base, type: 'order.created', id: id(), ts: t, orderId, storeId: `s${o % 4}`, customerId: `c${o}`, zoneId: `z${o % 2}`, storeLat: 40.7, storeLon: -74, dropLat: 40.71, dropLon: -74.01, placedAt: t, expectedReadyAt: t + 600_000 });
    if (o % 10 === 9) { ev.push({ ...base, type: 'order.cancelled', id: id(), ts: t + 900_000, orderId, reason: 'unassigned_timeout' }); continue; }
    ev.push({ ...base, type: 'order.ready', id: id(), ts: t + 600_000, orderId, storeId: `s${o % 4}` });
    if (o % 3 === 0) continue; // still waiting for a rider
    const riderId = `r${o % 5}`;
    const assignmentId = `a${o}`;
    ev.push({ ...base, type: 'dispatch.assigned', id: id(), ts: t + 60_000, assignmentId, riderId, storeId: `s${o % 4}`, orderIds: [orderId], plannedPickupAt: t + 600_000, plannedDropoffs: [{ orderId, at: t + 1_200_000 }] });
    ev.push({ ...base, type: 'order.assigned', id: id(), ts: t + 60_000, orderId, riderId, assignmentId });
    if (o % 3 === 1) continue;
    ev.push({ ...base, type: 'order.picked_up', id: id(), ts: t + 700_000, orderId, riderId });
    ev.push({ ...base, type: 'order.delivered', id: id(), ts: t + 1_500_000, orderId, riderId, placedAt: t, clickToDoorMin: 25 });
  }
  ev.push({ ...base, type: 'roster.plan', id: id(), ts: T0 + 900_000, planId: 'p1', modelVersion: 'mv-1', bucketStart: T0 + 900_000, horizonMin: 60,
    zones: [{ zoneId: 'z0', forecastOrders: 12, ridersNeeded: 4, ridersPresent: 3 }], moves: [{ riderId: 'r1', fromZoneId: 'z1', toZoneId: 'z0' }], callIns: [{ hourStart: T0 + 3600_000, riders: 2 }] });
  return ev;
}

async function snapshot(prisma: PrismaClient) {
  const noUpdatedAt = <T extends { updatedAt?: unknown }>(rows: T[]) => rows.map(({ updatedAt: _u, ...rest }) => rest);
  return {
    orders: noUpdatedAt(await prisma.order.findMany({ orderBy: { id: 'asc' } })),
    riders: noUpdatedAt(await prisma.rider.findMany({ orderBy: { id: 'asc' } })),
    shifts: await prisma.shift.findMany({ orderBy: { id: 'asc' } }),
    assignments: await prisma.assignment.findMany({ orderBy: { id: 'asc' } }),
    plans: (await prisma.rosterPlan.findMany({ orderBy: { id: 'asc' } })).map(({ createdAt: _c, ...rest }) => rest),
    processed: (await prisma.processedEvent.findMany({ orderBy: { eventId: 'asc' } })).map(({ processedAt: _p, ...rest }) => rest),
  };
}

let log: StreamlogHandle;
let dir: string;
let kafka: Kafka;
let events: LogEvent[];

/** Runs the projector in `groupId` until that group has committed every offset of the projected topics. */
async function project(prisma: PrismaClient, groupId: string, extra: Partial<ProjectorOptions> = {}): Promise<void> {
  const projector = await startProjector({ kafka, prisma, groupId, maxTransactionEvents: 25, ...extra });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = new Map<string, string>();
    for (const topic of PROJECTED_TOPICS) for (const p of await admin.fetchTopicOffsets(topic)) ends.set(`${topic}/${p.partition}`, p.high);
    await waitFor(`group ${groupId} caught up`, async () => {
      const committed = await admin.fetchOffsets({ groupId, topics: [...PROJECTED_TOPICS] });
      return committed.every((t) => t.partitions.every((p) => ends.get(`${t.topic}/${p.partition}`) === '0' || p.offset === ends.get(`${t.topic}/${p.partition}`)));
    }, 60_000);
  } finally {
    await admin.disconnect();
    await projector.stop();
  }
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-projector-'));
  log = await startStreamlog({ port: 0, dataDir: dir, durability: 'none' });
  kafka = new Kafka({ clientId: 'projector-test', brokers: [log.brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin);
  await admin.disconnect();
  events = scenario();
  const producer = kafka.producer();
  await producer.connect();
  const byTopic = new Map<string, { key: string; value: string; timestamp: string }[]>();
  const keyOf = (e: LogEvent) => ('orderId' in e ? e.orderId : 'riderId' in e ? e.riderId : 'all');
  for (const e of events) {
    const topic = topicForEvent(e);
    if (!byTopic.has(topic)) byTopic.set(topic, []);
    byTopic.get(topic)!.push({ key: keyOf(e), value: JSON.stringify(e), timestamp: String(e.ts) });
  }
  // A producer retry writes one event twice, and one record is not an event at all.
  const dup = events.find((e) => e.type === 'order.delivered')!;
  byTopic.get(TOPIC.orderEvents)!.push({ key: keyOf(dup), value: JSON.stringify(dup), timestamp: String(dup.ts) });
  byTopic.get(TOPIC.orderEvents)!.push({ key: 'o1', value: '{"type":"order.created","v":1', timestamp: String(T0) });
  await producer.sendBatch({ topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
  await producer.disconnect();
}, 60_000);

afterAll(async () => {
  await log?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const databases = [
  { name: 'SQLite', available: true, open: sqliteTestDatabase },
  { name: 'PostgreSQL', available: !!POSTGRES_URL, open: () => postgresTestDatabase(POSTGRES_URL!, 'projector') },
];

for (const database of databases) {
  describe.skipIf(!database.available)(`projector on ${database.name}`, () => {
    let t: TestDatabase;
    beforeAll(async () => { t = await database.open(); });
    afterAll(async () => { await t?.drop(); });

    it('projects orders, assignments, riders, shifts and plans; replayed twice over the same offsets it leaves the same rows', async () => {
      const prisma = t.db.prisma;
      const run = randomUUID().slice(0, 8);
      await project(prisma, `projector-${run}-a`);
      const first = await snapshot(prisma);

      // What the log says, in rows.
      expect(first.orders).toHaveLength(40);
      const byId = new Map(first.orders.map((o) => [o.id, o]));
      expect(byId.get('o9')).toMatchObject({ status: 'cancelled', cancelReason: 'unassigned_timeout' });
      expect(byId.get('o3')).toMatchObject({ status: 'ready', riderId: null });
      expect(byId.get('o1')).toMatchObject({ status: 'assigned', riderId: 'r1', assignmentId: 'a1' });
      expect(byId.get('o2')).toMatchObject({ status: 'delivered', riderId: 'r2', clickToDoorMin: 25 });
      expect(byId.get('o2')!.deliveredAt?.getTime()).toBe(T0 + 2 * 30_000 + 1_500_000);
      expect(first.assignments).toHaveLength(events.filter((e) => e.type === 'dispatch.assigned').length);
      expect(first.riders).toHaveLength(6);
      const r0 = first.riders.find((r) => r.id === 'r0')!;
      expect(r0).toMatchObject({ status: 'idle', speedKmh: 14, onShift: true }); // its last ping
      expect(r0.lastEventTs?.getTime()).toBe(T0 + 5 * 60_000);
      expect(first.riders.find((r) => r.id === 'r5')).toMatchObject({ onShift: false, status: 'off_shift' });
      expect(first.shifts.find((s) => s.riderId === 'r5')?.endedAt?.getTime()).toBe(T0 + 3600_000);
      expect(first.shifts.filter((s) => s.endedAt === null)).toHaveLength(5);
      expect(first.plans).toEqual([expect.objectContaining({ id: 'p1', horizonMin: 60 })]);
      expect(JSON.parse(first.plans[0]!.zonesJson)[0]).toMatchObject({ zoneId: 'z0', ridersNeeded: 4 });
      // Every tracked event once, despite the duplicate record.
      expect(first.processed).toHaveLength(events.filter((e) => e.type !== 'rider.location').length);

      // Replay the same offsets in two new consumer groups: nothing changes.
      await project(prisma, `projector-${run}-b`);
      expect(await snapshot(prisma)).toEqual(first);
      await project(prisma, `projector-${run}-c`);
      expect(await snapshot(prisma)).toEqual(first);
    }, 120_000);
  });
}

describe('projector dead letters', () => {
  it('sets a record that is not an event aside on events.dead with its reason and offset', async () => {
    const consumer = kafka.consumer({ groupId: `dead-reader-${randomUUID()}` });
    const seen: { reason: string; sourceTopic: string; offset: string }[] = [];
    await consumer.connect();
    await consumer.subscribe({ topics: [TOPIC.eventsDead], fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => { seen.push(JSON.parse(message.value!.toString())); } });
    try {
      await waitFor('a dead letter from the projector', () => seen.length > 0, 60_000);
      expect(seen[0]).toMatchObject({ sourceTopic: TOPIC.orderEvents, reason: expect.stringMatching(/JSON/) });
    } finally {
      await consumer.disconnect();
    }
  }, 90_000);
});

describe('projector with an event the database refuses', () => {
  let t: TestDatabase;
  beforeAll(async () => { t = await sqliteTestDatabase(); });
  afterAll(async () => { await t?.drop(); });

  it('retries its batch a few times, then applies the rest one by one and dead-letters that event with the reason', async () => {
    const poison = events.find((e) => e.type === 'order.ready' && e.orderId === 'o5')!;
    let failures = 0;
    // Not a transient database error: the same event fails every time, alone or in its batch.
    const apply: typeof applyBatch = async (prisma, slice) => {
      if (slice.some((b) => b.event.id === poison.id)) {
        failures++;
        throw new Error(`poison ${poison.id}`);
      }
      return applyBatch(prisma, slice);
    };
    const consumer = kafka.consumer({ groupId: `poison-reader-${randomUUID()}` });
    const seen: { reason: string; sourceTopic: string; offset: string; payload?: string }[] = [];
    await consumer.connect();
    await consumer.subscribe({ topics: [TOPIC.eventsDead], fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => { seen.push(JSON.parse(message.value!.toString())); } });
    try {
      await project(t.db.prisma, `projector-poison-${randomUUID().slice(0, 8)}`, { apply, maxSliceAttempts: 2 });
      // two attempts at the whole slice, then once on its own
      expect(failures).toBe(3);
      await waitFor('the poison event on events.dead', () => seen.some((d) => /poison/.test(d.reason)), 30_000);
      const dead = seen.find((d) => /poison/.test(d.reason))!;
      expect(dead).toMatchObject({ sourceTopic: TOPIC.orderEvents, reason: `projection failed: poison ${poison.id}` });
      // everything else in the log was projected, including the events after the poison one
      const orders = await t.db.prisma.order.findMany({ orderBy: { id: 'asc' } });
      expect(orders).toHaveLength(40);
      expect(orders.find((o) => o.id === 'o5')).toMatchObject({ status: 'delivered', riderId: 'r0' });
      expect(orders.find((o) => o.id === 'o6')).toMatchObject({ status: 'ready' });
      const processed = await t.db.prisma.processedEvent.findMany({ select: { eventId: true } });
      expect(processed.map((p) => p.eventId)).not.toContain(poison.id);
      expect(processed).toHaveLength(events.filter((e) => e.type !== 'rider.location').length - 1);
    } finally {
      await consumer.disconnect();
    }
  }, 120_000);
});
