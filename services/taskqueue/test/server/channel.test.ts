// Channel semantics through amqplib: delivery tags, ack/nack/reject (single, multiple, tag 0),
// unknown tags, prefetch per consumer and per channel, confirms, mandatory returns, basic.get,
// cancel, and requeue of unacknowledged messages when a channel or connection goes away.
import { AMQPClient } from '@cloudamqp/amqp-client';
import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker, until, type TestBroker } from './helpers.js';

let tq: TestBroker;
let conn: ChannelModel;
beforeAll(async () => {
  tq = await startTestBroker();
  conn = await amqp.connect(tq.url);
});
afterAll(async () => {
  await conn?.close().catch(() => {});
  await tq?.stop();
});

async function freshQueue(ch: Channel, n = 0): Promise<string> {
  const { queue } = await ch.assertQueue('', { exclusive: true });
  for (let i = 0; i < n; i++) ch.sendToQueue(queue, Buffer.from(String(i)));
  if (n > 0) await until(async () => (await ch.checkQueue(queue)).messageCount === n, 'messages in queue');
  return queue;
}

function closedWith(ch: Channel): Promise<{ code: number; classId: number; methodId: number; message: string }> {
  return new Promise((resolve) => ch.once('error', resolve));
}

describe('acknowledgements', () => {
  it('acks multiple up to a tag, and tag 0 with multiple acks everything', async () => {
    const ch = await conn.createChannel();
    const q = await freshQueue(ch, 6);
    const got: ConsumeMessage[] = [];
    await ch.consume(q, (m) => got.push(m!));
    await until(() => got.length === 6, 'six deliveries');
    expect(got.map((m) => m.fields.deliveryTag)).toEqual([1, 2, 3, 4, 5, 6]);
    ch.ack(got[2]!, true); // 1..3
    await until(async () => (await ch.checkQueue(q)).messageCount === 0, 'queue empty');
    ch.ackAll(); // delivery-tag 0, multiple
    const ch2 = await conn.createChannel();
    // nothing left to requeue when ch closes
    await ch.close();
    expect((await ch2.checkQueue(q)).messageCount).toBe(0);
    await ch2.close();
  });

  it('closes the channel with 406 on an unknown or twice-acked delivery tag', async () => {
    const ch = await conn.createChannel();
    const q = await freshQueue(ch, 1);
    const m = await until(() => ch.get(q), 'message');
    ch.ack(m);
    const closed = closedWith(ch);
    ch.ack(m);
    const err = await closed;
    expect(err.code).toBe(406);
    expect(err.message).toContain('PRECONDITION_FAILED - unknown delivery tag 1');
    expect([err.classId, err.methodId]).toEqual([60, 80]);
  });

  it('nack with requeue redelivers with the redelivered flag; reject without requeue drops', async () => {
    const ch = await conn.createChannel();
    const q = await freshQueue(ch, 2);
    const a = await until(() => ch.get(q), 'first');
    const b = await until(() => ch.get(q), 'second');
    expect(a.fields.redelivered).toBe(false);
    ch.nack(a, false, true);
    ch.reject(b, false);
    const again = await until(() => ch.get(q), 'redelivered');
    expect(again.content.toString()).toBe('0');
    expect(again.fields.redelivered).toBe(true);
    expect(again.fields.deliveryTag).toBe(3);
    ch.ack(again);
    expect(await ch.get(q)).toBe(false);
    await ch.close();
  });

  it('requeues unacknowledged messages when the channel closes and when the connection drops', async () => {
    const other = await amqp.connect(tq.url);
    const och = await other.createChannel();
    const ch = await conn.createChannel();
    const { queue } = await ch.assertQueue('ch-requeue', { autoDelete: false });
    await ch.purgeQueue(queue);
    for (let i = 0; i < 3; i++) ch.sendToQueue(queue, Buffer.from(String(i)));
    const got: ConsumeMessage[] = [];
    await och.consume(queue, (m) => got.push(m!));
    await until(() => got.length === 3, 'three deliveries to the doomed consumer');
    // the next consumer waits on another connection
    const later: ConsumeMessage[] = [];
    const ch2 = await conn.createChannel();
    await ch2.consume(queue, (m) => later.push(m!), { noAck: true });
    (other.connection as unknown as { stream: { destroy(): void } }).stream.destroy(); // drop without closing
    await until(() => later.length === 3, 'requeued messages to the next consumer');
    expect(later.map((m) => [m.content.toString(), m.fields.redelivered])).toEqual([
      ['0', true],
      ['1', true],
      ['2', true],
    ]);
    await ch.deleteQueue(queue);
    await ch.close();
    await ch2.close().catch(() => {});
  });
});

describe('prefetch', () => {
  it('limits each consumer with basic.qos global=false', async () => {
    const ch = await conn.createChannel();
    const q = await freshQueue(ch, 10);
    await ch.prefetch(3);
    const got: ConsumeMessage[] = [];
    await ch.consume(q, (m) => got.push(m!));
    await until(() => got.length === 3, 'three');
    await new Promise((r) => setTimeout(r, 100));
    expect(got.length).toBe(3);
    ch.ack(got[0]!);
    await until(() => got.length === 4, 'one more after an ack');
    ch.ack(got[3]!, true);
    await until(() => got.length === 7, 'three more after a multiple ack');
    await ch.close();
  });

  it('shares one limit across the channel with global=true', async () => {
    const ch = await conn.createChannel();
    const q1 = await freshQueue(ch, 5);
    const q2 = await freshQueue(ch, 5);
    await ch.prefetch(4, true);
    const got: ConsumeMessage[] = [];
    await ch.consume(q1, (m) => got.push(m!));
    await ch.consume(q2, (m) => got.push(m!));
    await until(() => got.length === 4, 'four');
    await new Promise((r) => setTimeout(r, 100));
    expect(got.length).toBe(4);
    ch.ack(got[1]!);
    await until(() => got.length === 5, 'one more after an ack');
    await ch.close();
  });
});

describe('publishing', () => {
  it('confirms every publish, returns unroutable mandatory messages with 312 NO_ROUTE before the ack', async () => {
    const ch = await conn.createConfirmChannel();
    const q = await freshQueue(ch);
    const events: string[] = [];
    ch.on('return', (m: ConsumeMessage) => events.push(`return:${m.fields.routingKey}:${m.content}`));
    const acks: number[] = [];
    for (let i = 0; i < 50; i++) ch.sendToQueue(q, Buffer.from(`m${i}`), { persistent: true }, () => acks.push(i));
    ch.publish('', 'nowhere', Buffer.from('lost'), { mandatory: true }, (err) => events.push(`ack:${err ?? 'ok'}`));
    await ch.waitForConfirms();
    expect(acks).toHaveLength(50);
    expect(events).toEqual(['return:nowhere:lost', 'ack:ok']);
    expect((await ch.checkQueue(q)).messageCount).toBe(50);
    const reply = await until(() => ch.get(q), 'stored message');
    expect(reply.properties.deliveryMode).toBe(2);
    await ch.close();
  });

  it('basic.get returns get-empty on an empty queue and the remaining count otherwise', async () => {
    const ch = await conn.createChannel();
    const q = await freshQueue(ch, 3);
    const m = await until(() => ch.get(q, { noAck: true }), 'message');
    expect(m.fields.messageCount).toBe(2);
    await ch.get(q, { noAck: true });
    await ch.get(q, { noAck: true });
    expect(await ch.get(q)).toBe(false);
    await ch.close();
  });

  it('refuses a user-id that is not the authenticated user (406)', async () => {
    const ch = await conn.createChannel();
    const q = await freshQueue(ch);
    const closed = closedWith(ch);
    ch.sendToQueue(q, Buffer.from('x'), { userId: 'mallory' });
    const err = await closed;
    expect(err.code).toBe(406);
    expect([err.classId, err.methodId]).toEqual([60, 40]);
  });
});

describe('consumers', () => {
  it('generates amq.ctag- tags, cancels, and tells the client when its queue is deleted', async () => {
    const ch = await conn.createChannel();
    const q = await freshQueue(ch);
    const { consumerTag } = await ch.consume(q, () => {});
    expect(consumerTag).toMatch(/^amq\.ctag-[A-Za-z0-9_-]{22}$/);
    await ch.cancel(consumerTag);
    expect((await ch.checkQueue(q)).consumerCount).toBe(0);
    let cancelled = false;
    await ch.consume(q, (m) => {
      if (m === null) cancelled = true;
    });
    const other = await conn.createChannel();
    await other.deleteQueue(q);
    await until(() => cancelled, 'server-sent basic.cancel');
    await ch.close();
    await other.close();
  });

  it('reusing a consumer tag on a channel is a connection error (530)', async () => {
    const c2 = await amqp.connect(tq.url);
    const errors: Error[] = [];
    c2.on('error', (e: Error) => errors.push(e));
    const ch = await c2.createChannel();
    ch.on('error', () => {});
    const q = await freshQueue(ch);
    await ch.consume(q, () => {}, { consumerTag: 'dup' });
    await ch.consume(q, () => {}, { consumerTag: 'dup' }).catch(() => {});
    await until(() => errors.length > 0, 'connection error');
    expect(errors[0]!.message).toContain('530');
  });
});

describe('transactions, recover and flow', () => {
  it('tx: publishes take effect on commit, not on rollback (amqp-client)', async () => {
    const client = await new AMQPClient(tq.url).connect();
    const ch = await client.channel();
    const { name: q } = await ch.queueDeclare('', { exclusive: true });
    await ch.txSelect();
    await ch.basicPublish('', q, 'rolled back');
    await ch.txRollback();
    await ch.basicPublish('', q, 'committed');
    const peek = await client.channel();
    expect((await peek.queueDeclare(q, { passive: true })).messageCount).toBe(0);
    await ch.txCommit();
    expect((await peek.queueDeclare(q, { passive: true })).messageCount).toBe(1);
    const m = await peek.basicGet(q, { noAck: true });
    expect(m?.bodyToString()).toBe('committed');
    await expect(ch.confirmSelect()).rejects.toThrow(/406|PRECONDITION_FAILED/);
    await client.close();
  });

  it('basic.recover requeues everything unacknowledged with redelivered set', async () => {
    const ch = await conn.createChannel();
    const q = await freshQueue(ch, 2);
    await until(() => ch.get(q), 'first');
    await until(() => ch.get(q), 'second');
    await ch.recover();
    const again = await until(() => ch.get(q, { noAck: true }), 'recovered');
    expect(again.fields.redelivered).toBe(true);
    await ch.close();
  });

  it('channel.flow(false) pauses deliveries until flow(true) (amqp-client)', async () => {
    const client = await new AMQPClient(tq.url).connect();
    const ch = await client.channel();
    const { name: q } = await ch.queueDeclare('', { exclusive: true });
    expect(await ch.basicFlow(false)).toBe(false);
    const got: string[] = [];
    await ch.basicConsume(q, { noAck: true }, (m) => {
      got.push(m.bodyToString() ?? '');
    });
    await ch.basicPublish('', q, 'held');
    const other = await client.channel();
    await until(async () => (await other.queueDeclare(q, { passive: true })).messageCount === 1, 'message waiting');
    expect(got).toEqual([]);
    expect(await ch.basicFlow(true)).toBe(true);
    await until(() => got.length === 1, 'delivery after flow on');
    await client.close();
  });
});

describe('memory alarm', () => {
  it('blocks publishers with connection.blocked and resumes them with connection.unblocked', async () => {
    const alarmed = await startTestBroker();
    try {
      const pubConn = await amqp.connect(alarmed.url);
      const events: string[] = [];
      pubConn.on('blocked', (reason: string) => events.push(`blocked:${reason}`));
      pubConn.on('unblocked', () => events.push('unblocked'));
      const pub = await pubConn.createChannel();
      const { queue } = await pub.assertQueue('alarm-q');
      pub.sendToQueue(queue, Buffer.from('before'));
      const watcher = await (await amqp.connect(alarmed.url)).createChannel();
      await until(async () => (await watcher.checkQueue(queue)).messageCount === 1, 'first message');

      alarmed.amqp.setMemoryHighWatermark(1);
      await until(() => events.includes('blocked:low on memory'), 'connection.blocked');
      pub.sendToQueue(queue, Buffer.from('during'));
      await new Promise((r) => setTimeout(r, 200));
      expect((await watcher.checkQueue(queue)).messageCount).toBe(1);

      alarmed.amqp.setMemoryHighWatermark(0);
      await until(() => events.includes('unblocked'), 'connection.unblocked');
      await until(async () => (await watcher.checkQueue(queue)).messageCount === 2, 'held publish processed');
      await pubConn.close();
    } finally {
      await alarmed.stop();
    }
  });
});

