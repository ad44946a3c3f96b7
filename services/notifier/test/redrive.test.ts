import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDeadLetter, SCHEMA_VERSION, type NotificationTask } from '@riderflow/contracts';
import { redrive } from '@riderflow/service-kit';
import { startTaskqueue } from '@riderflow/taskqueue';
import { amqpTestBrokers } from '@riderflow/service-kit/testing';
import { NotificationLedger } from '../src/ledger.js';
import { simulatedProviders } from '../src/providers.js';
import { MemoryResultPublisher } from '../src/results.js';
import { notifierTopology } from '../src/topology.js';
import { NotifierWorker } from '../src/worker.js';
import { sqliteTestDatabase, waitFor } from './support.js';

// The fifth way of making a dead letter: the notifier gives up on a task after its retries. The
// dead letter names where it came from (notifications, customer.email, notify.customer, not the
// retry key), a redrive puts it back there, and the notifier sends it, once.

const brokers = amqpTestBrokers({ dirPrefix: 'rf-notifier-redrive-', startEmbedded: (dataDir) => startTaskqueue({ port: 0, dataDir, durability: 'none' }) });

const task = (i: number): NotificationTask => ({
  type: 'notification', v: SCHEMA_VERSION, id: `redrive-${i}`, ts: 1_700_000_000_000 + i, notificationId: `rd-${i}`, idempotencyKey: `rd-key-${i}`,
  audience: 'customer', channel: 'email', recipient: `c${i}@example.test`, template: 'order-update', data: { i },
});

for (const broker of brokers) {
  describe(`a task the notifier gave up on, redriven, on ${broker.name}`, () => {
    // each test's own prefix keeps the shared RabbitMQ clean: its queues and exchanges go with it
    const cleanUp = async (worker: NotifierWorker, conn: amqp.ChannelModel, topology: ReturnType<typeof notifierTopology>, db: Awaited<ReturnType<typeof sqliteTestDatabase>>) => {
      await worker.stop();
      if (broker.name === 'RabbitMQ') {
        const c = await conn.createChannel();
        for (const q of [topology.queues.customer, topology.queues.ops, topology.queues.dead, ...topology.retrySteps.map((s) => s.queue)]) await c.deleteQueue(q).catch(() => {});
        for (const x of Object.values(topology.exchanges)) await c.deleteExchange(x).catch(() => {});
      }
      await conn.close().catch(() => {});
      await db.drop();
    };
    beforeAll(async () => { await broker.start?.(); });
    afterAll(async () => { await broker.stop?.(); });

    it('keeps its origin through the retries, goes back to notify.customer as customer.email, and is sent exactly once', async () => {
      const db = await sqliteTestDatabase();
      const topology = notifierTopology({ prefix: `rf-redrive-${randomUUID().slice(0, 8)}.`, retryDelaysMs: [20, 50] });
      let providerDown = true;
      const providers = simulatedProviders({ failureRate: 1, random: () => (providerDown ? 0 : 1) });
      const results = new MemoryResultPublisher();
      const worker = new NotifierWorker({
        amqpUrl: broker.url(), topology, providers, results, ledger: new NotificationLedger(db.db.prisma, 10_000), prefetch: 10, maxAttempts: 3, workerId: 'redrive-w',
      });
      const conn = await amqp.connect(broker.url());
      try {
        const ch = await conn.createConfirmChannel();
        await topology.declare(ch);
        await worker.start();
        for (const i of [1, 2]) ch.publish(topology.exchanges.notifications, 'customer.email', Buffer.from(JSON.stringify(task(i))), { persistent: true, headers: { 'x-trace': `t${i}` } });
        await ch.waitForConfirms();
        await waitFor('both tasks dead-lettered after 3 attempts', async () => (await ch.checkQueue(topology.queues.dead)).messageCount === 2, 90_000);

        const peek = await conn.createChannel();
        const dead = [await peek.get(topology.queues.dead), await peek.get(topology.queues.dead)];
        await peek.close();
        for (const m of dead) {
          expect(m).not.toBe(false);
          if (!m) continue;
          const info = readDeadLetter(m.properties.headers);
          expect(info).toMatchObject({ known: true, by: 'consumer', origin: { exchange: topology.exchanges.notifications, routingKey: 'customer.email', queue: topology.queues.customer }, attempts: 3 });
          expect(info.known && info.reason).toBe('provider failed 3 times (max 3); last error: email provider unavailable (simulated)');
          expect(m.properties.headers?.['x-dead-lettered-at']).toMatch(/^\d{4}-\d\d-\d\dT/);
          // the broker's own record of the two retry waits is kept, untouched
          expect((m.properties.headers?.['x-death'] as { reason: string }[]).map((d) => d.reason)).toEqual(['expired', 'expired']);
          expect(m.properties.headers?.['x-trace']).toMatch(/^t\d$/);
        }
        expect(Object.values(providers).reduce((n, p) => n + p.sent.length, 0)).toBe(0);

        providerDown = false;
        const report = await redrive(conn, { queue: topology.queues.dead });
        expect(report.summary).toBe(`Moved 2 messages back to ${topology.exchanges.notifications} (customer.email); 0 left in ${topology.queues.dead}.`);
        await waitFor('both sent', () => providers.email.sent.length >= 2, 60_000);
        await waitFor('no work left', async () => (await ch.checkQueue(topology.queues.customer)).messageCount === 0, 30_000);
        await new Promise((r) => setTimeout(r, 300));
        expect(providers.email.sent.map((s) => s.idempotencyKey).sort()).toEqual(['rd-key-1', 'rd-key-2']);
        expect(await db.db.prisma.notification.count({ where: { status: 'sent' } })).toBe(2);
        expect((await ch.checkQueue(topology.queues.dead)).messageCount).toBe(0);
        expect(results.results.filter((r) => r.status === 'sent').map((r) => r.notificationId).sort()).toEqual(['rd-1', 'rd-2']);
      } finally {
        await cleanUp(worker, conn, topology, db);
      }
    }, 240_000);

    it('a poison task (the walkthrough\'s invalid email) that comes straight back is counted, then left in place after 3 redrives unless forced', async () => {
      const db = await sqliteTestDatabase();
      const topology = notifierTopology({ prefix: `rf-poison-${randomUUID().slice(0, 8)}.`, retryDelaysMs: [20, 50] });
      const worker = new NotifierWorker({
        amqpUrl: broker.url(), topology, providers: simulatedProviders({ failureRate: 0 }), results: new MemoryResultPublisher(),
        ledger: new NotificationLedger(db.db.prisma, 10_000), prefetch: 10, maxAttempts: 3, workerId: 'poison-w',
      });
      const conn = await amqp.connect(broker.url());
      try {
        const ch = await conn.createConfirmChannel();
        await topology.declare(ch);
        await worker.start();
        const deadDepth = async () => (await ch.checkQueue(topology.queues.dead)).messageCount;
        // The same body as walkthrough step 6: no worker can ever send it.
        ch.publish(topology.exchanges.notifications, 'customer.email', Buffer.from(JSON.stringify({ type: 'notification', v: 1, id: 'poison-1', note: 'no recipient, no channel' })), { persistent: true, contentType: 'application/json' });
        await ch.waitForConfirms();
        await waitFor('the poison task dead-lettered by the notifier', async () => (await deadDepth()) === 1, 30_000);

        const summaries: string[] = [];
        for (let round = 1; round <= 3; round++) {
          const r = await redrive(conn, { queue: topology.queues.dead, deadLetterExchange: topology.exchanges.deadLetters, returnQuietMs: 30_000, returnWaitMs: 30_000 });
          expect(r.movedTotal).toBe(1);
          expect(r.movedRedrivenBefore).toBe(round === 1 ? 0 : 1);
          summaries.push(r.summary);
          await waitFor(`the poison task back in dead letters after redrive ${round}`, async () => (await deadDepth()) === 1, 30_000);
        }
        // The notifier rejects it on sight: it is back before the redrive ends, and the answer says so, with why.
        const x = topology.exchanges.notifications.replace(/\./g, '\\.');
        expect(summaries[0]).toMatch(new RegExp(`^Moved 1 message back to ${x} \\(customer\\.email\\); it came straight back dead \\(invalid notification: .+\\); 1 left in [^ ]+\\.tasks\\.dead: the one that came back\\.$`));
        expect(summaries[2]).toMatch(/; it came straight back dead \(invalid notification: .+\); 1 left in [^ ]+: the one that came back\. Of these, 1 had been redriven before \(up to 2 times\) and died again each time\.$/);

        // Redriven 3 times and back each time: left where it is, with why, and nothing lost.
        const refused = await redrive(conn, { queue: topology.queues.dead });
        expect(refused).toMatchObject({ movedTotal: 0, tooOftenRedriven: 1, remaining: 1 });
        expect(refused.left).toEqual([expect.objectContaining({ redriven: 3, why: 'it was redriven 3 or more times already and dead-lettered again each time (force redrives it anyway)' })]);
        expect(refused.summary).toMatch(/^Moved nothing; 1 left in .*Left 1 message where it was: 1 because it was redriven 3 or more times already/);
        expect(await deadDepth()).toBe(1);
        const peek = await conn.createChannel();
        const still = await peek.get(topology.queues.dead);
        expect(still && readDeadLetter(still.properties.headers)).toMatchObject({ known: true, origin: { routingKey: 'customer.email' } });
        expect(still && still.properties.headers?.['x-redriven']).toBe(3);
        await peek.close();

        // An operator who fixed the cause (or wants to see it fail once more) forces it.
        const forced = await redrive(conn, { queue: topology.queues.dead, force: true });
        expect(forced).toMatchObject({ movedTotal: 1, movedRedrivenBefore: 1, mostRedriven: 3, tooOftenRedriven: 0 });
        await waitFor('the forced poison task back again', async () => (await deadDepth()) === 1, 30_000);
      } finally {
        await cleanUp(worker, conn, topology, db);
      }
    }, 240_000);
  });
}
