import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import amqp from 'amqplib';
import { z } from 'zod';
import { startTaskqueue, type TaskqueueHandle } from '@riderflow/taskqueue';
import { consumeValidated } from '../src/index.js';

// Found on a tour: deleting one of the platform's queues over the management API while a service
// consumed it left the service connected and "healthy", receiving nothing for ever (the broker's
// basic.cancel was ignored), and what was published for the queue was dropped as unroutable until
// someone restarted the service by hand. A broker cancel now closes the channel, which every
// service treats as a lost broker: it exits and the supervisor restarts it, declaring the queue.

const waitFor = async (what: string, ok: () => boolean) => {
  const deadline = Date.now() + 20_000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('consumeValidated when its queue is deleted under it', () => {
  let dir: string;
  let tq: TaskqueueHandle;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-consumer-deleted-'));
    tq = await startTaskqueue({ port: 0, httpPort: 0, dataDir: dir, durability: 'none' });
  });
  afterAll(async () => {
    await tq?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('closes its channel (by default) when the queue is deleted over the management API, after handling what came before', async () => {
    const conn = await amqp.connect(tq.url);
    try {
      const ch = await conn.createChannel();
      ch.on('error', () => {});
      let closed = false;
      ch.on('close', () => { closed = true; });
      await ch.assertQueue('kit.deleted', { durable: true });
      const got: number[] = [];
      await consumeValidated(ch, 'kit.deleted', z.object({ n: z.number() }), (t) => { got.push(t.n); });
      ch.sendToQueue('kit.deleted', Buffer.from('{"n":1}'));
      await waitFor('the first task', () => got.length === 1);
      expect(closed).toBe(false);

      const auth = 'Basic ' + Buffer.from('guest:guest').toString('base64');
      const res = await fetch(`http://127.0.0.1:${tq.httpPort}/api/queues/%2F/kit.deleted`, { method: 'DELETE', headers: { authorization: auth } });
      expect(res.status).toBe(204);
      await waitFor('the channel to close', () => closed);
      expect(got).toEqual([1]);
    } finally {
      await conn.close().catch(() => {});
    }
  });

  it('calls onCancelled instead, and leaves the channel open, when the owner handles it itself', async () => {
    const conn = await amqp.connect(tq.url);
    try {
      const ch = await conn.createChannel();
      let closed = false;
      ch.on('close', () => { closed = true; });
      await ch.assertQueue('kit.deleted2', { durable: true });
      const cancelled: string[] = [];
      await consumeValidated(ch, 'kit.deleted2', z.object({ n: z.number() }), () => {}, { onCancelled: (q) => cancelled.push(q) });
      await ch.deleteQueue('kit.deleted2');
      await waitFor('onCancelled', () => cancelled.length === 1);
      expect(cancelled).toEqual(['kit.deleted2']);
      // The channel still works: declare and use the queue again on it.
      await ch.assertQueue('kit.deleted2', { durable: true });
      expect((await ch.checkQueue('kit.deleted2')).queue).toBe('kit.deleted2');
      expect(closed).toBe(false);
    } finally {
      await conn.close().catch(() => {});
    }
  });
});
