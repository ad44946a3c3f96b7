// tx.commit-ok is the client's licence to forget its messages: like RabbitMQ, taskqueue answers it
// only once the transaction's persistent messages are synced to the message store. The store's
// fdatasync is held here, so the order is observed, not raced: the commit must stay unanswered
// while a later round trip on the same connection is answered.
import fs from 'node:fs';
import { AMQPClient } from '@cloudamqp/amqp-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker, until, type TestBroker } from './helpers.js';

type SyncCallback = (err: NodeJS.ErrnoException | null) => void;
const realFdatasync = fs.fdatasync;
let holding = false;
const held: Array<() => void> = [];

function releaseSyncs(): void {
  holding = false;
  for (const release of held.splice(0)) release();
}

let broker: TestBroker;
let client: AMQPClient;

beforeAll(async () => {
  (fs as { fdatasync: typeof fs.fdatasync }).fdatasync = ((fd: number, callback: SyncCallback) => {
    if (holding) held.push(() => realFdatasync(fd, callback));
    else realFdatasync(fd, callback);
  }) as typeof fs.fdatasync;
  broker = await startTestBroker({ durability: 'fsync' });
  client = new AMQPClient(`amqp://guest:guest@127.0.0.1:${broker.port}`);
  await client.connect();
});

afterEach(() => releaseSyncs());

afterAll(async () => {
  releaseSyncs();
  await client.close().catch(() => {});
  await broker.stop();
  (fs as { fdatasync: typeof fs.fdatasync }).fdatasync = realFdatasync;
});

/** a round trip on a channel of its own: the server answers frames in order on the one socket */
async function roundTrip(queue: string): Promise<void> {
  const other = await client.channel();
  await other.queueDeclare(queue, { passive: true });
  await other.close();
}

describe('tx.commit and the message store', () => {
  it('answers tx.commit-ok only after the persistent messages are synced', async () => {
    const ch = await client.channel();
    await ch.queueDeclare('tx-durable', { durable: true });
    await ch.txSelect();
    holding = true;
    await ch.basicPublish('', 'tx-durable', 'one', { deliveryMode: 2 });
    await ch.basicPublish('', 'tx-durable', 'two', { deliveryMode: 2 });
    let committed = false;
    const commit = ch.txCommit().then(() => {
      committed = true;
    });
    await until(() => held.length > 0, 'the store syncing the transaction');
    await roundTrip('tx-durable');
    expect(committed, 'tx.commit-ok came before the messages were synced').toBe(false);

    releaseSyncs();
    await commit;
    expect(committed).toBe(true);
    const { messageCount } = await ch.queueDeclare('tx-durable', { passive: true });
    expect(messageCount).toBe(2);
    await ch.close();
  });

  it('does not wait for the disk when the transaction stored nothing', async () => {
    const ch = await client.channel();
    await ch.queueDeclare('tx-transient', { durable: true });
    await ch.txSelect();
    holding = true;
    await ch.basicPublish('', 'tx-transient', 'transient', { deliveryMode: 1 });
    await ch.txCommit();
    const { messageCount } = await ch.queueDeclare('tx-transient', { passive: true });
    expect(messageCount).toBe(1);
    await ch.close();
  });
});
