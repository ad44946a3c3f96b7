import { describe, expect, it } from 'vitest';
import type { Kafka } from 'kafkajs';
import { useTestBroker, waitFor } from './helpers/broker.js';
import { collectingConsumer, quickGroup, type Received } from './helpers/consume.js';

const values = (rs: Received[]) => rs.map((r) => r.value).sort();

/** a transactional kafkajs producer, connected */
async function txProducer(kafka: Kafka, transactionalId: string, transactionTimeout = 30_000) {
  const producer = kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1, transactionTimeout, retry: { retries: 2, initialRetryTime: 50 } });
  await producer.connect();
  return producer;
}

describe('transactions with kafkajs', () => {
  const broker = useTestBroker({ transactionTimeoutCheckMs: 100 });

  it('committed records reach read_committed consumers, aborted ones never; read_uncommitted sees both', async () => {
    const kafka = broker().kafka();
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'tx-visibility', numPartitions: 2 }] });
    await admin.disconnect();
    const producer = await txProducer(kafka, 'tx-visibility-producer');
    const committed = await producer.transaction();
    await committed.send({ topic: 'tx-visibility', messages: [{ key: 'a', value: 'c1' }, { key: 'b', value: 'c2' }] });
    await committed.commit();
    const aborted = await producer.transaction();
    await aborted.send({ topic: 'tx-visibility', messages: [{ key: 'a', value: 'x1' }, { key: 'b', value: 'x2' }] });
    await aborted.abort();
    const later = await producer.transaction();
    await later.send({ topic: 'tx-visibility', messages: [{ key: 'a', value: 'c3' }] });
    await later.commit();
    await producer.disconnect();

    const rc = await collectingConsumer(kafka, quickGroup('tx-visibility-rc'), 'tx-visibility');
    const ru = await collectingConsumer(kafka, { ...quickGroup('tx-visibility-ru'), readUncommitted: true }, 'tx-visibility');
    try {
      await waitFor(() => ru.received.length >= 5, 30_000, 'read_uncommitted sees all five');
      await waitFor(() => rc.received.length >= 3, 30_000, 'read_committed sees the committed three');
      expect(values(rc.received)).toEqual(['c1', 'c2', 'c3']);
      expect(values(ru.received)).toEqual(['c1', 'c2', 'c3', 'x1', 'x2']);
    } finally {
      await rc.consumer.disconnect();
      await ru.consumer.disconnect();
    }
  });

  it('an open transaction holds the last stable offset back until it ends', async () => {
    const kafka = broker().kafka();
    const producer = await txProducer(kafka, 'tx-lso-producer');
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'tx-lso', numPartitions: 1 }] });
    await admin.disconnect();
    const log = broker().engine.partition('tx-lso', 0)!;
    await log.append([{ key: null, value: Buffer.from('plain'), timestamp: BigInt(Date.now()) }]);
    const tx = await producer.transaction();
    await tx.send({ topic: 'tx-lso', messages: [{ value: 'pending' }] });
    expect(log.highWatermark).toBe(2n);
    expect(log.lastStableOffset).toBe(1n);
    await tx.commit();
    // commit marker at offset 2: the stable offset is the end again
    expect(log.lastStableOffset).toBe(3n);
    expect(log.highWatermark).toBe(3n);
    await producer.disconnect();
  });

  it('sendOffsets commits the group offset only with the transaction', async () => {
    const kafka = broker().kafka();
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'tx-in', numPartitions: 1 }, { topic: 'tx-out', numPartitions: 1 }] });
    const producer = await txProducer(kafka, 'tx-offsets-producer');
    const offsetOf = async () => (await admin.fetchOffsets({ groupId: 'tx-processor', topics: ['tx-in'] }))[0].partitions[0].offset;

    const aborted = await producer.transaction();
    await aborted.send({ topic: 'tx-out', messages: [{ value: 'out-1' }] });
    await aborted.sendOffsets({ consumerGroupId: 'tx-processor', topics: [{ topic: 'tx-in', partitions: [{ partition: 0, offset: '5' }] }] });
    await aborted.abort();
    expect(await offsetOf()).toBe('-1');

    const committed = await producer.transaction();
    await committed.send({ topic: 'tx-out', messages: [{ value: 'out-2' }] });
    await committed.sendOffsets({ consumerGroupId: 'tx-processor', topics: [{ topic: 'tx-in', partitions: [{ partition: 0, offset: '7' }] }] });
    // not visible before the commit
    expect(await offsetOf()).toBe('-1');
    await committed.commit();
    expect(await offsetOf()).toBe('7');
    await producer.disconnect();
    await admin.disconnect();
  });

  it('a zombie producer is fenced when a new one takes its transactional id; its open transaction is aborted', async () => {
    const kafka = broker().kafka();
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'tx-zombie', numPartitions: 1 }] });
    await admin.disconnect();
    const zombie = await txProducer(kafka, 'tx-zombie-id');
    const ztx = await zombie.transaction();
    await ztx.send({ topic: 'tx-zombie', messages: [{ value: 'zombie-1' }] });

    const successor = await txProducer(kafka, 'tx-zombie-id');
    // kafkajs initialises its producer id when the first transaction begins: that fences the zombie
    const tx = await successor.transaction();
    // the zombie can neither write more nor commit
    await expect(ztx.send({ topic: 'tx-zombie', messages: [{ value: 'zombie-2' }] })).rejects.toThrow(/epoch|fenced/i);
    await expect(ztx.commit()).rejects.toThrow(/epoch|fenced/i);
    await tx.send({ topic: 'tx-zombie', messages: [{ value: 'successor' }] });
    await tx.commit();
    await successor.disconnect();
    await zombie.disconnect().catch(() => undefined);

    const rc = await collectingConsumer(kafka, quickGroup('tx-zombie-rc'), 'tx-zombie');
    try {
      await waitFor(() => rc.received.length >= 1, 30_000, 'the successor record');
      const log = broker().engine.partition('tx-zombie', 0)!;
      expect(log.lastStableOffset).toBe(log.highWatermark);
      expect(values(rc.received)).toEqual(['successor']);
    } finally {
      await rc.consumer.disconnect();
    }
  });

  it('a transaction past its timeout is aborted and its producer fenced', async () => {
    const kafka = broker().kafka();
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'tx-timeout', numPartitions: 1 }] });
    await admin.disconnect();
    const producer = await txProducer(kafka, 'tx-timeout-id', 500);
    const tx = await producer.transaction();
    await tx.send({ topic: 'tx-timeout', messages: [{ value: 'too-slow' }] });
    const log = broker().engine.partition('tx-timeout', 0)!;
    expect(log.lastStableOffset).toBe(0n);
    // the coordinator writes the abort marker by itself
    await waitFor(() => log.lastStableOffset === log.highWatermark && log.highWatermark === 2n, 20_000, 'the timed-out transaction aborted');
    expect(log.abortedTransactions(0n, 1n)).toHaveLength(1);
    await expect(tx.commit()).rejects.toThrow(/epoch|fenced/i);
    await producer.disconnect().catch(() => undefined);
  });
});
