// Smaller behaviours where an embedded broker easily drifts from RabbitMQ: declare-ok counts,
// return-before-confirm ordering, server-side consumer cancel, what max-length and purge count,
// in-use checks on delete.

import { describe, expect, it } from 'vitest';
import type { ConsumeMessage } from 'amqplib';
import { useChannelSession, channelError, targetNames, uniqueName, until } from './targets.js';

describe.each(targetNames)('edge cases on %s', (targetName) => {
  const s = useChannelSession(targetName);
  const { queues, exchanges } = s;

  async function queue(tag: string, args: Record<string, unknown> = {}): Promise<string> {
    const { queue } = await s.ch.assertQueue(uniqueName(tag), { durable: false, arguments: args });
    queues.push(queue);
    return queue;
  }

  it('declare-ok reports ready messages and consumers', async () => {
    const q = await queue('declareok');
    for (let i = 0; i < 3; i++) s.ch.sendToQueue(q, Buffer.from('x'));
    await until(async () => (await s.ch.checkQueue(q)).messageCount === 3, '3 ready');
    const held = await s.ch.get(q);
    const c = await s.conn.createChannel();
    await c.prefetch(1);
    const inbox: ConsumeMessage[] = [];
    await c.consume(q, (m) => m && inbox.push(m));
    await until(() => inbox.length === 1, 'one delivery');
    const ok = await s.ch.assertQueue(q, { durable: false });
    expect(ok).toMatchObject({ queue: q, messageCount: 1, consumerCount: 1 });
    await c.close();
    if (held) s.ch.ack(held);
  });

  it('on a confirm channel, basic.return comes before the ack of a mandatory unroutable message', async () => {
    const cc = await s.conn.createConfirmChannel();
    const events: string[] = [];
    cc.on('return', () => events.push('return'));
    await new Promise<void>((resolve, reject) =>
      cc.publish('amq.direct', uniqueName('void'), Buffer.from('x'), { mandatory: true }, (err) => {
        events.push('ack');
        if (err) reject(err);
        else resolve();
      }),
    );
    expect(events).toEqual(['return', 'ack']);
    await cc.close();
  });

  it('deleting a queue cancels its consumers (consumer_cancel_notify)', async () => {
    const q = uniqueName('cancelnotify');
    await s.ch.assertQueue(q, { durable: false });
    const c = await s.conn.createChannel();
    let cancelled = false;
    await c.consume(q, (m) => {
      if (m === null) cancelled = true;
    });
    await s.ch.deleteQueue(q);
    await until(() => cancelled, 'server-side cancel');
    await c.close();
  });

  it('x-max-length counts only ready messages; purge removes only ready ones', async () => {
    const q = await queue('readyonly', { 'x-max-length': 1 });
    s.ch.sendToQueue(q, Buffer.from('a'));
    await until(async () => (await s.ch.checkQueue(q)).messageCount === 1, 'a ready');
    const a = await s.ch.get(q);
    s.ch.sendToQueue(q, Buffer.from('b'));
    await until(async () => (await s.ch.checkQueue(q)).messageCount === 1, 'b ready');
    const { messageCount } = await s.ch.purgeQueue(q);
    expect(messageCount).toBe(1);
    expect(a && a.content.toString()).toBe('a');
    if (a) s.ch.nack(a, false, true);
    await until(async () => (await s.ch.checkQueue(q)).messageCount === 1, 'a back');
    const again = await s.ch.get(q, { noAck: true });
    expect(again && again.content.toString()).toBe('a');
  });

  it('406 on delete if-unused for a queue with consumers and an exchange with bindings', async () => {
    const q = await queue('inuse');
    const c = await s.conn.createChannel();
    await c.consume(q, () => {});
    const e = await channelError(s.conn, (x) => x.deleteQueue(q, { ifUnused: true }));
    expect(e.code).toBe(406);
    expect(e.message).toContain(`PRECONDITION_FAILED - queue '${q}' in vhost '/' in use`);
    await c.close();
    const x = uniqueName('inuse-x');
    await s.ch.assertExchange(x, 'fanout', { durable: false });
    exchanges.push(x);
    await s.ch.bindQueue(q, x, '');
    const ex = await channelError(s.conn, (y) => y.deleteExchange(x, { ifUnused: true }));
    expect(ex.code).toBe(406);
    expect(ex.message).toContain(`PRECONDITION_FAILED - exchange '${x}' in vhost '/' in use`);
  });

  it('per-message TTL shorter than the head waits behind it, then expires on reaching the head', async () => {
    const q = await queue('ttlhead');
    s.ch.sendToQueue(q, Buffer.from('long'), { expiration: '60000' });
    s.ch.sendToQueue(q, Buffer.from('short'), { expiration: '1' });
    await until(async () => (await s.ch.checkQueue(q)).messageCount === 2, 'both queued');
    await new Promise((r) => setTimeout(r, 20));
    const first = await s.ch.get(q, { noAck: true });
    expect(first && first.content.toString()).toBe('long');
    expect(await s.ch.get(q, { noAck: true })).toBe(false);
  });

  it('an x-expires and a message TTL longer than 24.8 days (past the limit of Node timers) do not fire at once', async () => {
    // Node runs a setTimeout of more than 2^31-1 ms after 1 ms: the queue was deleted at once
    const q = await queue('longexpires', { 'x-expires': 30 * 24 * 3600 * 1000 });
    s.ch.sendToQueue(q, Buffer.from('kept'), { expiration: String(50 * 24 * 3600 * 1000) });
    await until(async () => (await s.ch.checkQueue(q)).messageCount === 1, 'the message queued');
    await new Promise((r) => setTimeout(r, 300));
    expect((await s.ch.checkQueue(q)).messageCount).toBe(1);
  });

  it('406 on an invalid per-message expiration', async () => {
    const q = await queue('badexp');
    const e = await channelError(s.conn, async (c) => {
      c.sendToQueue(q, Buffer.from('x'), { expiration: 'soon' });
      await c.checkQueue(q);
    });
    expect(e.code).toBe(406);
  });
});
