// Publisher confirms, prefetch (per consumer and per channel), ack/nack/reject with requeue and
// the redelivered flag, basic.get, cancel, purge, and unacked messages of a dropped connection.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import { connect, Inbox, sleep, startTarget, targetNames, uniqueName, until, type Target } from './targets.js';

describe.each(targetNames)('delivery on %s', (targetName) => {
  let target: Target;
  let conn: ChannelModel;
  let ch: Channel;
  const queues: string[] = [];

  beforeAll(async () => {
    target = await startTarget(targetName);
    conn = await connect(target.url);
    ch = await conn.createChannel();
  });
  afterAll(async () => {
    for (const q of queues) await ch.deleteQueue(q).catch(() => {});
    await conn?.close().catch(() => {});
    await target?.stop();
  });

  async function queue(tag: string, args: Record<string, unknown> = {}, durable = false): Promise<string> {
    const { queue } = await ch.assertQueue(uniqueName(tag), { durable, arguments: args });
    queues.push(queue);
    return queue;
  }
  const ready = async (q: string) => (await ch.checkQueue(q)).messageCount;

  it('publisher confirms ack every persistent message on a durable queue, in order', async () => {
    const q = await queue('confirm', {}, true);
    const cc = await conn.createConfirmChannel();
    const acked: number[] = [];
    cc.on('ack', (f: { deliveryTag: number; multiple: boolean }) => acked.push(f.deliveryTag));
    for (let i = 0; i < 100; i++) cc.sendToQueue(q, Buffer.alloc(1024, i), { persistent: true });
    await cc.waitForConfirms();
    expect(Math.max(...acked)).toBe(100);
    expect(await ready(q)).toBe(100);
    const cb = await new Promise<Error | null>((resolve) => cc.sendToQueue(q, Buffer.from('x'), { persistent: true }, (err) => resolve(err)));
    expect(cb).toBeNull();
    await cc.close();
  });

  it('confirms also ack unroutable messages', async () => {
    const cc = await conn.createConfirmChannel();
    const err = await new Promise<Error | null>((resolve) => cc.publish('amq.direct', uniqueName('nobody'), Buffer.from('x'), {}, (e) => resolve(e)));
    expect(err).toBeNull();
    await cc.close();
  });

  it('a consumer with prefetch 2 gets no third message until it acks', async () => {
    const q = await queue('prefetch');
    const c = await conn.createChannel();
    await c.prefetch(2);
    const inbox = new Inbox<ConsumeMessage>();
    await c.consume(q, (m) => m && inbox.push(m));
    for (let i = 0; i < 5; i++) ch.sendToQueue(q, Buffer.from(String(i)));
    await inbox.count(2);
    await until(async () => (await ready(q)) === 3, '3 ready');
    await sleep(100);
    expect(inbox.items.length).toBe(2);
    c.ack(inbox.items[0]);
    await inbox.count(3);
    expect(inbox.items.map((m) => m.content.toString())).toEqual(['0', '1', '2']);
    c.ack(inbox.items[2], true); // multiple: acks 1 and 2
    await inbox.count(5);
    c.ackAll();
    await c.close();
    expect(await ready(q)).toBe(0);
  });

  it('global prefetch limits the whole channel, per-consumer prefetch each consumer', async () => {
    const q1 = await queue('glob1');
    const q2 = await queue('glob2');
    for (let i = 0; i < 4; i++) {
      ch.sendToQueue(q1, Buffer.from(`a${i}`));
      ch.sendToQueue(q2, Buffer.from(`b${i}`));
    }
    await until(async () => (await ready(q2)) === 4, 'published');
    // RabbitMQ: basic.qos global=false → per consumer; global=true → shared by the channel
    const c = await conn.createChannel();
    await c.prefetch(3, true);
    await c.prefetch(1, false);
    const inbox = new Inbox<ConsumeMessage>();
    await c.consume(q1, (m) => m && inbox.push(m));
    await c.consume(q2, (m) => m && inbox.push(m));
    await inbox.count(2);
    await sleep(100);
    // each consumer is limited to 1, well inside the channel's 3
    expect(inbox.items.length).toBe(2);
    await c.close();

    const g = await conn.createChannel();
    await g.prefetch(3, true);
    const ginbox = new Inbox<ConsumeMessage>();
    await g.consume(q1, (m) => m && ginbox.push(m));
    await g.consume(q2, (m) => m && ginbox.push(m));
    await ginbox.count(3);
    await sleep(100);
    expect(ginbox.items.length).toBe(3);
    g.ack(ginbox.items[0]);
    await ginbox.count(4);
    await g.close();
  });

  it('nack with requeue puts the message back at its position with redelivered set', async () => {
    const q = await queue('requeue');
    for (const b of ['1', '2', '3']) ch.sendToQueue(q, Buffer.from(b));
    await until(async () => (await ready(q)) === 3, 'published');
    const m1 = await ch.get(q);
    const m2 = await ch.get(q);
    expect(m1 && m2).toBeTruthy();
    if (!m1 || !m2) return;
    expect(m1.fields.redelivered).toBe(false);
    expect(m1.fields.messageCount).toBe(2);
    ch.nack(m2, false, true);
    ch.reject(m1, true);
    await until(async () => (await ready(q)) === 3, 'requeued');
    const again = [await ch.get(q), await ch.get(q), await ch.get(q)];
    expect(again.map((m) => m && m.content.toString())).toEqual(['1', '2', '3']);
    expect(again.map((m) => m && m.fields.redelivered)).toEqual([true, true, false]);
    ch.nackAll(false);
    await until(async () => (await ready(q)) === 0, 'dropped');
  });

  it('basic.get on an empty queue returns nothing; purge removes ready messages', async () => {
    const q = await queue('get');
    expect(await ch.get(q)).toBe(false);
    for (let i = 0; i < 3; i++) ch.sendToQueue(q, Buffer.from('x'));
    await until(async () => (await ready(q)) === 3, 'published');
    const { messageCount } = await ch.purgeQueue(q);
    expect(messageCount).toBe(3);
    expect(await ready(q)).toBe(0);
  });

  it('consumers share a queue round-robin; cancel stops deliveries', async () => {
    const q = await queue('rr');
    const c = await conn.createChannel();
    const a = new Inbox<ConsumeMessage>();
    const b = new Inbox<ConsumeMessage>();
    const ta = await c.consume(q, (m) => m && a.push(m), { noAck: true });
    await c.consume(q, (m) => m && b.push(m), { noAck: true });
    for (let i = 0; i < 6; i++) ch.sendToQueue(q, Buffer.from(String(i)));
    await until(() => a.items.length + b.items.length === 6, '6 deliveries');
    expect(a.items.length).toBe(3);
    expect(b.items.length).toBe(3);
    await c.cancel(ta.consumerTag);
    for (let i = 0; i < 2; i++) ch.sendToQueue(q, Buffer.from('after'));
    await until(() => b.items.length === 5, 'b gets the rest');
    expect(a.items.length).toBe(3);
    await c.close();
  });

  it('unacked messages of a dropped connection go back to the queue and to the next consumer, redelivered', async () => {
    const q = await queue('drop');
    for (let i = 0; i < 3; i++) ch.sendToQueue(q, Buffer.from(String(i)));
    const c1 = await connect(target.url);
    const ch1 = await c1.createChannel();
    await ch1.prefetch(10);
    const first = new Inbox<ConsumeMessage>();
    await ch1.consume(q, (m) => m && first.push(m));
    await first.count(3);
    ch1.ack(first.items[0]);
    await until(async () => (await ready(q)) === 0, 'all delivered');

    const c2 = await connect(target.url);
    const ch2 = await c2.createChannel();
    const second = new Inbox<ConsumeMessage>();
    await ch2.consume(q, (m) => m && second.push(m));
    expect(second.items.length).toBe(0);
    // drop the first connection without acking the other two
    await c1.close();
    const got = await second.count(2);
    expect(got.map((m) => m.content.toString())).toEqual(['1', '2']);
    expect(got.every((m) => m.fields.redelivered)).toBe(true);
    ch2.ackAll();
    await c2.close();
  });
});
