import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigResourceTypes, type Kafka } from 'kafkajs';
import { useTestBroker, waitFor } from './helpers/broker.js';
import { consumeAll, quickGroup } from './helpers/consume.js';

describe('admin APIs through kafkajs', () => {
  const broker = useTestBroker();
  let kafka: Kafka;
  beforeAll(() => {
    kafka = broker().kafka();
  });

  it('deleteTopicRecords moves the start offset; consumers then begin there, also after a restart', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: 'dr', numPartitions: 1 }] });
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic: 'dr', messages: Array.from({ length: 10 }, (_, i) => ({ value: `r${i}` })) });
      await producer.disconnect();
      // kafkajs finds the partition leader only in metadata it has already loaded
      await admin.fetchTopicMetadata({ topics: ['dr'] });
      await admin.deleteTopicRecords({ topic: 'dr', partitions: [{ partition: 0, offset: '6' }] });
      expect(await admin.fetchTopicOffsets('dr')).toEqual([{ partition: 0, offset: '10', high: '10', low: '6' }]);
      const received = await consumeAll(kafka, quickGroup('dr-group'), 'dr', 4);
      expect(received.map((m) => m.value)).toEqual(['r6', 'r7', 'r8', 'r9']);
      // beyond the end is refused
      await expect(admin.deleteTopicRecords({ topic: 'dr', partitions: [{ partition: 0, offset: '11' }] })).rejects.toThrow();
    } finally {
      await admin.disconnect();
    }
    await broker.restart();
    kafka = broker().kafka();
    const after = kafka.admin();
    await after.connect();
    try {
      expect(await after.fetchTopicOffsets('dr')).toEqual([{ partition: 0, offset: '10', high: '10', low: '6' }]);
    } finally {
      await after.disconnect();
    }
  });

  it('alters and describes a topic retention; refuses an unknown cleanup policy and bad values', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: 'cfg', numPartitions: 1 }] });
      await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'cfg', configEntries: [{ name: 'retention.ms', value: '60000' }] }] });
      const described = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'cfg' }] });
      const entries = Object.fromEntries(described.resources[0].configEntries.map((e) => [e.configName, e.configValue]));
      expect(entries['retention.ms']).toBe('60000');
      expect(entries['cleanup.policy']).toBe('delete');
      expect(broker().engine.topic('cfg')?.config.retentionMs).toBe(60000);
      await expect(
        admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'cfg', configEntries: [{ name: 'cleanup.policy', value: 'shred' }] }] }),
      ).rejects.toMatchObject({ type: 'INVALID_CONFIG' });
      expect(broker().engine.topic('cfg')?.config.cleanupPolicy).toBe('delete');
      expect(broker().engine.topic('cfg')?.config.retentionMs).toBe(60000);
      await expect(
        admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'cfg', configEntries: [{ name: 'retention.ms', value: 'soon' }] }] }),
      ).rejects.toMatchObject({ type: 'INVALID_CONFIG' });
      expect(broker().engine.topic('cfg')?.config.retentionMs).toBe(60000);
    } finally {
      await admin.disconnect();
    }
  });

  it('creates a compacted topic and alters its cleaner configs; the cleaner keeps the latest value per key', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const configEntries = [
        { name: 'cleanup.policy', value: 'compact' },
        { name: 'segment.bytes', value: '1024' },
        { name: 'segment.ms', value: '1' },
        { name: 'min.cleanable.dirty.ratio', value: '0.01' },
      ];
      await admin.createTopics({ topics: [{ topic: 'riders-latest', numPartitions: 1, configEntries }] });
      await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'riders-latest', configEntries: [...configEntries, { name: 'delete.retention.ms', value: '1000' }] }] });
      const described = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'riders-latest' }] });
      const entries = Object.fromEntries(described.resources[0].configEntries.map((e) => [e.configName, e.configValue]));
      expect(entries).toMatchObject({ 'cleanup.policy': 'compact', 'segment.ms': '1', 'min.cleanable.dirty.ratio': '0.01', 'delete.retention.ms': '1000' });
      await expect(
        admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'riders-latest', configEntries: [{ name: 'min.cleanable.dirty.ratio', value: '2' }] }] }),
      ).rejects.toMatchObject({ type: 'INVALID_CONFIG' });

      const producer = kafka.producer();
      await producer.connect();
      for (let v = 0; v < 30; v++) await producer.send({ topic: 'riders-latest', messages: [0, 1, 2].map((r) => ({ key: `rider-${r}`, value: `pos-${v}` })) });
      await producer.disconnect();
      await broker().engine.enforceRetention(Date.now() + 10); // one cleaner pass (the timer does the same)
      const stored = broker().engine.partition('riders-latest', 0)!.readRecords(0n, 1000);
      expect(stored.map((r) => `${r.key}=${r.value}`).sort()).toEqual(['rider-0=pos-29', 'rider-1=pos-29', 'rider-2=pos-29']);
      const consumer = kafka.consumer({ groupId: 'riders-latest-reader', maxWaitTimeInMs: 100 });
      const seen: string[] = [];
      await consumer.connect();
      await consumer.subscribe({ topic: 'riders-latest', fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void seen.push(`${message.key}=${message.value}`) });
      await waitFor(() => seen.length >= 3, 20_000, 'the three riders');
      await consumer.disconnect();
      expect(seen.sort()).toEqual(['rider-0=pos-29', 'rider-1=pos-29', 'rider-2=pos-29']);
    } finally {
      await admin.disconnect();
    }
  });

  it('adds partitions and describes the cluster', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: 'grow', numPartitions: 1 }] });
      await admin.createPartitions({ topicPartitions: [{ topic: 'grow', count: 3 }] });
      const meta = await admin.fetchTopicMetadata({ topics: ['grow'] });
      expect(meta.topics[0].partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2]);
      await expect(admin.createPartitions({ topicPartitions: [{ topic: 'grow', count: 2 }] })).rejects.toThrow();
      const cluster = await admin.describeCluster();
      expect(cluster.brokers).toHaveLength(1);
      expect(cluster.controller).toBe(0);
    } finally {
      await admin.disconnect();
    }
  });
});
