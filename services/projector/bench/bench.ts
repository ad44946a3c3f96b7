// Projector throughput: events produced to an embedded streamlog, projected into a fresh SQLite
// (or BENCH_DATABASE_URL) database. Prints numbers; asserts nothing.
//   npx tsx services/projector/bench/bench.ts [orders] [pingsPerRider] [riders]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { SCHEMA_VERSION, topicForEvent, type LogEvent } from '@riderflow/contracts';
import { ensureTopics } from '@riderflow/service-kit';
import { startStreamlog } from '@riderflow/streamlog';
import { migrateDatabase, openDatabase } from '@riderflow/db';
import { startProjector } from '../src/projector.js';

const orders = Number(process.argv[2] ?? 5000);
const pingsPerRider = Number(process.argv[3] ?? 100);
const riders = Number(process.argv[4] ?? 100);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-projector-bench-'));
const log = await startStreamlog({ port: 0, dataDir: path.join(dir, 'log'), durability: 'none' });
const url = process.env.BENCH_DATABASE_URL ?? `file:${path.join(dir, 'bench.db')}`;
await migrateDatabase(url);
const db = await openDatabase(url);
const kafka = new Kafka({ clientId: 'bench', brokers: [log.brokers], logLevel: logLevel.NOTHING });
const admin = kafka.admin();
await admin.connect();
await ensureTopics(admin);

const T0 = Date.UTC(2026, 0, 5, 18);
const events: LogEvent[] = [];
let n = 0;
for (let r = 0; r < riders; r++) for (let k = 0; k < pingsPerRider; k++) {
  events.push({ type: 'rider.location', v: SCHEMA_VERSION, id: `p${n++}`, ts: T0 + k * 5000 + r, riderId: `r${r}`, zoneId: `z${r % 8}`, lat: 52.5, lon: 13.4, status: 'idle', speedKmh: 15 });
}
for (let o = 0; o < orders; o++) {
  const t = T0 + o * 1000;
  const b = { v: SCHEMA_VERSION } as const;
  events.push({ ...b, type: 'order.created', id: `e${n++}`, ts: t, orderId: `o${o}`, storeId: 's1', customerId: `c${o}`, zoneId: 'z1', storeLat: 52.5, storeLon: 13.4, dropLat: 52.51, dropLon: 13.41, placedAt: t, expectedReadyAt: t + 600_000 });
  events.push({ ...b, type: 'order.assigned', id: `e${n++}`, ts: t + 60_000, orderId: `o${o}`, riderId: `r${o % riders}`, assignmentId: `a${o}` });
  events.push({ ...b, type: 'order.delivered', id: `e${n++}`, ts: t + 1_800_000, orderId: `o${o}`, riderId: `r${o % riders}`, placedAt: t, clickToDoorMin: 30 });
}
const producer = kafka.producer();
await producer.connect();
for (let i = 0; i < events.length; i += 5000) {
  const byTopic = new Map<string, { key: string; value: string; timestamp: string }[]>();
  for (const e of events.slice(i, i + 5000)) {
    const topic = topicForEvent(e);
    if (!byTopic.has(topic)) byTopic.set(topic, []);
    byTopic.get(topic)!.push({ key: 'orderId' in e ? e.orderId : (e as { riderId: string }).riderId, value: JSON.stringify(e), timestamp: String(e.ts) });
  }
  await producer.sendBatch({ topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
}
await producer.disconnect();

const t0 = performance.now();
const projector = await startProjector({ kafka, prisma: db.prisma, groupId: 'bench' });
while ((await db.prisma.order.count({ where: { status: 'delivered' } })) < orders) await new Promise((r) => setTimeout(r, 100));
const seconds = (performance.now() - t0) / 1000;
console.log(`projected ${events.length} events (${riders * pingsPerRider} rider pings, ${orders * 3} order events) into ${db.provider} in ${seconds.toFixed(1)} s: ${(events.length / seconds).toFixed(0)} events/s (includes consumer-group join)`);
await projector.stop();
await admin.disconnect();
await db.close();
await log.close();
fs.rmSync(dir, { recursive: true, force: true });
