import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { z } from 'zod';
import { startTaskqueue } from '@riderflow/taskqueue';
import { readDeadLetter, redriveCount } from '@riderflow/contracts';
import { consumeValidated, redrive } from '../src/index.js';
import { amqpTestBrokers } from './support/index.js';

// Dead letters made by the broker (nack, TTL, max-length drop-head) and by the validating consumer,
// redriven under the one contract and consumed again by their own handlers; concurrent redrives
// while new dead letters keep arriving; dead letters without a known origin. On the embedded
// taskqueue always and on real RabbitMQ when RABBITMQ_URL is set, each on its own uniquely named
// exchanges and queues (the agreed names on a shared RabbitMQ belong to other suites).

const brokers = amqpTestBrokers({ dirPrefix: 'rf-redrive-tq-', startEmbedded: (dataDir) => startTaskqueue({ port: 0, dataDir, durability: 'none' }) });

async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Uniquely named dead-letter exchange + queue and a work exchange; deleted afterwards. */
class Sandbox {
  readonly p = `rf-redrive-${randomBytes(4).toString('hex')}.`;
  readonly dlx = this.p + 'dead-letters';
  readonly dead = this.p + 'tasks.dead';
  readonly work = this.p + 'work';
  private queues: string[] = [];
  constructor(readonly ch: Channel) {}
  async init(): Promise<this> {
    await this.ch.assertExchange(this.dlx, 'fanout', { durable: false });
    await this.ch.assertExchange(this.work, 'topic', { durable: false });
    await this.ch.assertQueue(this.dead, { durable: false });
    await this.ch.bindQueue(this.dead, this.dlx, '');
    this.queues.push(this.dead);
    return this;
  }
  async queue(name: string, pattern: string, args: Record<string, unknown> = {}): Promise<string> {
    const q = this.p + name;
    await this.ch.assertQueue(q, { durable: false, arguments: { 'x-dead-letter-exchange': this.dlx, ...args } });
    await this.ch.bindQueue(q, this.work, pattern);
    this.queues.push(q);
    return q;
  }
  depth = async (q: string) => (await this.ch.checkQueue(q)).messageCount;
  async cleanup(): Promise<void> {
    for (const q of this.queues) await this.ch.deleteQueue(q).catch(() => {});
    for (const x of [this.dlx, this.work]) await this.ch.deleteExchange(x).catch(() => {});
  }
}

for (const broker of brokers) {
  describe(`redrive on ${broker.name}`, () => {
    let conn: ChannelModel;
    let ch: Channel;
    beforeAll(async () => {
      await broker.start?.();
      conn = await amqp.connect(broker.url());
      conn.on('error', () => {});
      ch = await conn.createConfirmChannel();
    });
    afterAll(async () => {
      await conn?.close().catch(() => {});
      await broker.stop?.();
    });

    it('dead letters made four ways (nack, TTL, max-length drop-head, invalid) go back with their origin and are consumed again once each', async () => {
      const s = await new Sandbox(ch).init();
      const consumers = await conn.createChannel();
      try {
        const got = { nack: [] as string[], ttl: [] as string[], maxlen: [] as string[], valid: [] as string[] };
        const keys = { nack: [] as string[], ttl: [] as string[], maxlen: [] as string[], valid: [] as string[] };
        const kept: string[] = [];
        const record = (kind: keyof typeof got, msg: ConsumeMessage) => {
          got[kind].push(msg.content.toString());
          keys[kind].push(msg.fields.routingKey);
          if (msg.properties.headers?.keep === 'me') kept.push(msg.content.toString());
        };

        // 1. nacked without requeue by its handler the first time round
        const nackQ = await s.queue('nack', 'orders.nack.*');
        await consumers.consume(nackQ, (msg) => {
          if (!msg) return;
          if (redriveCount(msg.properties.headers) === 0) return consumers.nack(msg, false, false);
          record('nack', msg);
          consumers.ack(msg);
        });
        ch.publish(s.work, 'orders.nack.eu', Buffer.from('nack-1'), { headers: { keep: 'me' } });

        // 2. expired by queue TTL with nobody consuming
        const ttlQ = await s.queue('ttl', 'orders.ttl.*', { 'x-message-ttl': 50 });
        ch.publish(s.work, 'orders.ttl.eu', Buffer.from('ttl-1'), { headers: { keep: 'me' } });

        // 3. dropped from the head by x-max-length 1 (the default overflow, drop-head)
        const maxQ = await s.queue('maxlen', 'orders.max.*', { 'x-max-length': 1 });
        ch.publish(s.work, 'orders.max.eu', Buffer.from('max-1'), { headers: { keep: 'me' } });
        ch.publish(s.work, 'orders.max.eu', Buffer.from('max-2'));

        // 4. set aside by the validating consumer (n must be a number), then the consumer is fixed
        const validQ = await s.queue('valid', 'orders.valid.*');
        const strict = await conn.createChannel();
        const strictTag = await consumeValidated(strict, validQ, z.object({ n: z.number() }), () => {}, { deadLetterExchange: s.dlx });
        ch.publish(s.work, 'orders.valid.eu', Buffer.from('{"n":"7"}'), { headers: { keep: 'me' } });
        await (ch as amqp.ConfirmChannel).waitForConfirms();

        await until('four dead letters', async () => (await s.depth(s.dead)) === 4);
        const peeked: ReturnType<typeof readDeadLetter>[] = [];
        const dry = await redrive(conn, { queue: s.dead, dryRun: true });
        expect(dry.movedTotal).toBe(4);
        expect(dry.summary).toMatch(/^Would move 4 messages back: 1 to /);
        expect(await s.depth(s.dead)).toBe(4); // a dry run moves nothing
        const peek = await conn.createChannel();
        for (let i = 0; i < 4; i++) {
          const m = await peek.get(s.dead, { noAck: false });
          if (m) peeked.push(readDeadLetter(m.properties.headers));
        }
        await peek.close(); // closing hands the peeked ones back
        await strict.cancel(strictTag);
        await strict.close();
        expect(peeked.every((p) => p.known)).toBe(true);
        const byQueue = Object.fromEntries(peeked.map((p) => (p.known ? [p.origin.queue, p] : ['', p])));
        expect(byQueue[nackQ]).toMatchObject({ by: 'broker', origin: { exchange: s.work, routingKey: 'orders.nack.eu' } });
        expect(byQueue[ttlQ]).toMatchObject({ by: 'broker', origin: { exchange: s.work, routingKey: 'orders.ttl.eu' } });
        expect(byQueue[maxQ]).toMatchObject({ by: 'broker', origin: { exchange: s.work, routingKey: 'orders.max.eu' } });
        expect(byQueue[validQ]).toMatchObject({ by: 'consumer', origin: { exchange: s.work, routingKey: 'orders.valid.eu' }, attempts: 1 });
        expect(byQueue[validQ]!.known && byQueue[validQ].reason).toMatch(/^invalid message: n: /);

        // The handlers are back: TTL and max-length queues get consumers, the validator is fixed.
        await consumers.consume(ttlQ, (msg) => { if (msg) { record('ttl', msg); consumers.ack(msg); } });
        await consumers.consume(maxQ, (msg) => { if (msg) { record('maxlen', msg); consumers.ack(msg); } });
        await until('max-2 handled', () => got.maxlen.length === 1);
        const fixed = await conn.createChannel();
        await consumeValidated(fixed, validQ, z.object({ n: z.coerce.number() }), (_task, msg) => record('valid', msg), { deadLetterExchange: s.dlx });

        const report = await redrive(conn, { queue: s.dead, limit: 100 });
        expect(report.movedTotal).toBe(4);
        expect(report.left).toEqual([]);
        expect(report.remaining).toBe(0);
        expect(report.summary).toMatch(/^Moved 4 messages back: /);
        expect(report.summary).toContain(`1 to ${s.work} (orders.nack.eu)`);
        expect(report.summary).toContain('0 left in ' + s.dead);

        await until('every redriven message handled', () => got.nack.length + got.ttl.length + got.maxlen.length + got.valid.length >= 5);
        await new Promise((r) => setTimeout(r, 300)); // a second delivery, were there one, would show here
        expect(got).toEqual({ nack: ['nack-1'], ttl: ['ttl-1'], maxlen: ['max-2', 'max-1'], valid: ['{"n":"7"}'] });
        expect(keys).toEqual({ nack: ['orders.nack.eu'], ttl: ['orders.ttl.eu'], maxlen: ['orders.max.eu', 'orders.max.eu'], valid: ['orders.valid.eu'] });
        expect(kept.sort()).toEqual(['max-1', 'nack-1', 'ttl-1', '{"n":"7"}']); // original headers went back with them
        expect(await s.depth(s.dead)).toBe(0);
        await fixed.close();
      } finally {
        await consumers.close().catch(() => {});
        await s.cleanup();
      }
    });

    it('a redrive while publishers keep dead-lettering moves each message at most once, and nothing is lost', async () => {
      const s = await new Sandbox(ch).init();
      const worker = await conn.createChannel();
      try {
        const q = await s.queue('busy', 'busy.#');
        const handled = new Map<string, number>();
        await worker.consume(q, (msg) => {
          if (!msg) return;
          if (redriveCount(msg.properties.headers) === 0) return worker.nack(msg, false, false); // dies once
          const id = msg.content.toString();
          handled.set(id, (handled.get(id) ?? 0) + 1);
          worker.ack(msg);
        });
        const total = 300;
        const publisher = await conn.createConfirmChannel();
        const publishing = (async () => {
          for (let i = 0; i < total; i++) {
            publisher.publish(s.work, `busy.${i % 3}`, Buffer.from(`m-${i}`));
            if (i % 10 === 9) { await publisher.waitForConfirms(); await new Promise((r) => setTimeout(r, 5)); }
          }
          await publisher.waitForConfirms();
        })();
        // Two redrives at a time, over and over, while the dead letters keep coming.
        let moved = 0;
        let rounds = 0;
        const redriver = async () => {
          const conn2 = await amqp.connect(broker.url());
          try {
            while (handled.size < total && !timedOut) {
              const r = await redrive(conn2, { queue: s.dead, limit: 40 });
              moved += r.movedTotal;
              rounds++;
              if (r.examined === 0) await new Promise((res) => setTimeout(res, 10));
            }
          } finally {
            await conn2.close();
          }
        };
        let timedOut = false;
        const deadline = setTimeout(() => { timedOut = true; }, 90_000);
        await Promise.all([publishing, redriver(), redriver()]);
        clearTimeout(deadline);
        expect(timedOut).toBe(false);
        await new Promise((r) => setTimeout(r, 300));
        expect(handled.size).toBe(total);
        expect([...handled.values()].filter((n) => n !== 1)).toEqual([]);
        expect(moved).toBe(total);
        expect(rounds).toBeGreaterThan(2);
        expect(await s.depth(s.dead)).toBe(0);
        await publisher.close();
      } finally {
        await worker.close().catch(() => {});
        await s.cleanup();
      }
    }, 120_000);

    it('poison messages that die again at once are counted as come back, with why, not as left; singular and plural', async () => {
      const s = await new Sandbox(ch).init();
      // where every moved message comes back the wait ends when the last one does: generous windows
      const watch = { deadLetterExchange: s.dlx, returnQuietMs: 30_000, returnWaitMs: 30_000 };
      const strict = await conn.createChannel();
      try {
        // a consumer that sets aside every message whose n is not a number, on sight
        const q = await s.queue('poison', 'orders.poison.*');
        await consumeValidated(strict, q, z.object({ n: z.number() }), () => {}, { deadLetterExchange: s.dlx });
        const cc = ch as amqp.ConfirmChannel;
        for (let i = 0; i < 3; i++) cc.publish(s.work, 'orders.poison.eu', Buffer.from(`{"n":"p${i}"}`));
        await cc.waitForConfirms();
        await until('three dead letters', async () => (await s.depth(s.dead)) === 3);

        const r = await redrive(conn, { queue: s.dead, ...watch });
        expect(r.movedTotal).toBe(3);
        expect(r.cameBack).toBe(3);
        expect(r.remaining).toBe(3);
        expect(r.cameBackWhy).toHaveLength(1);
        expect(r.cameBackWhy[0]!.why).toMatch(/^invalid message: n: /);
        expect(r.summary).toBe(`Moved 3 messages back to ${s.work} (orders.poison.eu); all 3 came straight back dead (${r.cameBackWhy[0]!.why}); 3 left in ${s.dead}: the 3 that came back.`);

        // one of two comes back; the other stays home
        await ch.purgeQueue(s.dead);
        const home = await s.queue('home', 'orders.home.*');
        cc.publish(s.dlx, 'x', Buffer.from('goes home'), { headers: { 'x-original-exchange': s.work, 'x-original-routing-key': 'orders.home.eu', 'x-original-queue': home } });
        cc.publish(s.work, 'orders.poison.eu', Buffer.from('{"n":"again"}'));
        await cc.waitForConfirms();
        await until('two dead letters', async () => (await s.depth(s.dead)) === 2);
        const half = await redrive(conn, { queue: s.dead, deadLetterExchange: s.dlx, returnQuietMs: 3_000 });
        expect(half).toMatchObject({ movedTotal: 2, cameBack: 1, remaining: 1 });
        expect(half.summary).toMatch(/^Moved 2 messages back: 1 to .*, 1 to .*; 1 of them came straight back dead \(invalid message: n: .*\); 1 left in \S+: the one that came back\.$/);
        expect(await s.depth(home)).toBe(1);

        // a single poison message ("it", the one redriven before: the oldest), one more not taken (limit 1): "and 1 other"
        cc.publish(s.work, 'orders.poison.eu', Buffer.from('{"n":"alone"}'));
        await cc.waitForConfirms();
        await until('two dead letters again', async () => (await s.depth(s.dead)) === 2);
        const alone = await redrive(conn, { queue: s.dead, limit: 1, ...watch });
        expect(alone.summary).toBe(`Moved 1 message back to ${s.work} (orders.poison.eu); it came straight back dead (${alone.cameBackWhy[0]!.why}); 2 left in ${s.dead}: the one that came back and 1 other. Of these, 1 had been redriven before (once) and died again after it.`);

        // and an empty queue
        await ch.purgeQueue(s.dead);
        const empty = await redrive(conn, { queue: s.dead, ...watch });
        expect(empty.summary).toBe(`No dead letters in ${s.dead}: nothing to redrive.`);
      } finally {
        await strict.close().catch(() => {});
        await s.cleanup();
      }
    });

    it('leaves a dead letter without a known origin (or whose exchange is gone) where it is, and says why', async () => {
      const s = await new Sandbox(ch).init();
      const gone = s.p + 'gone';
      try {
        const q = await s.queue('known', 'known.*');
        const cc = ch as amqp.ConfirmChannel;
        cc.publish(s.dlx, '', Buffer.from('no headers at all'));
        cc.publish(s.dlx, 'customer.email', Buffer.from('half an origin'), { headers: { 'x-original-routing-key': 'customer.email', 'x-reason': 'old notifier' } });
        cc.publish(s.dlx, 'x', Buffer.from('exchange deleted'), { headers: { 'x-original-exchange': gone, 'x-original-routing-key': 'x', 'x-original-queue': 'q' } });
        cc.publish(s.dlx, 'x', Buffer.from('nobody bound'), { headers: { 'x-original-exchange': s.work, 'x-original-routing-key': 'unbound.key', 'x-original-queue': 'q' } });
        cc.publish(s.dlx, 'known.a', Buffer.from('goes home'), { headers: { 'x-original-exchange': s.work, 'x-original-routing-key': 'known.a', 'x-original-queue': q, 'x-reason': 'handler failed: x' } });
        await cc.waitForConfirms();
        await until('five dead letters', async () => (await s.depth(s.dead)) === 5);

        const r = await redrive(conn, { queue: s.dead });
        expect(r.movedTotal).toBe(1);
        expect(r.remaining).toBe(4);
        expect(Object.fromEntries(r.left.map((l) => [l.preview, l.why]))).toEqual({
          'no headers at all': expect.stringMatching(/neither x-original-exchange\/x-original-routing-key nor a broker x-death/),
          'half an origin': expect.stringMatching(/routing key \(customer\.email\) but not the exchange/),
          'exchange deleted': `its origin exchange "${gone}" does not exist any more`,
          'nobody bound': `no queue is bound to ${s.work} for routing key unbound.key`,
        });
        expect(r.summary).toBe(`Moved 1 message back to ${s.work} (known.a); 4 left in ${s.dead}. Left 4 messages where they were: ` +
          `1 because ${r.left[0]!.why}; 1 because ${r.left[1]!.why}; 1 because ${r.left[2]!.why}; 1 because ${r.left[3]!.why}.`);
        const home = await ch.get(q, { noAck: true });
        expect(home && home.content.toString()).toBe('goes home');
        expect(home && home.properties.headers).toMatchObject({ 'x-redriven': 1 });
        expect(home && home.properties.headers?.['x-reason']).toBeUndefined();
        // The ones left are still there, untouched, and a second redrive says the same.
        const again = await redrive(conn, { queue: s.dead });
        expect(again.movedTotal).toBe(0);
        expect(again.left).toHaveLength(4);
        expect(again.summary).toMatch(/^Moved nothing; 4 left in /);
      } finally {
        await s.cleanup();
      }
    });
  });
}
