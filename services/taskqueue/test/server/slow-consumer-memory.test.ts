// The broker's own buffer for a slow consumer stays bounded (issue 21): while a consumer reads
// about one message per 10 ms and 40 MiB are published to its queue, what the broker has encoded
// for that connection but the kernel has not taken stays within a few delivery batches
// (256 KiB each); the rest waits in the queue. Read from the connections list (send_pend).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import amqp from 'amqplib';
import { throttledProxy, type ThrottledProxy } from '../conformance/throttled-proxy.js';
import { startTestBroker, type TestBroker } from './helpers.js';

const BOUND = 1024 * 1024;

describe('slow consumer', () => {
  let tq: TestBroker;
  let proxy: ThrottledProxy;
  beforeAll(async () => {
    tq = await startTestBroker();
    proxy = await throttledProxy(tq.url, 1100, 10);
  });
  afterAll(async () => {
    await proxy?.close();
    await tq?.stop();
  });

  it(`keeps under ${BOUND} bytes pending for its connection while publishers continue`, async () => {
    const slowConn = await amqp.connect(proxy.url);
    slowConn.on('error', () => {});
    const slow = await slowConn.createChannel();
    const { queue } = await slow.assertQueue(`slow-memory-${process.pid}`, { durable: false });
    let received = 0;
    await slow.consume(queue, () => received++, { noAck: true });

    const pubConn = await amqp.connect(tq.url);
    const pub = await pubConn.createConfirmChannel();
    const body = Buffer.alloc(1024, 0x61);
    let maxPending = 0;
    const sample = () => {
      for (const c of tq.amqp.connections()) maxPending = Math.max(maxPending, c.sendPending);
    };
    const sampler = setInterval(sample, 5);
    const published = 40_000;
    for (let i = 0; i < published; i++) {
      if (!pub.sendToQueue(queue, body)) await new Promise((r) => pub.once('drain', r));
      if (i % 1000 === 999) {
        await pub.waitForConfirms();
        sample();
      }
    }
    await pub.waitForConfirms();
    clearInterval(sampler);
    sample();
    const ready = (await pub.checkQueue(queue)).messageCount;
    await pub.deleteQueue(queue);
    await pubConn.close();
    expect(received).toBeGreaterThan(0);
    // most of what was published is still in the queue, not in buffers
    expect(ready).toBeGreaterThan(published / 2);
    expect(maxPending).toBeGreaterThan(0);
    expect(maxPending, `at most ${maxPending} bytes were pending`).toBeLessThan(BOUND);
  }, 120_000);
});
