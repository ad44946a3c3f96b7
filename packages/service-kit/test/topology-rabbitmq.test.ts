import { afterAll, describe, expect, it } from 'vitest';
import amqp from 'amqplib';
import { QUEUES, TOPOLOGY } from '@riderflow/contracts';
import { declareTopology } from '../src/index.js';

const url = process.env.RABBITMQ_URL;

describe.skipIf(!url)('declareTopology on real RabbitMQ', () => {
  // The agreed names live on the shared vhost "/": leave nothing behind, or a later change of
  // their arguments would fail with 406 on this host forever.
  afterAll(async () => {
    const conn = await amqp.connect(url!);
    try {
      const ch = await conn.createChannel();
      for (const q of TOPOLOGY.queues) await ch.deleteQueue(q.name);
      for (const e of TOPOLOGY.exchanges) await ch.deleteExchange(e.name);
      await ch.close();
    } finally {
      await conn.close().catch(() => {});
    }
  });

  it('declares every exchange, queue and binding, twice, without error, and routes as specified', async () => {
    const conn = await amqp.connect(url!);
    try {
      const ch = await conn.createChannel();
      await declareTopology(ch);
      await declareTopology(ch);
      for (const q of TOPOLOGY.queues) await ch.checkQueue(q.name);
      for (const e of TOPOLOGY.exchanges) await ch.checkExchange(e.name);

      // A redeclaration with different arguments is what breaks services; prove the broker enforces it
      // (so "declared twice without error" means "same arguments both times").
      const other = await conn.createChannel();
      const closed = new Promise<Error>((resolve) => other.on('error', resolve));
      await expect(other.assertQueue(QUEUES.riderInstructions, { durable: true })).rejects.toThrow(/PRECONDITION|406/);
      await closed;

      await ch.close();
    } finally {
      await conn.close().catch(() => {});
    }
  });
});
