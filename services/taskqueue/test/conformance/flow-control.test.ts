// Flow control towards consumers (issue 21): a consumer without a prefetch limit — noAck, or
// manual acks with prefetch 0 — receives everything in the queue, however much that is; and a
// consumer that reads slowly does not make the broker take more off the queue than the socket
// can carry (back-pressure, not unbounded buffering).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelModel, ConsumeMessage } from 'amqplib';
import { connect, startTarget, targetNames, uniqueName, until, type Target } from './targets.js';
import { throttledProxy } from './throttled-proxy.js';

const COUNT = 30_000;
const SIZE = 1024;

describe.each(targetNames)('flow control on %s', (targetName) => {
  let target: Target;
  let conn: ChannelModel;
  const queues: string[] = [];

  beforeAll(async () => {
    target = await startTarget(targetName);
    conn = await connect(target.url);
  });
  afterAll(async () => {
    const ch = await conn.createChannel();
    for (const q of queues) await ch.deleteQueue(q).catch(() => {});
    await conn?.close().catch(() => {});
    await target?.stop();
  });

  async function filledQueue(tag: string, count: number): Promise<string> {
    const pub = await conn.createConfirmChannel();
    const { queue } = await pub.assertQueue(uniqueName(tag), { durable: false });
    queues.push(queue);
    const body = Buffer.alloc(SIZE, 0x61);
    for (let i = 0; i < count; i++) {
      body.writeUInt32BE(i, 0);
      if (!pub.sendToQueue(queue, body)) await new Promise((r) => pub.once('drain', r));
      if (i % 1000 === 999) await pub.waitForConfirms();
    }
    await pub.waitForConfirms();
    await pub.close();
    return queue;
  }

  it(`a noAck consumer receives all ${COUNT} × 1 KiB messages`, async () => {
    const q = await filledQueue('noack', COUNT);
    const c = await conn.createChannel();
    let received = 0;
    let inOrder = true;
    await c.consume(q, (m) => {
      if (!m) return;
      if (m.content.readUInt32BE(0) !== received) inOrder = false;
      received++;
    }, { noAck: true });
    await until(() => received >= COUNT, `${COUNT} deliveries (got ${received})`, 60_000).catch((e: Error) => {
      throw new Error(`${e.message}; received ${received}`);
    });
    expect(received).toBe(COUNT);
    expect(inOrder).toBe(true);
    expect((await c.checkQueue(q)).messageCount).toBe(0);
    await c.close();
  }, 120_000);

  it(`a manual-ack consumer with unlimited prefetch receives all ${COUNT} before acking any`, async () => {
    const q = await filledQueue('unlimited', COUNT);
    const c = await conn.createChannel();
    await c.prefetch(0);
    const got: ConsumeMessage[] = [];
    await c.consume(q, (m) => m && got.push(m));
    await until(() => got.length >= COUNT, `${COUNT} deliveries`, 60_000).catch((e: Error) => {
      throw new Error(`${e.message}; received ${got.length}`);
    });
    expect(got.length).toBe(COUNT);
    const { messageCount } = await c.checkQueue(q);
    expect(messageCount).toBe(0); // all unacknowledged, none ready
    c.ackAll();
    await c.close();
  }, 120_000);

  it('a consumer receiving all the time gets messages published after it subscribed', async () => {
    const { queue: q } = await (await conn.createChannel()).assertQueue(uniqueName('live'), { durable: false });
    queues.push(q);
    const c = await conn.createChannel();
    let received = 0;
    await c.consume(q, (m) => m && received++, { noAck: true });
    const pub = await conn.createConfirmChannel();
    const body = Buffer.alloc(SIZE, 0x62);
    for (let i = 0; i < COUNT; i++) {
      if (!pub.sendToQueue(q, body)) await new Promise((r) => pub.once('drain', r));
      if (i % 1000 === 999) await pub.waitForConfirms();
    }
    await pub.waitForConfirms();
    await until(() => received >= COUNT, `${COUNT} live deliveries`, 60_000).catch((e: Error) => {
      throw new Error(`${e.message}; received ${received}`);
    });
    await pub.close();
    await c.close();
  }, 120_000);

  // The bound: messages taken off the queue but not yet at the consumer are what the broker (and
  // the kernel's socket buffers between us) hold for it. A broker that streams without
  // back-pressure would let this grow with everything published; with back-pressure it stays at
  // about the socket buffers' size. 16 MiB of 1 KiB messages is far above what TCP buffers hold
  // on loopback (a few MiB) and far below the 60 MiB published here.
  const IN_FLIGHT_BOUND = 16 * 1024;

  it('a slow consumer (about one message per 10 ms) does not make the broker buffer what is published meanwhile', async () => {
    const { queue: q } = await (await conn.createChannel()).assertQueue(uniqueName('slow'), { durable: false });
    queues.push(q);
    // ~1.1 KiB per 10 ms: one 1 KiB message (plus its frames) per tick
    const proxy = await throttledProxy(target.url, 1100, 10);
    const slowConn = await connect(proxy.url);
    try {
      const slow = await slowConn.createChannel();
      let received = 0;
      await slow.consume(q, (m) => m && received++, { noAck: true });
      const pub = await conn.createConfirmChannel();
      const body = Buffer.alloc(SIZE, 0x63);
      const published = 60_000;
      let maxInFlight = 0;
      const check = await conn.createChannel();
      for (let i = 0; i < published; i++) {
        if (!pub.sendToQueue(q, body)) await new Promise((r) => pub.once('drain', r));
        if (i % 2000 === 1999) {
          await pub.waitForConfirms();
          const { messageCount } = await check.checkQueue(q);
          maxInFlight = Math.max(maxInFlight, i + 1 - messageCount - received);
        }
      }
      await pub.waitForConfirms();
      // let the broker settle: whatever it was going to push has been pushed by now
      let last = -1;
      await until(async () => {
        const { messageCount } = await check.checkQueue(q);
        maxInFlight = Math.max(maxInFlight, published - messageCount - received);
        const stable = messageCount === last;
        last = messageCount;
        return stable;
      }, 'queue length to settle', 30_000).catch(() => {});
      expect(received).toBeGreaterThan(0); // the slow consumer does get messages
      expect(received).toBeLessThan(published);
      expect(maxInFlight, `at most ${maxInFlight} messages were between the queue and the consumer`).toBeLessThan(IN_FLIGHT_BOUND);
      // and the rest is still in the queue, not lost (received is read after the queue length,
      // so what arrived in between counts as received, never twice)
      const { messageCount } = await check.checkQueue(q);
      const between = published - messageCount - received;
      expect(between).toBeGreaterThanOrEqual(0);
      expect(between).toBeLessThan(IN_FLIGHT_BOUND);
      await pub.close();
    } finally {
      // hang up under the client: a graceful close would queue behind megabytes at 110 KB/s
      slowConn.on('error', () => {});
      await proxy.close();
    }
  }, 180_000);
});
