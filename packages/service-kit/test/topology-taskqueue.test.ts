import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import amqp from 'amqplib';
import { startTaskqueue, type TaskqueueHandle } from '@riderflow/taskqueue';
import { QUEUES, RiderInstructionSchema, routeForTask, TOPOLOGY, type RiderInstruction } from '@riderflow/contracts';
import { validTasks } from '@riderflow/contracts/examples';
import { consumeValidated, declareTopology, encodeTask } from '../src/index.js';

describe('declareTopology and consumeValidated on the embedded taskqueue', () => {
  let dir: string;
  let tq: TaskqueueHandle;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-contracts-tq-'));
    tq = await startTaskqueue({ port: 0, dataDir: dir, durability: 'none' });
  });
  afterAll(async () => {
    await tq?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('declares the whole topology twice without error', async () => {
    const conn = await amqp.connect(tq.url);
    try {
      const ch = await conn.createChannel();
      await declareTopology(ch);
      await declareTopology(ch);
      for (const q of TOPOLOGY.queues) expect((await ch.checkQueue(q.name)).queue).toBe(q.name);
      for (const e of TOPOLOGY.exchanges) await ch.checkExchange(e.name);
    } finally {
      await conn.close();
    }
  });

  it('hands valid tasks to the handler and sets a bad one aside with its reason, without blocking the next', async () => {
    const conn = await amqp.connect(tq.url);
    try {
      const ch = await conn.createChannel();
      await declareTopology(ch);
      const got: RiderInstruction[] = [];
      const dead: string[] = [];
      await consumeValidated(ch, QUEUES.riderInstructions, RiderInstructionSchema, (task) => { got.push(task); }, { onDeadLetter: (r) => dead.push(r) });
      const good = validTasks[1] as RiderInstruction;
      const { exchange, routingKey } = routeForTask(good);
      ch.publish(exchange, routingKey, Buffer.from('{"type":"rider.instruction","v":1}'));
      ch.publish(exchange, routingKey, encodeTask(good));
      const deadline = Date.now() + 10_000;
      while ((got.length < 1 || dead.length < 1) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(got).toEqual([good]);
      expect(dead[0]).toMatch(/rider\.instruction/);
      // The bad one sits in tasks.dead with the reason in x-reason.
      let m: amqp.GetMessage | false = false;
      while (!m && Date.now() < deadline) { m = await ch.get(QUEUES.tasksDead, { noAck: true }); if (!m) await new Promise((r) => setTimeout(r, 20)); }
      expect(m && String(m.properties.headers?.['x-reason'])).toMatch(/rider\.instruction/);
      expect(m && m.content.toString()).toBe('{"type":"rider.instruction","v":1}');
    } finally {
      await conn.close();
    }
  });

  it('dead-letters a task whose handler throws even when onDeadLetter itself throws, with no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const conn = await amqp.connect(tq.url);
    try {
      const ch = await conn.createChannel();
      await declareTopology(ch);
      while (await ch.get(QUEUES.tasksDead, { noAck: true })); // earlier tests' leftovers
      const [first, second] = [validTasks[0], validTasks[1]] as RiderInstruction[];
      const bad = { ...first, id: 'handler-throws' } as RiderInstruction;
      const got: string[] = [];
      let deadCalls = 0;
      await consumeValidated(ch, QUEUES.riderInstructions, RiderInstructionSchema, (task) => {
        if (task.id === bad.id) throw new Error('boom');
        got.push(task.id);
      }, { onDeadLetter: () => { deadCalls++; throw new Error('metrics exploded'); } });
      const { exchange, routingKey } = routeForTask(bad);
      ch.publish(exchange, routingKey, encodeTask(bad));
      ch.publish(exchange, routingKey, encodeTask({ ...second, id: 'after-the-bad-one' } as RiderInstruction));
      const deadline = Date.now() + 10_000;
      while ((got.length < 1 || deadCalls < 1) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(got).toEqual(['after-the-bad-one']);
      expect(deadCalls).toBe(1);
      let m: amqp.GetMessage | false = false;
      while (!m && Date.now() < deadline) { m = await ch.get(QUEUES.tasksDead, { noAck: true }); if (!m) await new Promise((r) => setTimeout(r, 20)); }
      expect(m && String(m.properties.headers?.['x-reason'])).toBe('handler failed: boom');
      await new Promise((r) => setTimeout(r, 50)); // let a rejection surface if there were one
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await conn.close();
    }
  });
});

