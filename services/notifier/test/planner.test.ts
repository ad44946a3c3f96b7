import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import amqp from 'amqplib';
import { pino } from 'pino';
import { Kafka, logLevel } from 'kafkajs';
import { QUEUES, TOPIC, parseTask, type LogEvent } from '@riderflow/contracts';
import { ensureTopics, toKafkaMessage } from '@riderflow/service-kit';
import { startStreamlog, type StreamlogHandle } from '@riderflow/streamlog';
import { startTaskqueue, type TaskqueueHandle } from '@riderflow/taskqueue';
import { notificationsFor } from '../src/planner/rules.js';
import { NotificationPlanner } from '../src/planner/planner.js';
import { waitFor } from './support.js';

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
    expect(notificationsFor(cancelled).map((t) => [t.audience, t.channel, t.template])).toEqual([['customer', 'sms', 'order_cancelled'], ['ops', 'webhook', 'unassigned_order']]);
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
      const planner = new NotificationPlanner({ kafka, config: { amqpUrl: queues.url }, deadLetterProducer: producer, logger, groupId, fromBeginning: true, consumerConfig: { sessionTimeout: 6_000, heartbeatInterval: 300, maxWaitTimeInMs: 100 } });
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
});
