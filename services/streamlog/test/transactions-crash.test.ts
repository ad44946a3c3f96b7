import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { startTestBroker, tempDir, waitFor } from './helpers/broker.js';
import { startChildBroker } from './helpers/child-broker.js';

const values = (broker: { engine: { partition(t: string, p: number): { readRecords(o: bigint, n: number): { value: Buffer | null }[] } | undefined } }, topic: string) =>
  broker.engine.partition(topic, 0)!.readRecords(0n, 1000).map((r) => r.value!.toString());

describe('transactions across a broker SIGKILL', () => {
  it('an open transaction survives the crash and is then aborted by its timeout; committed work and its offsets stay', async () => {
    const dataDir = tempDir('rf-streamlog-txcrash-');
    const child = await startChildBroker(['--data-dir', dataDir]);
    try {
      const kafka = new Kafka({ brokers: [child.brokers], logLevel: logLevel.NOTHING, retry: { retries: 2, initialRetryTime: 50 } });
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: 'txc', numPartitions: 1 }] });
      await admin.disconnect();
      const producer = kafka.producer({ transactionalId: 'txc-id', idempotent: true, maxInFlightRequests: 1, transactionTimeout: 3000, retry: { retries: 1, initialRetryTime: 50 } });
      await producer.connect();
      const done = await producer.transaction();
      await done.send({ topic: 'txc', messages: [{ value: 'committed' }] });
      await done.sendOffsets({ consumerGroupId: 'txc-group', topics: [{ topic: 'txc-in', partitions: [{ partition: 0, offset: '3' }] }] });
      await done.commit();
      const open = await producer.transaction();
      await open.send({ topic: 'txc', messages: [{ value: 'open-1' }, { value: 'open-2' }] });
      child.child.kill('SIGKILL');
      await child.exited;
      await producer.disconnect().catch(() => undefined);
    } finally {
      child.child.kill('SIGKILL');
      await child.exited;
    }

    const broker = await startTestBroker({ dataDir, transactionTimeoutCheckMs: 100 });
    try {
      const log = broker.engine.partition('txc', 0)!;
      // the data and the commit marker are there; the open transaction's records are after it
      expect(values(broker, 'txc')).toEqual(['committed', 'open-1', 'open-2']);
      expect(broker.engine.offsets.fetch('txc-group', 'txc-in', 0)?.offset).toBe(3n);
      // the open transaction is still open after the restart (its state was rebuilt from the log) …
      const firstOpen = 2n; // record 0, commit marker 1
      expect(log.lastStableOffset).toBe(firstOpen);
      // … until its timeout, counted across the restart, aborts it
      await waitFor(() => log.lastStableOffset === log.highWatermark, 20_000, 'the open transaction aborted after restart');
      expect(log.abortedTransactions(0n, log.highWatermark).map((a) => a.firstOffset)).toEqual([2]);

      // a read_committed consumer sees the committed record only; the transactional id is usable again
      const kafka = broker.kafka();
      const p = kafka.producer({ transactionalId: 'txc-id', idempotent: true, maxInFlightRequests: 1 });
      await p.connect();
      const next = await p.transaction();
      await next.send({ topic: 'txc', messages: [{ value: 'after-restart' }] });
      await next.commit();
      await p.disconnect();
      const consumer = kafka.consumer({ groupId: 'txc-reader', maxWaitTimeInMs: 100 });
      const seen: string[] = [];
      await consumer.connect();
      await consumer.subscribe({ topic: 'txc', fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void seen.push(message.value!.toString()) });
      await waitFor(() => seen.includes('after-restart'), 30_000, 'the post-restart record');
      await consumer.disconnect();
      expect(seen).toEqual(['committed', 'after-restart']);
    } finally {
      await broker.destroy();
    }
  }, 120_000);

  it('a transaction the crash caught while committing is completed on restart (markers and offsets)', async () => {
    const dataDir = tempDir('rf-streamlog-txprep-');
    let broker = await startTestBroker({ dataDir });
    try {
      const kafka = broker.kafka();
      const producer = kafka.producer({ transactionalId: 'prep-id', idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: 'prep', numPartitions: 1 }] });
      await admin.disconnect();
      const tx = await producer.transaction();
      await tx.send({ topic: 'prep', messages: [{ value: 'v1' }] });
      await tx.sendOffsets({ consumerGroupId: 'prep-group', topics: [{ topic: 'prep-in', partitions: [{ partition: 0, offset: '9' }] }] });
      await producer.disconnect();
      await broker.close();
      // the state a crash right after EndTxn's "prepare commit" was persisted leaves behind
      const file = path.join(dataDir, 'transactions.json');
      const state = JSON.parse(fs.readFileSync(file, 'utf8')) as { transactions: { state: string }[] };
      expect(state.transactions[0].state).toBe('Ongoing');
      state.transactions[0].state = 'PrepareCommit';
      fs.writeFileSync(file, JSON.stringify(state));

      broker = await startTestBroker({ dataDir });
      const log = broker.engine.partition('prep', 0)!;
      expect(log.lastStableOffset).toBe(log.highWatermark);
      expect(log.highWatermark).toBe(2n); // the record and the commit marker written at recovery
      expect(log.abortedTransactions(0n, 2n)).toEqual([]);
      expect(broker.engine.offsets.fetch('prep-group', 'prep-in', 0)?.offset).toBe(9n);
    } finally {
      await broker.destroy();
    }
  }, 60_000);
});
