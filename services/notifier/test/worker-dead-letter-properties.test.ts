import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import amqp, { type GetMessage } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTaskqueue, type TaskqueueHandle } from '@riderflow/taskqueue';
import { NotificationLedger } from '../src/ledger.js';
import { simulatedProviders } from '../src/providers.js';
import { MemoryResultPublisher } from '../src/results.js';
import { notifierTopology, type NotifierTopology } from '../src/topology.js';
import { NotifierWorker } from '../src/worker.js';
import { sqliteTestDatabase, waitFor, type TestDatabase } from './support.js';

// Found on a tour: `amqp-publish -e notifications -r ops.webhook -b 'not json at all'` was
// dead-lettered labelled application/json (the worker filled in a content type the message never
// had). A dead letter keeps the properties it came with: absent stays absent, the body byte for byte.

describe('a notifier worker dead-lettering a task it cannot read', () => {
  let dir: string;
  let tq: TaskqueueHandle;
  let testDb: TestDatabase;
  let topology: NotifierTopology;
  let worker: NotifierWorker;
  let conn: amqp.ChannelModel;
  let ch: amqp.Channel;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-notifier-dl-props-'));
    tq = await startTaskqueue({ port: 0, dataDir: dir, durability: 'none' });
    testDb = await sqliteTestDatabase();
    topology = notifierTopology({ prefix: `rf-dlprops-${randomUUID().slice(0, 8)}.`, retryDelaysMs: [20] });
    worker = new NotifierWorker({
      amqpUrl: tq.url, topology, providers: simulatedProviders({ failureRate: 0 }), results: new MemoryResultPublisher(),
      ledger: new NotificationLedger(testDb.db.prisma, 1_000), prefetch: 5, maxAttempts: 2, workerId: 'w-dl-props',
    });
    await worker.start();
    conn = await amqp.connect(tq.url);
    ch = await conn.createChannel();
  });
  afterAll(async () => {
    await conn?.close();
    await worker?.stop();
    await testDb?.drop();
    await tq?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function deadLetterOf(body: string, options: amqp.Options.Publish): Promise<GetMessage> {
    ch.publish(topology.exchanges.notifications, 'ops.webhook', Buffer.from(body), options);
    let got: GetMessage | false = false;
    await waitFor('the task to be dead-lettered', async () => {
      got = await ch.get(topology.queues.dead, { noAck: true });
      return got !== false;
    }, 20_000);
    return got as unknown as GetMessage;
  }

  it('leaves the content type absent when the message had none', async () => {
    const dead = await deadLetterOf('not json at all', { messageId: 'no-type' });
    expect(dead.content.toString()).toBe('not json at all');
    expect(dead.properties.contentType).toBeUndefined();
    expect(dead.properties.messageId).toBe('no-type');
  });

  it('keeps the content type the message came with', async () => {
    const dead = await deadLetterOf('plain words', {
      contentType: 'text/plain', contentEncoding: 'identity', messageId: 'text-type', correlationId: 'c-1', type: 'note', appId: 'tour', timestamp: 1_765_000_000,
    });
    expect(dead.content.toString()).toBe('plain words');
    expect(dead.properties).toMatchObject({
      contentType: 'text/plain', contentEncoding: 'identity', messageId: 'text-type', correlationId: 'c-1', type: 'note', appId: 'tour', timestamp: 1_765_000_000,
    });
  });
});
