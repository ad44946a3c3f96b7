import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTaskqueue, type TaskqueueHandle } from '@riderflow/taskqueue';
import { NotificationLedger } from '../src/ledger.js';
import { simulatedProviders } from '../src/providers.js';
import { MemoryResultPublisher } from '../src/results.js';
import { notifierTopology } from '../src/topology.js';
import { NotifierWorker } from '../src/worker.js';
import { sqliteTestDatabase, waitFor, type TestDatabase } from './support.js';

// Found on a tour: deleting notify.customer over the management API while the notifier consumed it
// left the worker connected, "healthy" and idle for ever (the broker's cancel was ignored). Now a
// broker cancel closes the worker's connection, which takes its lost-connection path (main.ts
// exits, the supervisor restarts it and the restarted worker declares the queue again).

describe('a notifier worker whose queue is deleted under it', () => {
  let dir: string;
  let tq: TaskqueueHandle;
  let testDb: TestDatabase;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-notifier-deleted-'));
    tq = await startTaskqueue({ port: 0, dataDir: dir, durability: 'none' });
    testDb = await sqliteTestDatabase();
  });
  afterAll(async () => {
    await testDb?.drop();
    await tq?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reports its connection lost instead of idling on a queue that is gone', async () => {
    const topology = notifierTopology({ prefix: `rf-deleted-${randomUUID().slice(0, 8)}.`, retryDelaysMs: [20] });
    const lost: string[] = [];
    const worker = new NotifierWorker({
      amqpUrl: tq.url, topology, providers: simulatedProviders({ failureRate: 0 }), results: new MemoryResultPublisher(),
      ledger: new NotificationLedger(testDb.db.prisma, 1_000), prefetch: 5, maxAttempts: 2, workerId: 'w-deleted',
      onConnectionLost: (w) => lost.push(w.id),
    });
    await worker.start();
    try {
      const conn = await amqp.connect(tq.url);
      try {
        const ch = await conn.createChannel();
        expect((await ch.checkQueue(topology.queues.customer)).consumerCount).toBe(1);
        await ch.deleteQueue(topology.queues.customer);
      } finally {
        await conn.close();
      }
      await waitFor('the worker to report its connection lost', () => lost.length > 0, 20_000);
      expect(lost).toEqual(['w-deleted']);
    } finally {
      await worker.stop();
    }
  });
});
