// Errors as RabbitMQ gives them: the channel is closed with the reply code and text, and the
// connection (and its other channels) keep working.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelModel } from 'amqplib';
import { channelError, connect, startTarget, targetNames, uniqueName, type Target } from './targets.js';

describe.each(targetNames)('errors on %s', (targetName) => {
  let target: Target;
  let conn: ChannelModel;
  const queues: string[] = [];
  const exchanges: string[] = [];

  beforeAll(async () => {
    target = await startTarget(targetName);
    conn = await connect(target.url);
  });
  afterAll(async () => {
    const ch = await conn.createChannel();
    for (const q of queues) await ch.deleteQueue(q).catch(() => {});
    for (const x of exchanges) await ch.deleteExchange(x).catch(() => {});
    await conn?.close().catch(() => {});
    await target?.stop();
  });

  it('404: passive declare, bind, consume, get and publish name missing things', async () => {
    const q = uniqueName('missing');
    const x = uniqueName('missing-x');
    expect(await channelError(conn, (ch) => ch.checkQueue(q))).toMatchObject({ code: 404 });
    expect((await channelError(conn, (ch) => ch.checkQueue(q))).message).toContain(`NOT_FOUND - no queue '${q}' in vhost '/'`);
    expect((await channelError(conn, (ch) => ch.checkExchange(x))).message).toContain(`NOT_FOUND - no exchange '${x}' in vhost '/'`);
    expect(await channelError(conn, (ch) => ch.consume(q, () => {}))).toMatchObject({ code: 404 });
    expect(await channelError(conn, (ch) => ch.get(q))).toMatchObject({ code: 404 });
    const pub = await channelError(conn, (ch) => {
      ch.publish(x, 'k', Buffer.from('x'));
    });
    expect(pub.code).toBe(404);
    expect(pub.message).toContain(`no exchange '${x}' in vhost '/'`);
    const real = uniqueName('real');
    const ch = await conn.createChannel();
    await ch.assertQueue(real, { durable: false });
    queues.push(real);
    const bind = await channelError(conn, (c) => c.bindQueue(real, x, 'k'));
    expect(bind.code).toBe(404);
    expect(bind.message).toContain(`no exchange '${x}' in vhost '/'`);
    await ch.close();
  });

  it('406: redeclaring with other properties or arguments', async () => {
    const q = uniqueName('ineq');
    const ch = await conn.createChannel();
    await ch.assertQueue(q, { durable: false, arguments: { 'x-message-ttl': 1000 } });
    queues.push(q);
    const durable = await channelError(conn, (c) => c.assertQueue(q, { durable: true, arguments: { 'x-message-ttl': 1000 } }));
    expect(durable.code).toBe(406);
    expect(durable.message).toContain(`PRECONDITION_FAILED - inequivalent arg 'durable' for queue '${q}' in vhost '/': received 'true' but current is 'false'`);
    const ttl = await channelError(conn, (c) => c.assertQueue(q, { durable: false, arguments: { 'x-message-ttl': 2000 } }));
    expect(ttl.code).toBe(406);
    expect(ttl.message).toContain(`inequivalent arg 'x-message-ttl' for queue '${q}' in vhost '/': received '2000' but current is '1000'`);
    const none = await channelError(conn, (c) => c.assertQueue(q, { durable: false }));
    expect(none.message).toContain(`inequivalent arg 'x-message-ttl' for queue '${q}' in vhost '/': received none but current is the value '1000' of type 'short'`);

    const x = uniqueName('ineq-x');
    await ch.assertExchange(x, 'direct', { durable: false });
    exchanges.push(x);
    const type = await channelError(conn, (c) => c.assertExchange(x, 'fanout', { durable: false }));
    expect(type.code).toBe(406);
    expect(type.message).toContain(`inequivalent arg 'type' for exchange '${x}' in vhost '/': received 'fanout' but current is 'direct'`);
    await ch.close();
  });

  it('406: a queue redeclared with another x-max-length (or other argument) names both values and wire types', async () => {
    // texts checked against RabbitMQ 3.10.8; amqplib sends a plain 5 as a byte, { '!': 'int' } as a signedint
    const q = uniqueName('ineq-len');
    const ch = await conn.createChannel();
    await ch.assertQueue(q, { durable: false, arguments: { 'x-max-length': 5, 'x-queue-type': 'classic' } });
    queues.push(q);
    const inequivalent = `PRECONDITION_FAILED - inequivalent arg 'x-max-length' for queue '${q}' in vhost '/'`;
    const other = await channelError(conn, (c) => c.assertQueue(q, { durable: false, arguments: { 'x-max-length': 10 } }));
    expect(other.code).toBe(406);
    expect(other.message).toContain(`${inequivalent}: received '10' but current is '5'"`);
    const typed = await channelError(conn, (c) => c.assertQueue(q, { durable: false, arguments: { 'x-max-length': { '!': 'int', value: 7 } } }));
    expect(typed.message).toContain(`${inequivalent}: received '7' but current is '5'"`);
    const float = await channelError(conn, (c) => c.assertQueue(q, { durable: false, arguments: { 'x-max-length': { '!': 'float', value: 7 } } }));
    expect(float.message).toContain(`${inequivalent}: received '7.0' but current is '5'"`);
    // the same value as another integer type, and x-queue-type 'classic' against none, are equivalent
    await ch.assertQueue(q, { durable: false, arguments: { 'x-max-length': { '!': 'long', value: 5 } } });

    const typedQueue = uniqueName('ineq-typed');
    await ch.assertQueue(typedQueue, { durable: false, arguments: { 'x-max-length': { '!': 'int', value: 5 }, 'x-expires': { '!': 'unsignedshort', value: 60000 } } });
    queues.push(typedQueue);
    const none = await channelError(conn, (c) => c.assertQueue(typedQueue, { durable: false, arguments: { 'x-expires': { '!': 'unsignedshort', value: 60000 } } }));
    expect(none.message).toContain(`inequivalent arg 'x-max-length' for queue '${typedQueue}' in vhost '/': received none but current is the value '5' of type 'signedint'"`);
    const added = await channelError(conn, (c) => c.assertQueue(typedQueue, { durable: false, arguments: { 'x-max-length': { '!': 'int', value: 5 } } }));
    expect(added.message).toContain(`inequivalent arg 'x-expires' for queue '${typedQueue}' in vhost '/': received none but current is the value '60000' of type 'unsignedshort'"`);
    const quorum = await channelError(conn, (c) => c.assertQueue(typedQueue, { durable: false, arguments: { 'x-max-length': { '!': 'int', value: 5 }, 'x-expires': { '!': 'unsignedshort', value: 60000 }, 'x-queue-type': 'quorum' } }));
    expect(quorum.message).toContain(`inequivalent arg 'x-queue-type' for queue '${typedQueue}' in vhost '/': received the value 'quorum' of type 'longstr' but current is none"`);

    const invalid = uniqueName('invalid-len');
    const notInteger = await channelError(conn, (c) => c.assertQueue(invalid, { durable: false, arguments: { 'x-max-length': { '!': 'float', value: 5 } } }));
    expect(notInteger.message).toContain(`PRECONDITION_FAILED - invalid arg 'x-max-length' for queue '${invalid}' in vhost '/': "expected integer, got float"`);
    const overflow = await channelError(conn, (c) => c.assertQueue(invalid, { durable: false, arguments: { 'x-overflow': 'nope' } }));
    expect(overflow.message).toContain(`PRECONDITION_FAILED - invalid arg 'x-overflow' for queue '${invalid}' in vhost '/': invalid_overflow`);
    await ch.close();
  });

  it('406: a delivery mode other than 1 or 2 closes the channel; a missing exchange is named first', async () => {
    const q = uniqueName('dm');
    const ch = await conn.createChannel();
    await ch.assertQueue(q, { durable: false });
    queues.push(q);
    for (const mode of [0, 3, 255]) {
      const err = await channelError(conn, async (c) => {
        c.sendToQueue(q, Buffer.from('x'), { deliveryMode: mode });
        await c.checkQueue(q); // a round trip so the close arrives
      });
      expect(err.code).toBe(406);
      expect(err.message).toContain(`PRECONDITION_FAILED - invalid message: {delivery_mode_unknown,${mode}}`);
    }
    const missing = uniqueName('dm-missing-x');
    const first = await channelError(conn, async (c) => {
      c.publish(missing, 'k', Buffer.from('x'), { deliveryMode: 3 });
      await c.checkQueue(q);
    });
    expect(first.message).toContain(`NOT_FOUND - no exchange '${missing}' in vhost '/'`);
    // nothing of the refused messages was queued; modes 1 and 2 are taken
    ch.sendToQueue(q, Buffer.from('transient'), { deliveryMode: 1 });
    ch.sendToQueue(q, Buffer.from('persistent'), { deliveryMode: 2 });
    const got = [await ch.get(q, { noAck: true }), await ch.get(q, { noAck: true })];
    expect(got.map((m) => m && [m.content.toString(), m.properties.deliveryMode])).toEqual([['transient', 1], ['persistent', 2]]);
    expect(await ch.get(q)).toBe(false);
    await ch.close();
  });

  it('406: acking an unknown delivery tag closes the channel', async () => {
    const err = await channelError(conn, async (c) => {
      c.ack({ fields: { deliveryTag: 99 } } as never);
      await c.checkExchange('amq.direct'); // a round trip so the close arrives
    });
    expect(err.code).toBe(406);
    expect(err.message).toContain('PRECONDITION_FAILED - unknown delivery tag 99');
  });

  it('405: an exclusive queue is locked to its connection', async () => {
    const q = uniqueName('excl');
    const ch = await conn.createChannel();
    await ch.assertQueue(q, { exclusive: true });
    const other = await connect(target.url);
    try {
      for (const op of [
        (c: import('amqplib').Channel) => c.consume(q, () => {}),
        (c: import('amqplib').Channel) => c.assertQueue(q, { exclusive: true }),
        (c: import('amqplib').Channel) => c.checkQueue(q),
      ]) {
        const e = await channelError(other, op);
        expect(e.code).toBe(405);
        expect(e.message).toContain(`RESOURCE_LOCKED - cannot obtain exclusive access to locked queue '${q}' in vhost '/'`);
      }
      // its own connection uses it freely; when that connection closes the queue goes
      await ch.consume(q, () => {});
    } finally {
      await other.close();
    }
    const c2 = await connect(target.url);
    const owner = await connect(target.url);
    const oc = await owner.createChannel();
    const q2 = (await oc.assertQueue('', { exclusive: true })).queue;
    expect(q2.startsWith('amq.gen-')).toBe(true);
    await owner.close();
    expect((await channelError(c2, (c) => c.checkQueue(q2))).code).toBe(404);
    await c2.close();
    await ch.close();
  });

  it('403: amq.* names are reserved; the default exchange cannot be bound or deleted', async () => {
    const xq = await channelError(conn, (c) => c.assertExchange('amq.rf-custom', 'direct'));
    expect(xq.code).toBe(403);
    expect(xq.message).toContain(`ACCESS_REFUSED - exchange name 'amq.rf-custom' contains reserved prefix 'amq.*'`);
    const qq = await channelError(conn, (c) => c.assertQueue('amq.rf-custom'));
    expect(qq.code).toBe(403);
    expect(qq.message).toContain(`ACCESS_REFUSED - queue name 'amq.rf-custom' contains reserved prefix 'amq.*'`);
    const q = uniqueName('dflt');
    const ch = await conn.createChannel();
    await ch.assertQueue(q, { durable: false });
    queues.push(q);
    const bind = await channelError(conn, (c) => c.bindQueue(q, '', q));
    expect(bind.code).toBe(403);
    expect(bind.message).toContain(`ACCESS_REFUSED - operation not permitted on the default exchange`);
    await ch.close();
  });

  it('403: a second consumer on a queue with an exclusive consumer', async () => {
    const q = uniqueName('exclcons');
    const ch = await conn.createChannel();
    await ch.assertQueue(q, { durable: false });
    queues.push(q);
    await ch.consume(q, () => {}, { exclusive: true });
    const e = await channelError(conn, (c) => c.consume(q, () => {}));
    expect(e.code).toBe(403);
    expect(e.message).toContain(`ACCESS_REFUSED - queue '${q}' in vhost '/' in exclusive use`);
    await ch.close();
  });

  it('406: delete if-unused / if-empty', async () => {
    const q = uniqueName('ifempty');
    const ch = await conn.createChannel();
    await ch.assertQueue(q, { durable: false });
    queues.push(q);
    ch.sendToQueue(q, Buffer.from('x'));
    await ch.checkQueue(q);
    const e = await channelError(conn, (c) => c.deleteQueue(q, { ifEmpty: true }));
    expect(e.code).toBe(406);
    expect(e.message).toContain(`PRECONDITION_FAILED - queue '${q}' in vhost '/' not empty`);
    expect((await ch.deleteQueue(q)).messageCount).toBe(1);
    expect((await ch.deleteQueue(uniqueName('never'))).messageCount).toBe(0);
    await ch.close();
  });

  it('after channel errors the connection still works', async () => {
    const ch = await conn.createChannel();
    await ch.checkExchange('amq.topic');
    await ch.close();
  });
});
