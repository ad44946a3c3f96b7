import { describe, expect, it } from 'vitest';
import { startTestBroker, useTestBroker } from './helpers/broker.js';

describe('topics through kafkajs admin', () => {
  const broker = useTestBroker({ autoCreateTopics: false });

  it('creates, lists, describes and deletes topics', async () => {
    const admin = broker().kafka().admin();
    await admin.connect();
    try {
      expect(await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 3 }, { topic: 'riders' }] })).toBe(true);
      // creating again is not an error for kafkajs, but reports "not created"
      expect(await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 3 }] })).toBe(false);
      expect((await admin.listTopics()).sort()).toEqual(['orders', 'riders']);

      const meta = await admin.fetchTopicMetadata({ topics: ['orders'] });
      expect(meta.topics[0].partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2]);
      expect(meta.topics[0].partitions.every((p) => p.leader === 0)).toBe(true);
      const cluster = await admin.describeCluster();
      expect(cluster.controller).toBe(0);
      expect(cluster.brokers).toEqual([{ nodeId: 0, host: broker().host, port: broker().port }]);

      await admin.deleteTopics({ topics: ['riders'] });
      expect(await admin.listTopics()).toEqual(['orders']);
      expect(broker().engine.topic('riders')).toBeUndefined();
    } finally {
      await admin.disconnect();
    }
  });

  it('rejects invalid topic requests with Kafka errors', async () => {
    const admin = broker().kafka({ retry: { retries: 0 } }).admin();
    await admin.connect();
    try {
      const created = await admin.createTopics({ topics: [{ topic: 'bad', numPartitions: 1, replicationFactor: 3 }] }).catch((e: unknown) => e);
      expect(JSON.stringify((created as { errors?: unknown }).errors)).toContain('INVALID_REPLICATION_FACTOR');
      expect(broker().engine.topic('bad')).toBeUndefined();
      const deleted = await admin.deleteTopics({ topics: ['never-existed'] }).catch((e: unknown) => e);
      expect((deleted as { cause?: { type?: string } }).cause?.type).toBe('UNKNOWN_TOPIC_OR_PARTITION');
    } finally {
      await admin.disconnect();
    }
  });

  it('does not auto-create topics when disabled', async () => {
    const kafka = broker().kafka({ retry: { retries: 0 } });
    const producer = kafka.producer({ allowAutoTopicCreation: true });
    await producer.connect();
    try {
      await expect(producer.send({ topic: 'nope', messages: [{ value: 'x' }] })).rejects.toThrow();
      expect(broker().engine.topic('nope')).toBeUndefined();
    } finally {
      await producer.disconnect();
    }
  });
});

describe('auto-created topics', () => {
  it('creates a topic named in Metadata with the default partition count', async () => {
    const broker = await startTestBroker({ defaultPartitions: 4 });
    const producer = broker.kafka().producer();
    try {
      await producer.connect();
      const [result] = await producer.send({ topic: 'auto.topic', messages: [{ key: 'k', value: 'v' }] });
      expect(result.errorCode).toBe(0);
      expect(broker.engine.topic('auto.topic')?.config.partitions).toBe(4);
    } finally {
      await producer.disconnect();
      await broker.destroy();
    }
  });
});
