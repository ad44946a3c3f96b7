// RabbitMQ extensions that users rely on (issue 21): sender-selected distribution (CC/BCC
// headers), single active consumer with failover, consumer priorities, direct reply-to, and the
// server capabilities that announce them.

import { describe, expect, it } from 'vitest';
import type { ConsumeMessage } from 'amqplib';
import { channelError, connect, Inbox, sleep, targetNames, uniqueName, until, useChannelSession } from './targets.js';

describe.each(targetNames)('RabbitMQ extensions on %s', (targetName) => {
  const s = useChannelSession(targetName);

  async function queue(tag: string, args: Record<string, unknown> = {}): Promise<string> {
    const { queue } = await s.ch.assertQueue(uniqueName(tag), { durable: false, arguments: args });
    s.queues.push(queue);
    return queue;
  }
  const ready = async (q: string) => (await s.ch.checkQueue(q)).messageCount;

  it('announces consumer_priorities and direct_reply_to in the server capabilities', () => {
    const props = (s.conn as unknown as { connection: { serverProperties: { capabilities: Record<string, unknown> } } }).connection.serverProperties;
    expect(props.capabilities).toMatchObject({ consumer_priorities: true, direct_reply_to: true, publisher_confirms: true });
  });

  it('CC and BCC route to more keys; BCC is removed from what queues deliver, CC kept', async () => {
    const x = uniqueName('ccx');
    await s.ch.assertExchange(x, 'direct', { durable: false });
    s.exchanges.push(x);
    const [main, cc, bcc, other] = [await queue('main'), await queue('cc'), await queue('bcc'), await queue('other')];
    await s.ch.bindQueue(main, x, 'k.main');
    await s.ch.bindQueue(cc, x, 'k.cc');
    await s.ch.bindQueue(bcc, x, 'k.bcc');
    await s.ch.bindQueue(other, x, 'k.other');
    s.ch.publish(x, 'k.main', Buffer.from('hello'), { headers: { CC: ['k.cc', 'k.main'], BCC: ['k.bcc'], keep: 'yes' } });
    for (const q of [main, cc, bcc]) await until(async () => (await ready(q)) === 1, `${q} gets one copy`);
    expect(await ready(other)).toBe(0);
    for (const q of [main, cc, bcc]) {
      const m = await s.ch.get(q, { noAck: true });
      expect(m && m.content.toString()).toBe('hello');
      if (!m) continue;
      expect(m.fields.routingKey).toBe('k.main');
      expect(m.properties.headers?.['BCC']).toBeUndefined();
      expect(m.properties.headers?.['CC']).toEqual(['k.cc', 'k.main']);
      expect(m.properties.headers?.['keep']).toBe('yes');
    }
    // on the default exchange the keys are queue names
    s.ch.sendToQueue(main, Buffer.from('direct'), { headers: { CC: [other] } });
    await until(async () => (await ready(other)) === 1, 'CC to a queue by name');
    expect(await ready(main)).toBe(1);
  });

  it('single active consumer: one consumer gets everything; when it goes, the next takes over', async () => {
    const q = await queue('sac', { 'x-single-active-consumer': true });
    const c1 = await connect(s.target.url);
    const c2 = await connect(s.target.url);
    try {
      const ch1 = await c1.createChannel();
      const ch2 = await c2.createChannel();
      await ch1.prefetch(5);
      await ch2.prefetch(5);
      const first = new Inbox<ConsumeMessage>();
      const second = new Inbox<ConsumeMessage>();
      await ch1.consume(q, (m) => m && first.push(m));
      await ch2.consume(q, (m) => m && second.push(m));
      for (let i = 0; i < 10; i++) s.ch.sendToQueue(q, Buffer.from(String(i)));
      await first.count(5);
      await until(async () => (await ready(q)) === 5, 'the rest waits for the active consumer');
      await sleep(200);
      expect(second.items.length).toBe(0); // not round-robin: the other consumer is idle
      ch1.ack(first.items[1]!); // ack one, keep four unacknowledged
      await first.count(6);
      await c1.close(); // failover: the five unacked are redelivered to the next consumer, in order
      const got = await second.count(5);
      expect(got.map((m) => m.content.toString())).toEqual(['0', '2', '3', '4', '5']);
      expect(got.every((m) => m.fields.redelivered)).toBe(true);
      ch2.ackAll();
      const all = await second.count(9);
      expect(all.slice(5).map((m) => m.content.toString())).toEqual(['6', '7', '8', '9']);
      ch2.ackAll();
    } finally {
      await c1.close().catch(() => {});
      await c2.close().catch(() => {});
    }
  });

  it('consumer priorities: the higher-priority consumer gets messages while it has room, the lower one only the overflow', async () => {
    const q = await queue('cprio');
    const c = await s.conn.createChannel();
    await c.prefetch(3);
    const low = new Inbox<ConsumeMessage>();
    const high = new Inbox<ConsumeMessage>();
    await c.consume(q, (m) => m && low.push(m), { priority: 1 });
    await c.consume(q, (m) => m && high.push(m), { priority: 10 });
    for (let i = 0; i < 5; i++) s.ch.sendToQueue(q, Buffer.from(String(i)));
    await until(() => low.items.length + high.items.length === 5, '5 deliveries');
    // high takes its prefetch of 3 first, the rest overflows to low
    expect(high.items.map((m) => m.content.toString())).toEqual(['0', '1', '2']);
    expect(low.items.map((m) => m.content.toString())).toEqual(['3', '4']);
    c.ack(high.items[0]!);
    s.ch.sendToQueue(q, Buffer.from('5'));
    await high.count(4);
    expect(high.items[3]!.content.toString()).toBe('5');
    expect(low.items.length).toBe(2);
    c.ackAll();
    await c.close();
  });

  it('direct reply-to: an RPC round trip without a reply queue', async () => {
    const rpc = await queue('rpc');
    // the server side, on its own connection
    const serverConn = await connect(s.target.url);
    const clientConn = await connect(s.target.url);
    try {
      const server = await serverConn.createChannel();
      await server.consume(rpc, (m) => {
        if (!m) return;
        expect(m.properties.replyTo).toMatch(/^amq\.rabbitmq\.reply-to\..+/);
        server.sendToQueue(m.properties.replyTo, Buffer.from(`pong:${m.content.toString()}`), { correlationId: m.properties.correlationId });
        server.ack(m);
      });
      const client = await clientConn.createChannel();
      const replies = new Inbox<ConsumeMessage>();
      await client.consume('amq.rabbitmq.reply-to', (m) => m && replies.push(m), { noAck: true });
      for (let i = 0; i < 3; i++) client.sendToQueue(rpc, Buffer.from(`ping${i}`), { replyTo: 'amq.rabbitmq.reply-to', correlationId: `c${i}` });
      const got = await replies.count(3);
      expect(got.map((m) => [m.content.toString(), m.properties.correlationId]).sort()).toEqual([
        ['pong:ping0', 'c0'],
        ['pong:ping1', 'c1'],
        ['pong:ping2', 'c2'],
      ]);
      // the reply consumer must be noAck, and reply_to needs one on the same channel
      const acking = await channelError(clientConn, (ch) => ch.consume('amq.rabbitmq.reply-to', () => {}, { noAck: false }));
      expect(acking.code).toBe(406);
      const noConsumer = await channelError(clientConn, async (ch) => {
        ch.sendToQueue(rpc, Buffer.from('x'), { replyTo: 'amq.rabbitmq.reply-to' });
        await ch.checkQueue(rpc);
      });
      expect(noConsumer.code).toBe(406);
      expect(noConsumer.message).toContain('fast reply consumer does not exist');
    } finally {
      await serverConn.close().catch(() => {});
      await clientConn.close().catch(() => {});
    }
  });
});
