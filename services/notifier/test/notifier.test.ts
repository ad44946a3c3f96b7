import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import amqp, { type ChannelModel, type ConsumeMessage } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, type NotificationTask } from '@riderflow/contracts';
import { startTaskqueue, type TaskqueueHandle } from '@riderflow/taskqueue';
import { NotificationLedger } from '../src/ledger.js';
import { createNotifierMetrics } from '../src/metrics.js';
import { simulatedProviders, type Provider, type ProviderSet, type SimulatedProvider } from '../src/providers.js';
import { MemoryResultPublisher } from '../src/results.js';
import { notifierTopology, type NotifierTopology } from '../src/topology.js';
import type { NotifierWorker } from '../src/worker.js';
import { killableWorker } from './killable-worker.js';
import { postgresTestDatabase, sqliteTestDatabase, waitFor, type TestDatabase } from './support.js';

const RABBITMQ_URL = process.env.RABBITMQ_URL;
const POSTGRES_URL = process.env.POSTGRES_URL;
const MAX_ATTEMPTS = 3;

function task(i: number): NotificationTask {
  const kinds = [['customer', 'email'], ['customer', 'sms'], ['customer', 'push'], ['ops', 'webhook']] as const;
  const [audience, channel] = kinds[i % kinds.length]!;
  return {
    type: 'notification', v: SCHEMA_VERSION, id: `task-${i}`, ts: 1_700_000_000_000 + i,
    notificationId: `n-${i}`, idempotencyKey: `key-${i}`, audience, channel,
    recipient: `${audience}-${i}@example.test`, template: 'order-update', data: { orderId: `o-${i}` },
  };
}

async function publishAll(url: string, topology: NotifierTopology, bodies: { key: string; body: Buffer }[]): Promise<void> {
  const conn = await amqp.connect(url);
  try {
    const ch = await conn.createConfirmChannel();
    await topology.declare(ch);
    for (const { key, body } of bodies) {
      if (!ch.publish(topology.exchanges.notifications, key, body, { persistent: true, contentType: 'application/json' })) await new Promise((r) => ch.once('drain', r));
    }
    await ch.waitForConfirms();
  } finally {
    await conn.close();
  }
}

interface DeadLetter { body: string; reason: string; attempt: number }

async function collectDeadLetters(url: string, topology: NotifierTopology, into: DeadLetter[]): Promise<ChannelModel> {
  const conn = await amqp.connect(url);
  const ch = await conn.createChannel();
  await topology.declare(ch);
  await ch.consume(topology.queues.dead, (msg: ConsumeMessage | null) => {
    if (!msg) return;
    into.push({ body: msg.content.toString(), reason: String(msg.properties.headers?.['x-reason'] ?? ''), attempt: Number(msg.properties.headers?.['x-attempt'] ?? 0) });
    ch.ack(msg);
  });
  return conn;
}

async function deleteTopology(url: string, topology: NotifierTopology): Promise<void> {
  const conn = await amqp.connect(url);
  try {
    const ch = await conn.createChannel();
    for (const q of [topology.queues.customer, topology.queues.ops, topology.queues.dead, ...topology.retrySteps.map((s) => s.queue)]) await ch.deleteQueue(q);
    for (const x of Object.values(topology.exchanges)) await ch.deleteExchange(x);
  } finally {
    await conn.close();
  }
}

/** Each worker sees the shared providers through a wrapper that can kill it right after a real send. */
function providersFor(shared: Record<string, SimulatedProvider>, afterSend: () => void): ProviderSet {
  const wrap = (p: Provider): Provider => ({
    channel: p.channel,
    async send(req) {
      const receipt = await p.send(req);
      if (!receipt.deduplicated) afterSend();
      return receipt;
    },
  });
  return { email: wrap(shared.email!), sms: wrap(shared.sms!), push: wrap(shared.push!), webhook: wrap(shared.webhook!) };
}

interface Broker { name: string; url: () => string; available: boolean; start?: () => Promise<void>; stop?: () => Promise<void> }

let taskqueue: TaskqueueHandle | undefined;
let taskqueueDir = '';
const brokers: Broker[] = [
  {
    name: 'taskqueue',
    available: true,
    url: () => taskqueue!.url,
    start: async () => {
      taskqueueDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-notifier-tq-'));
      taskqueue = await startTaskqueue({ port: 0, dataDir: taskqueueDir, durability: 'none' });
    },
    stop: async () => {
      await taskqueue?.close();
      fs.rmSync(taskqueueDir, { recursive: true, force: true });
    },
  },
  { name: 'RabbitMQ', available: !!RABBITMQ_URL, url: () => RABBITMQ_URL! },
];

const databases: { name: string; available: boolean; open: () => Promise<TestDatabase> }[] = [
  { name: 'SQLite', available: true, open: sqliteTestDatabase },
  { name: 'PostgreSQL', available: !!POSTGRES_URL, open: () => postgresTestDatabase(POSTGRES_URL!, 'notifier') },
];

for (const broker of brokers) {
  describe.skipIf(!broker.available)(`notifier on ${broker.name}`, () => {
    beforeAll(async () => { await broker.start?.(); });
    afterAll(async () => { await broker.stop?.(); });

    for (const database of databases) {
      // 1,000 per broker and database (SQLite had 3,000, PostgreSQL always 1,000): the kills fall at
      // the same 25 % and 60 % of the sends, so each run proves the same; scale is bench:notifier's.
      const total = 1_000;
      it.skipIf(!database.available)(`${database.name}: ${total} notifications, 5 % provider failures, two workers killed mid-batch: each sent exactly once or dead-lettered`, async () => {
        const testDb = await database.open();
        const topology = notifierTopology({ prefix: `rf-test-${randomUUID().slice(0, 8)}.`, retryDelaysMs: [20, 50, 100] });
        const shared = simulatedProviders({ failureRate: 0.05 });
        const results = new MemoryResultPublisher();
        const deadLetters: DeadLetter[] = [];
        const workers: NotifierWorker[] = [];
        let dlConn: ChannelModel | undefined;
        const metrics = createNotifierMetrics();
        try {
          let sends = 0;
          const killAt = new Map<number, () => void>();
          const kills = new Map<NotifierWorker, () => void>();
          const startWorker = async (name: string) => {
            let worker: NotifierWorker | undefined;
            const providers = providersFor(shared, () => {
              sends++;
              // The worker that made the send dies right after the provider recorded it and
              // before the ledger did: the hardest crash for "never send twice".
              const plan = killAt.get(sends);
              if (plan && worker) { killAt.delete(sends); plan.call(worker); }
            });
            const killable = killableWorker({
              amqpUrl: broker.url(), topology, providers, results, metrics,
              ledger: new NotificationLedger(testDb.db.prisma, 1_000),
              prefetch: 50, maxAttempts: MAX_ATTEMPTS, workerId: name,
            });
            worker = killable.worker;
            kills.set(worker, killable.kill);
            await worker.start();
            workers.push(worker);
            return worker;
          };
          const killed: string[] = [];
          const killAndReplace = function (this: NotifierWorker) {
            killed.push(this.id);
            kills.get(this)!();
            void startWorker(`replacement-${killed.length}`);
          };
          killAt.set(Math.floor(total * 0.25), killAndReplace);
          killAt.set(Math.floor(total * 0.6), killAndReplace);

          dlConn = await collectDeadLetters(broker.url(), topology, deadLetters);
          await startWorker('w1');
          await startWorker('w2');
          const bodies = Array.from({ length: total }, (_, i) => ({ key: `${task(i).audience}.${task(i).channel}`, body: Buffer.from(JSON.stringify(task(i))) }));
          const invalid = [
            { key: 'customer.email', body: Buffer.from('{not json') },
            { key: 'ops.webhook', body: Buffer.from(JSON.stringify({ ...task(0), notificationId: '', channel: 'carrier-pigeon' })) },
          ];
          await publishAll(broker.url(), topology, [...bodies.slice(0, total / 2), ...invalid, ...bodies.slice(total / 2)]);

          const sentKeys = () => new Set(Object.values(shared).flatMap((p) => p.sent.map((s) => s.idempotencyKey)));
          const deadIds = () => new Set(deadLetters.flatMap((d) => { try { return [JSON.parse(d.body).notificationId as string]; } catch { return []; } }).filter(Boolean));
          const done = () => sentKeys().size + deadIds().size >= total && deadLetters.length >= deadIds().size + invalid.length;
          await waitFor('every notification sent or dead-lettered', done, 150_000, () => `sent ${sentKeys().size}, dead ${deadIds().size}, dead letters ${deadLetters.length}`);
          // Let redeliveries and deferred retries still in flight play out, then stop.
          await waitFor('queues drained', async () => {
            const conn = await amqp.connect(broker.url());
            try {
              const ch = await conn.createChannel();
              let n = 0;
              for (const q of [topology.queues.customer, topology.queues.ops, ...topology.retrySteps.map((s) => s.queue)]) n += (await ch.checkQueue(q)).messageCount;
              return n === 0 && workers.every((w) => killed.includes(w.id) || w.inFlightCount === 0);
            } finally { await conn.close(); }
          }, 30_000);
          for (const w of workers) await w.stop();

          expect(killed).toHaveLength(2);
          // None sent twice, counted from the providers' own record.
          const allSent = Object.values(shared).flatMap((p) => p.sent);
          const perKey = new Map<string, number>();
          for (const s of allSent) perKey.set(s.idempotencyKey, (perKey.get(s.idempotencyKey) ?? 0) + 1);
          expect([...perKey.values()].filter((n) => n > 1)).toEqual([]);
          // None lost: every notification was sent or dead-lettered, never both.
          const dead = deadIds();
          for (let i = 0; i < total; i++) {
            const key = `key-${i}`;
            expect(perKey.has(key) !== dead.has(`n-${i}`), `notification ${i}: sent=${perKey.has(key)} dead=${dead.has(`n-${i}`)}`).toBe(true);
          }
          // Dead letters carry their reason; provider failures only after MAX_ATTEMPTS attempts.
          for (const d of deadLetters) expect(d.reason).not.toBe('');
          const providerDead = deadLetters.filter((d) => /provider failed/.test(d.reason));
          for (const d of providerDead) expect(d.attempt).toBe(MAX_ATTEMPTS);
          // An invalid task is dead-lettered at least once (twice if its worker died before acking).
          const invalidReasons = new Map(deadLetters.filter((d) => !/provider failed/.test(d.reason)).map((d) => [d.body, d.reason]));
          expect(invalidReasons.size).toBe(2);
          expect(invalidReasons.get('{not json')).toMatch(/^not JSON/);
          expect([...invalidReasons.values()].filter((r) => /^invalid notification: .*channel/.test(r))).toHaveLength(1);
          // Failures were retried (5 % of sends fail), and the crash between send and ledger write
          // was recovered through the provider's idempotency key rather than a second send.
          const failures = Object.values(shared).reduce((n, p) => n + p.failures, 0);
          expect(failures).toBeGreaterThan(total * 0.02);
          expect(Object.values(shared).reduce((n, p) => n + p.deduplicated, 0)).toBeGreaterThan(0);
          // The ledger agrees with the providers, and every outcome was published as a result.
          const prisma = testDb.db.prisma;
          expect(await prisma.notification.count({ where: { status: 'sent' } })).toBe(perKey.size);
          expect(await prisma.notification.count({ where: { status: 'dead_lettered' } })).toBe(dead.size);
          const finalResults = new Map<string, string>();
          for (const r of results.results) if (r.status === 'sent' || r.status === 'dead_lettered') finalResults.set(r.notificationId, r.status);
          expect(finalResults.size).toBe(total);
          console.log(`[${broker.name}/${database.name}] ${total} notifications: ${perKey.size} sent once, ${dead.size} dead-lettered after ${MAX_ATTEMPTS} attempts, ${failures} provider failures retried, ${Object.values(shared).reduce((n, p) => n + p.deduplicated, 0)} resends absorbed by provider idempotency, killed ${killed.join(', ')}`);
        } finally {
          for (const w of workers) await w.stop().catch(() => undefined);
          await dlConn?.close().catch(() => undefined);
          if (broker.name === 'RabbitMQ') await deleteTopology(broker.url(), topology).catch(() => undefined);
          await testDb.drop();
        }
      }, 240_000);
    }
  });
}
