import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import path from 'node:path';
import amqp from 'amqplib';
import { pino } from 'pino';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { QUEUES, TOPIC, parseTask, type LogEvent } from '@riderflow/contracts';
import { ensureTopics, toKafkaMessage } from '@riderflow/service-kit';
import { startStreamlog, type StreamlogHandle } from '@riderflow/streamlog';
import { startTaskqueue, type TaskqueueHandle } from '@riderflow/taskqueue';
import { notificationsFor } from '../src/planner/rules.js';
import { NotificationPlanner } from '../src/planner/planner.js';
import { waitFor } from './support.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const ts = Date.UTC(2025, 2, 3, 12, 30);
const base = { v: 1 as const, ts };
const assigned: LogEvent = { type: 'order.assigned', ...base, id: 'e1', orderId: 'o1', riderId: 'r1', assignmentId: 'a1' };
const deliveredLate: LogEvent = { type: 'order.delivered', ...base, id: 'e2', orderId: 'o2', riderId: 'r1', placedAt: ts - 55 * 60_000, clickToDoorMin: 55 };
const cancelled: LogEvent = { type: 'order.cancelled', ...base, id: 'e3', orderId: 'o3', reason: 'unassigned_timeout' };
const ping: LogEvent = { type: 'rider.location', ...base, id: 'e4', riderId: 'r1', zoneId: 'z1', lat: 52.5, lon: 13.4, status: 'idle', speedKmh: 0 };

describe('notification rules', () => {
  it('turns order facts into customer and ops notifications with keys derived from the fact', () => {
    expect(notificationsFor(assigned).map((t) => [t.audience, t.channel, t.template, t.idempotencyKey])).toEqual([['customer', 'push', 'rider_assigned', 'order.assigned:o1:push']]);
    expect(notificationsFor(deliveredLate).map((t) => [t.audience, t.channel, t.template])).toEqual([['customer', 'email', 'receipt'], ['ops', 'webhook', 'late_delivery']]);
    expect(notificationsFor(cancelled).map((t) => [t.audience, t.channel, t.template])).toEqual([['customer', 'sms', 'order_cancelled_no_rider'], ['ops', 'webhook', 'unassigned_order']]);
    expect(notificationsFor(ping)).toEqual([]);
  });

  it('gives the same keys on every reading of the same fact', () => {
    expect(notificationsFor(deliveredLate)).toEqual(notificationsFor(structuredClone(deliveredLate)));
  });
});

describe('notification planner against the embedded log and queues', () => {
  let dir: string;
  let log: StreamlogHandle;
  let queues: TaskqueueHandle;
  let kafka: Kafka;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-planner-'));
    log = await startStreamlog({ port: 0, dataDir: path.join(dir, 'log'), durability: 'none' });
    queues = await startTaskqueue({ port: 0, dataDir: path.join(dir, 'q'), durability: 'none' });
    kafka = new Kafka({ clientId: 'planner-test', brokers: [log.brokers], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin);
    await admin.disconnect();
  });

  afterAll(async () => {
    await queues?.close();
    await log?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** the dead letters `groupId` wrote to events.dead, as a read_committed or read_uncommitted reader sees them */
  async function readDeadLetters(groupId: string, readUncommitted: boolean): Promise<string[]> {
    // a sentinel after everything the planner wrote: a reader that has seen it has seen it all
    const p = kafka.producer();
    await p.connect();
    await p.send({ topic: TOPIC.eventsDead, messages: [{ key: 'sentinel', value: JSON.stringify({ sentinel: `${groupId}-${readUncommitted}` }) }] });
    await p.disconnect();
    const seen: string[] = [];
    let done = false;
    const c = kafka.consumer({ groupId: `${groupId}-reader-${readUncommitted ? 'ru' : 'rc'}`, readUncommitted, maxWaitTimeInMs: 100 });
    await c.connect();
    await c.subscribe({ topics: [TOPIC.eventsDead], fromBeginning: true });
    await c.run({
      eachMessage: async ({ message }) => {
        const value = JSON.parse(message.value!.toString()) as { id?: string; consumerGroup?: string; sentinel?: string };
        if (value.sentinel === `${groupId}-${readUncommitted}`) done = true;
        else if (value.consumerGroup === groupId) seen.push(value.id!);
      },
    });
    await waitFor(`the ${readUncommitted ? 'read_uncommitted' : 'read_committed'} reader reached the sentinel`, () => done, 30_000);
    await c.disconnect();
    return seen;
  }

  /** whether the group's committed offsets reached the end of every partition of the facts */
  async function committedToEnd(groupId: string): Promise<boolean> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const ends = await admin.fetchTopicOffsets(TOPIC.orderEvents);
      const [t] = await admin.fetchOffsets({ groupId, topics: [TOPIC.orderEvents] });
      return ends.every((e) => t!.partitions.some((p) => p.partition === e.partition && (p.offset === e.high || (e.high === '0' && p.offset === '-1'))));
    } finally {
      await admin.disconnect();
    }
  }

  async function drain(ch: amqp.Channel, queue: string): Promise<string[]> {
    const keys: string[] = [];
    for (;;) {
      const m = await ch.get(queue, { noAck: true });
      if (!m) return keys;
      const parsed = parseTask(m.content);
      if (!parsed.ok || parsed.task.type !== 'notification') throw new Error('planner published an invalid task');
      keys.push(parsed.task.idempotencyKey);
    }
  }

  it('publishes one task per notification and the same keys again when the log is replayed', async () => {
    const producer = kafka.producer();
    await producer.connect();
    const logger = pino({ level: 'silent' });
    await producer.send({ topic: TOPIC.orderEvents, messages: [assigned, deliveredLate, cancelled, { ...ping }].filter((e) => e.type.startsWith('order.')).map(toKafkaMessage) });
    await producer.send({ topic: TOPIC.orderEvents, messages: [{ key: 'bad', value: 'not json' }] });

    // A new group reading from the beginning is a replay of every fact on the log.
    const run = async (groupId: string) => {
      const planner = new NotificationPlanner({ kafka, config: { amqpUrl: queues.url }, logger, groupId, fromBeginning: true, consumerConfig: { sessionTimeout: 6_000, heartbeatInterval: 300, maxWaitTimeInMs: 100 } });
      await planner.start();
      return planner;
    };

    const conn = await amqp.connect(queues.url);
    const ch = await conn.createChannel();
    const first = await run('planner-a');
    await waitFor('five planned tasks', () => first.planned === 5, 20_000);
    await first.stop();
    const customer1 = await drain(ch, QUEUES.notifyCustomer);
    const ops1 = await drain(ch, QUEUES.notifyOps);
    expect(customer1.sort()).toEqual(['order.assigned:o1:push', 'order.cancelled:o3:sms', 'order.delivered:o2:email']);
    expect(ops1.sort()).toEqual(['order.cancelled:o3:ops', 'order.delivered:o2:late']);

    const second = await run('planner-b');
    await waitFor('replayed tasks', () => second.planned === 5, 20_000);
    await second.stop();
    expect((await drain(ch, QUEUES.notifyCustomer)).sort()).toEqual(customer1.sort());
    expect((await drain(ch, QUEUES.notifyOps)).sort()).toEqual(ops1.sort());
    await conn.close();
    await producer.disconnect();
  });

  it('writes dead letters and offsets in one transaction: after a failed commit a read_committed reader sees each dead letter once', async () => {
    const logger = pino({ level: 'silent' });
    const plain = kafka.producer();
    await plain.connect();
    await plain.send({ topic: TOPIC.orderEvents, messages: [{ key: 'bad-2', value: '{"type":"order.assigned"}' }, { key: 'bad-3', value: 'still not json' }, toKafkaMessage(assigned)] });
    const groupId = 'planner-tx';
    // a fresh group reads every record on the facts topic (the earlier test's too)

    // The first transaction with dead letters dies before its commit (it is aborted, as the coordinator aborts a
    // crashed producer's open transaction); the planner must read that batch again.
    const real = kafka.producer({ transactionalId: 'planner-tx-test', idempotent: true, maxInFlightRequests: 1, retry: { retries: 2, initialRetryTime: 50 } });
    let failures = 1;
    const failing: Producer = {
      ...real,
      transaction: async () => {
        const txn = await real.transaction();
        let wrote = false;
        return {
          ...txn,
          send: async (record) => { wrote = true; return txn.send(record); },
          commit: async () => {
            // the first transaction that carries dead letters dies between its writes and its commit
            if (!wrote || failures <= 0) return txn.commit();
            failures--;
            await txn.abort();
            throw new Error('crashed between write and commit');
          },
        };
      },
    };
    const planner = new NotificationPlanner({ kafka, config: { amqpUrl: queues.url }, logger, groupId, producer: failing, fromBeginning: true, consumerConfig: { sessionTimeout: 6_000, heartbeatInterval: 300, maxWaitTimeInMs: 100, retry: { retries: 10, initialRetryTime: 100 } } });
    await planner.start();
    // done when the group's committed offsets reached the end of every partition
    await waitFor('the group committed to the end of the facts', () => committedToEnd(groupId), 30_000);
    expect(failures).toBe(0); // the failing commit happened
    await planner.stop();
    await real.disconnect();

    const committed = await readDeadLetters(groupId, false);
    const uncommitted = await readDeadLetters(groupId, true);
    // three bad records on the facts topic (one from the first test, two from this one)
    expect(committed).toHaveLength(3);
    expect(new Set(committed).size).toBe(3);
    // the aborted transaction's copies exist on the log: read_uncommitted sees them, so the check above can fail
    expect(uncommitted.length).toBeGreaterThan(3);
    expect(new Set(uncommitted)).toEqual(new Set(committed));

    // tasks went to the queues at least once, with the same keys whenever repeated
    const conn = await amqp.connect(queues.url);
    const ch = await conn.createChannel();
    const keys = [...(await drain(ch, QUEUES.notifyCustomer)), ...(await drain(ch, QUEUES.notifyOps))];
    expect(new Set(keys)).toEqual(new Set(['order.assigned:o1:push', 'order.cancelled:o3:sms', 'order.delivered:o2:email', 'order.cancelled:o3:ops', 'order.delivered:o2:late']));
    await conn.close();
    await plain.disconnect();
  });

  it('a planner SIGKILLed between its writes and its commit: its successor (same transactional id) aborts them, and read_committed sees each dead letter once', async () => {
    const groupId = 'planner-killed';
    const transactionalId = 'planner-killed-tx';
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'planner-dies-before-commit.ts'), log.brokers, queues.url, groupId, transactionalId], { stdio: ['pipe', 'pipe', 'inherit'] });
    const exited = new Promise((r) => child.once('exit', r));
    try {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => void (out += d.toString()));
      await waitFor('the doomed planner wrote its dead letters', () => out.includes('wrote'), 60_000);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    // nothing of the dead planner's is visible to read_committed yet: its transaction is open
    const successor = new NotificationPlanner({ kafka, config: { amqpUrl: queues.url }, logger: pino({ level: 'silent' }), groupId, transactionalId, fromBeginning: true, consumerConfig: { sessionTimeout: 6_000, heartbeatInterval: 300, maxWaitTimeInMs: 100 } });
    await successor.start();
    try {
      await waitFor('the successor committed to the end of the facts', () => committedToEnd(groupId), 60_000);
    } finally {
      await successor.stop();
    }
    const committed = await readDeadLetters(groupId, false);
    const uncommitted = await readDeadLetters(groupId, true);
    expect(committed).toHaveLength(3);
    expect(new Set(committed).size).toBe(3);
    expect(uncommitted.length).toBeGreaterThan(3); // the killed planner's writes are on the log, aborted
    expect(new Set(uncommitted)).toEqual(new Set(committed));
  });
});
