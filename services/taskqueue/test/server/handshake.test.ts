// Connection handshake with real client libraries, login refusal, heartbeats, and byte-level
// protocol errors that must close one connection while every other client keeps working.
import { AMQPClient } from '@cloudamqp/amqp-client';
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_HEADER } from '../../src/amqp/frame.js';
import { RawClient, startTestBroker, until, type TestBroker } from './helpers.js';

let tq: TestBroker;
beforeAll(async () => {
  tq = await startTestBroker({ users: 'guest:guest,ops:s3cret' });
});
afterAll(async () => {
  await tq?.stop();
});

async function roundTrip(url: string, queue: string): Promise<string> {
  const conn = await amqp.connect(url);
  try {
    const ch = await conn.createConfirmChannel();
    await ch.assertQueue(queue, { autoDelete: true });
    ch.sendToQueue(queue, Buffer.from('ping'));
    await ch.waitForConfirms();
    const m = await until(() => ch.get(queue, { noAck: true }), 'message');
    return m.content.toString();
  } finally {
    await conn.close();
  }
}

describe('handshake', () => {
  it('amqplib connects and sees the RabbitMQ capabilities', async () => {
    const conn = await amqp.connect(tq.url);
    const props = (conn.connection as unknown as { serverProperties: Record<string, unknown> }).serverProperties;
    expect(props.capabilities).toMatchObject({
      publisher_confirms: true,
      exchange_exchange_bindings: true,
      'basic.nack': true,
      consumer_cancel_notify: true,
      per_consumer_qos: true,
      'connection.blocked': true,
      authentication_failure_close: true,
    });
    await until(() => tq.connections() === 1, 'connection counted');
    await conn.close();
    await until(() => tq.connections() === 0, 'connection released');
  });

  it('negotiates frame-max and heartbeat from the client tune-ok', async () => {
    const conn = await amqp.connect(`${tq.url}?frameMax=8192&heartbeat=7`);
    const c = conn.connection as unknown as { frameMax: number; heartbeat: number };
    expect(c.frameMax).toBe(8192);
    expect(c.heartbeat).toBe(7);
    // a message larger than frame-max goes out in several body frames and comes back whole
    const ch = await conn.createChannel();
    const q = await ch.assertQueue('', { exclusive: true });
    const body = Buffer.alloc(50_000, 'x');
    ch.sendToQueue(q.queue, body);
    const m = await until(() => ch.get(q.queue, { noAck: true }), 'big message');
    expect(m.content.equals(body)).toBe(true);
    await conn.close();
  });

  it('a second configured user logs in, with PLAIN and with AMQPLAIN', async () => {
    expect(await roundTrip(tq.url.replace('guest:guest', 'ops:s3cret'), 'hs-plain')).toBe('ping');
    const conn = await amqp.connect(tq.url.replace('guest:guest@', ''), {
      credentials: amqp.credentials.amqplain('ops', 's3cret'),
    });
    await conn.close();
  });

  it('refuses a bad password with ACCESS_REFUSED, as RabbitMQ does', async () => {
    const err = await amqp.connect(tq.url.replace('guest:guest', 'guest:wrong')).then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(/ACCESS.REFUSED/);
    const err2 = await amqp.connect(tq.url.replace('guest:guest', 'nobody:x')).then(
      () => null,
      (e: Error) => e,
    );
    expect(err2?.message).toMatch(/403/);
    const cloud = new AMQPClient(tq.url.replace('guest:guest', 'guest:nope'));
    await expect(cloud.connect()).rejects.toThrow(/ACCESS_REFUSED|403/);
    // and the raw view: connection.close 403 on the wire, then the socket closes
    const raw = await RawClient.connect(tq.port);
    await expect(raw.handshake({ password: 'bad' })).rejects.toThrow();
    const close = await raw.waitMethod('connection.close');
    expect(close.args.replyCode).toBe(403);
    expect(close.args.replyText).toMatch(/^ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN/);
    await raw.waitClosed();
  });

  it('@cloudamqp/amqp-client publishes with confirms, consumes and acks', async () => {
    const client = new AMQPClient(tq.url);
    const conn = await client.connect();
    const ch = await conn.channel();
    await ch.confirmSelect();
    await ch.queueDeclare('hs-cloud', { durable: false, autoDelete: false });
    const tags: number[] = [];
    for (let i = 0; i < 20; i++) tags.push(await ch.basicPublish('', 'hs-cloud', `m${i}`, { deliveryMode: 2, headers: { i } }));
    expect(tags).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const got: string[] = [];
    await ch.basicQos(5);
    const consumer = await ch.basicConsume('hs-cloud', { noAck: false }, async (msg) => {
      got.push(`${msg.bodyToString()}:${msg.properties.headers?.i}`);
      await msg.ack();
    });
    await until(() => got.length === 20, 'all 20 messages');
    expect(got).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}:${i}`));
    await consumer.cancel();
    const { messageCount } = await ch.queueDeclare('hs-cloud', { passive: true });
    expect(messageCount).toBe(0);
    await ch.queueDelete('hs-cloud');
    await conn.close();
  });
});

describe('heartbeats', () => {
  it('sends heartbeats, closes a silent client after two missed intervals, keeps one that beats', async () => {
    // The beating client shares this process (and its event loop) with the broker: with a 3 s
    // interval it survives a stall of about 3 s under CI load, and it is kept open for more than
    // two intervals, so the server would have closed it had its heartbeats not counted.
    const aliveOpenedAt = Date.now();
    const alive = await amqp.connect(`${tq.url}?heartbeat=3`);
    let aliveClosed = false;
    alive.on('close', () => (aliveClosed = true));
    const raw = await RawClient.connect(tq.port);
    await raw.handshake({ heartbeat: 1 });
    const openedAt = Date.now();
    await until(() => raw.frames.some((f) => f.type === 8), 'a heartbeat from the server');
    await raw.waitClosed(6000);
    expect(Date.now() - openedAt).toBeGreaterThanOrEqual(1900);
    const beyondTwoIntervals = aliveOpenedAt + 2 * 3000 + 1000 - Date.now();
    if (beyondTwoIntervals > 0) await new Promise((r) => setTimeout(r, beyondTwoIntervals));
    expect(aliveClosed).toBe(false);
    await alive.close();
  }, 30_000);
});

describe('protocol errors close one connection, never the server', () => {
  it('answers a wrong protocol header with its own and hangs up', async () => {
    const raw = await RawClient.connect(tq.port);
    raw.write(Buffer.from('HTTP/1.1 GET /\r\n\r\n'));
    await raw.waitClosed();
    expect(Buffer.concat(raw.raw).equals(PROTOCOL_HEADER)).toBe(true);
  });

  it('501 on a bad frame-end, 505 on a stray content header, 504 on an unopened channel, 501 on an oversized frame', async () => {
    const cases: Array<[number, (raw: RawClient) => void]> = [
      [501, (raw) => raw.write(Buffer.from([1, 0, 1, 0, 0, 0, 4, 0, 20, 0, 10, 0x00]))],
      [505, (raw) => {
        raw.send(1, 'channel.open', {});
        raw.write(Buffer.from('02000100000002003cce', 'hex'));
      }],
      [504, (raw) => raw.send(5, 'queue.declare', { queue: 'x' })],
      [501, (raw) => raw.write(Buffer.concat([Buffer.from('03000100100000', 'hex'), Buffer.alloc(0x100001)]))],
      [503, (raw) => raw.send(0, 'connection.tune-ok', { channelMax: 0, frameMax: 4096, heartbeat: 0 })],
      [505, (raw) => {
        // a method where the content header of a publish belongs
        raw.send(1, 'channel.open', {});
        raw.send(1, 'basic.publish', { exchange: '', routingKey: 'q' });
        raw.send(1, 'basic.qos', { prefetchSize: 0, prefetchCount: 1, global: false });
      }],
      [504, (raw) => {
        raw.send(1, 'channel.open', {});
        raw.send(1, 'channel.open', {});
      }],
    ];
    for (const [code, act] of cases) {
      const raw = await RawClient.connect(tq.port);
      await raw.handshake();
      act(raw);
      const close = await raw.waitMethod('connection.close');
      expect(close.args.replyCode, String(close.args.replyText)).toBe(code);
      raw.send(0, 'connection.close-ok');
      await raw.waitClosed();
    }
    expect(await roundTrip(tq.url, 'hs-after-errors')).toBe('ping');
  });

  it('refuses channel frames before connection.open with 503', async () => {
    const raw = await RawClient.connect(tq.port);
    raw.write(PROTOCOL_HEADER);
    await raw.waitMethod('connection.start');
    raw.send(0, 'connection.start-ok', { clientProperties: {}, mechanism: 'PLAIN', response: Buffer.from('\0guest\0guest'), locale: 'en_US' });
    await raw.waitMethod('connection.tune');
    raw.send(0, 'connection.tune-ok', { channelMax: 0, frameMax: 131072, heartbeat: 0 });
    raw.send(1, 'channel.open', {});
    const close = await raw.waitMethod('connection.close');
    expect(close.args.replyCode).toBe(503);
    await raw.waitClosed();
  });

  it('closes only the channel on a channel error, with the failing method ids', async () => {
    const conn = await amqp.connect(tq.url);
    const ch = await conn.createChannel();
    ch.on('error', () => {});
    const err = await ch.checkQueue('no-such-queue').then(
      () => null,
      (e: { code: number; classId: number; methodId: number; message: string }) => e,
    );
    expect(err).toMatchObject({ code: 404, classId: 50, methodId: 10 });
    expect(err?.message).toContain("NOT_FOUND - no queue 'no-such-queue' in vhost '/'");
    // a reply-text longer than a shortstr (multi-byte queue name) is cut on a character boundary
    const ch3 = await conn.createChannel();
    ch3.on('error', () => {});
    const long = await ch3.checkQueue('é'.repeat(127)).then(
      () => null,
      (e: { code: number; message: string }) => e,
    );
    expect(long?.code).toBe(404);
    expect(long?.message).toContain("NOT_FOUND - no queue 'éé");
    const ch2 = await conn.createChannel();
    await ch2.assertQueue('', { exclusive: true });
    await conn.close();
  });
});
