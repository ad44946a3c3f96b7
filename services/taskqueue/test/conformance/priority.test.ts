// Priority queues (x-max-priority), as RabbitMQ implements them: highest priority first, publish
// order within a priority, no priority counts as 0, a priority above the maximum counts as the
// maximum, a requeued message returns to its place within its priority, and 255 is the limit.

import { describe, expect, it } from 'vitest';
import type { ConsumeMessage } from 'amqplib';
import { channelError, Inbox, targetNames, uniqueName, until, useChannelSession } from './targets.js';

describe.each(targetNames)('priority queues on %s', (targetName) => {
  const s = useChannelSession(targetName);

  async function priorityQueue(tag: string, max: number): Promise<string> {
    const { queue } = await s.ch.assertQueue(uniqueName(tag), { durable: false, arguments: { 'x-max-priority': max } });
    s.queues.push(queue);
    return queue;
  }
  const ready = async (q: string) => (await s.ch.checkQueue(q)).messageCount;
  async function drain(q: string): Promise<string[]> {
    const out: string[] = [];
    for (;;) {
      const m = await s.ch.get(q, { noAck: true });
      if (!m) return out;
      out.push(m.content.toString());
    }
  }

  it('delivers highest priority first, FIFO within a priority; none is 0, above max is max', async () => {
    const q = await priorityQueue('order', 5);
    const priorities = [1, 9, 0, 5, undefined, 3, 5, 2];
    priorities.forEach((p, i) => s.ch.sendToQueue(q, Buffer.from(String(i)), p === undefined ? {} : { priority: p }));
    await until(async () => (await ready(q)) === priorities.length, 'published');
    // 9 is capped to 5 and was published before the two 5s; 0 and "none" keep publish order
    expect(await drain(q)).toEqual(['1', '3', '6', '5', '7', '0', '2', '4']);
  });

  it('a consumer with a backlog gets the high-priority messages first, and a requeued one goes back to its place', async () => {
    const q = await priorityQueue('consume', 10);
    for (let i = 0; i < 20; i++) s.ch.sendToQueue(q, Buffer.from(`low${i}`), { priority: 1 });
    for (let i = 0; i < 3; i++) s.ch.sendToQueue(q, Buffer.from(`high${i}`), { priority: 8 });
    await until(async () => (await ready(q)) === 23, 'published');
    const c = await s.conn.createChannel();
    await c.prefetch(1);
    const inbox = new Inbox<ConsumeMessage>();
    await c.consume(q, (m) => m && inbox.push(m));
    const [first] = await inbox.count(1);
    expect(first!.content.toString()).toBe('high0');
    c.nack(first!, false, true); // back to the head of priority 8
    // prefetch 1: each ack lets the next one out; 24 deliveries = 23 messages + the redelivery
    const order: string[] = [];
    for (let n = 2; n <= 24; n++) {
      const m = (await inbox.count(n))[n - 1]!;
      if (n === 2) expect(m.fields.redelivered).toBe(true);
      order.push(m.content.toString());
      c.ack(m);
    }
    expect(order.slice(0, 3)).toEqual(['high0', 'high1', 'high2']);
    expect(order.slice(3, 6)).toEqual(['low0', 'low1', 'low2']);
    await c.close();
  });

  it('x-max-length drops from the head, which is the highest priority (as RabbitMQ does)', async () => {
    const { queue: q } = await s.ch.assertQueue(uniqueName('maxlen'), { durable: false, arguments: { 'x-max-priority': 5, 'x-max-length': 2 } });
    s.queues.push(q);
    for (const [b, p] of [['a', 1], ['b', 5], ['c', 1]] as const) s.ch.sendToQueue(q, Buffer.from(b), { priority: p });
    await until(async () => (await ready(q)) === 2, 'two left');
    await s.ch.checkQueue(q);
    expect(await drain(q)).toEqual(['a', 'c']);
  });

  it('refuses x-max-priority above 255 and below 0 with 406', async () => {
    const tooBig = await channelError(s.conn, (ch) => ch.assertQueue(uniqueName('p256'), { durable: false, arguments: { 'x-max-priority': 256 } }));
    expect(tooBig.code).toBe(406);
    expect(tooBig.message).toContain('max_value_exceeded');
    const negative = await channelError(s.conn, (ch) => ch.assertQueue(uniqueName('pneg'), { durable: false, arguments: { 'x-max-priority': -1 } }));
    expect(negative.code).toBe(406);
    const q = await priorityQueue('max', 255);
    s.ch.sendToQueue(q, Buffer.from('a'), { priority: 3 });
    s.ch.sendToQueue(q, Buffer.from('b'), { priority: 255 });
    await until(async () => (await ready(q)) === 2, 'published');
    expect(await drain(q)).toEqual(['b', 'a']);
  });
});
