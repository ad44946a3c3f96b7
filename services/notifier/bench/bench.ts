// Throughput of one notifier process: N notifications through workers on the embedded taskqueue
// and a SQLite ledger. Prints numbers; asserts nothing.
//   npx tsx services/notifier/bench/bench.ts [count] [workers]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import amqp from 'amqplib';
import { SCHEMA_VERSION } from '@riderflow/contracts';
import { migrateDatabase, openDatabase } from '@riderflow/db';
import { startTaskqueue } from '@riderflow/taskqueue';
import { NotificationLedger } from '../src/ledger.js';
import { simulatedProviders } from '../src/providers.js';
import { MemoryResultPublisher } from '../src/results.js';
import { notifierTopology } from '../src/topology.js';
import { NotifierWorker } from '../src/worker.js';

const count = Number(process.argv[2] ?? 2000);
const workerCount = Number(process.argv[3] ?? 2);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-notifier-bench-'));
const tq = await startTaskqueue({ port: 0, dataDir: dir, durability: 'none' });
const url = process.env.BENCH_DATABASE_URL ?? `file:${path.join(dir, 'bench.db')}`;
await migrateDatabase(url);
const db = await openDatabase(url);
const topology = notifierTopology({ prefix: 'bench.', retryDelaysMs: [20, 50, 100] });
const providers = simulatedProviders({ failureRate: 0.05 });
const workers = Array.from({ length: workerCount }, (_, i) => new NotifierWorker({
  amqpUrl: tq.url, topology, providers, results: new MemoryResultPublisher(),
  ledger: new NotificationLedger(db.prisma, 5_000), prefetch: 50, maxAttempts: 3, workerId: `w${i}`,
}));
for (const w of workers) await w.start();
const conn = await amqp.connect(tq.url);
const ch = await conn.createConfirmChannel();
const t0 = performance.now();
for (let i = 0; i < count; i++) {
  const body = { type: 'notification', v: SCHEMA_VERSION, id: `t${i}`, ts: Date.now(), notificationId: `n${i}`, idempotencyKey: `k${i}`, audience: 'customer', channel: 'email', recipient: 'a@b', template: 't', data: {} };
  ch.publish(topology.exchanges.notifications, 'customer.email', Buffer.from(JSON.stringify(body)), { persistent: true });
}
await ch.waitForConfirms();
const sent = () => Object.values(providers).reduce((n, p) => n + p.sent.length, 0);
while (sent() < count * 0.99) await new Promise((r) => setTimeout(r, 20));
const seconds = (performance.now() - t0) / 1000;
console.log(`${sent()} of ${count} notifications sent in ${seconds.toFixed(2)} s: ${(sent() / seconds).toFixed(0)}/s with ${workerCount} workers (prefetch 50, SQLite ledger)`);
for (const w of workers) await w.stop();
await conn.close();
await db.close();
await tq.close();
fs.rmSync(dir, { recursive: true, force: true });
