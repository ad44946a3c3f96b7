import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import amqp, { type Channel } from 'amqplib';
import { routeForTask, type RosterCallIn, type RosterShift } from '@riderflow/contracts';
import { encodeTask } from '@riderflow/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTaskqueue, type TaskqueueHandle } from '@riderflow/taskqueue';
import { InstructionInbox } from '../src/adapters/instruction-inbox.js';

async function until(what: string, ok: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function until2<T>(what: string, get: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the instruction inbox when the broker closes its channel', () => {
  let tmp: string;
  let tq: TaskqueueHandle;
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-sim-inbox-'));
    tq = await startTaskqueue({ port: 0, dataDir: tmp, durability: 'none' });
  });
  afterAll(async () => {
    await tq?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('reports the channel error to onClose listeners instead of crashing', async () => {
    const inbox = await InstructionInbox.open(tq.url, 5_000);
    try {
      const closed: (Error | undefined)[] = [];
      inbox.onClose((err) => closed.push(err));
      // A channel-level error from the broker (404 on a missing queue) closes the inbox's channel.
      const channel = (inbox as unknown as { channel: Channel }).channel;
      await expect(channel.checkQueue('rf-sim-inbox-no-such-queue')).rejects.toThrow(/404/);
      await until('onClose', () => closed.length > 0);
      expect(closed).toHaveLength(1);
      expect(closed[0]?.message).toMatch(/404/);
    } finally {
      await inbox.close();
    }
  });

  it('names a deleted queue (the broker cancelled its consumer) to onClose listeners, not a lost connection', async () => {
    const inbox = await InstructionInbox.open(tq.url, 5_000);
    const conn = await amqp.connect(tq.url);
    try {
      const closed: (Error | undefined)[] = [];
      inbox.onClose((err) => closed.push(err));
      const ch = await conn.createChannel();
      await ch.deleteQueue('roster.shifts');
      await until('onClose', () => closed.length > 0);
      expect(closed[0]?.message).toBe('the broker cancelled the consumer of roster.shifts (was the queue deleted?)');
    } finally {
      await conn.close().catch(() => {});
      await inbox.close();
    }
  });

  it('takes call-ins from roster.call_ins in the same stream and sets a bad one aside', async () => {
    const inbox = await InstructionInbox.open(tq.url, 5_000);
    const conn = await amqp.connect(tq.url);
    try {
      const ch = await conn.createChannel();
      const task: RosterCallIn = { type: 'roster.call_in', v: 1, id: 'c1', ts: 1, riders: 2, zoneId: 'z03', reason: 'test' };
      const route = routeForTask(task);
      expect(route).toEqual({ exchange: 'jobs', routingKey: 'roster.call_in' });
      ch.publish(route.exchange, route.routingKey, Buffer.from(JSON.stringify({ ...task, id: 'bad', riders: 0 })));
      ch.publish(route.exchange, route.routingKey, encodeTask(task));
      const got: unknown[] = [];
      await until('the call-in', () => { got.push(...inbox.take()); return got.length > 0 && inbox.deadLettered > 0; });
      expect(got).toEqual([task]);
      expect(inbox.callInsReceived).toBe(1);
      expect(inbox.deadLettered).toBe(1);
    } finally {
      await conn.close();
      await inbox.close();
    }
  });

  it('takes shift bookings from roster.shifts and sets a malformed one aside with its reason', async () => {
    const inbox = await InstructionInbox.open(tq.url, 5_000);
    const conn = await amqp.connect(tq.url);
    try {
      const ch = await conn.createChannel();
      const day = Date.UTC(2025, 2, 3);
      const task: RosterShift = { type: 'roster.shift', v: 1, id: 's1', ts: 1, riderId: 'r1', day, start: day + 17 * 3_600_000, end: day + 22 * 3_600_000, planId: 'p1' };
      const route = routeForTask(task);
      expect(route).toEqual({ exchange: 'jobs', routingKey: 'roster.shift' });
      ch.publish(route.exchange, route.routingKey, Buffer.from(JSON.stringify({ ...task, id: 'bad', end: task.start - 1 })));
      ch.publish(route.exchange, route.routingKey, encodeTask(task));
      const got: unknown[] = [];
      await until('the booking', () => { got.push(...inbox.take()); return got.length > 0 && inbox.deadLettered > 0; });
      expect(got).toEqual([task]);
      expect(inbox.shiftBookingsReceived).toBe(1);
      // tasks.dead also holds the earlier test's call-in: find this booking's dead letter.
      const reason = await until2('the dead letter', async () => {
        const m = await ch.get('tasks.dead', { noAck: true });
        const r = m ? String(m.properties.headers?.['x-reason']) : '';
        return r.includes('roster.shift') ? r : undefined;
      });
      expect(reason).toMatch(/end must be after start/);
    } finally {
      await conn.close();
      await inbox.close();
    }
  });

  it('does not call onClose listeners on an orderly close', async () => {
    const inbox = await InstructionInbox.open(tq.url, 5_000);
    const closed: (Error | undefined)[] = [];
    inbox.onClose((err) => closed.push(err));
    await inbox.close();
    await new Promise((r) => setTimeout(r, 100));
    expect(closed).toEqual([]);
  });
});
