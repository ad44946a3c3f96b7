import { describe, expect, it } from 'vitest';
import { Admin, Consumer, Producer, stringDeserializers, stringSerializers } from '@platformatic/kafka';
import { useTestBroker, waitFor } from './helpers/broker.js';

/** @platformatic/kafka speaks the flexible versions (compact types, tagged fields) of every API it uses */
describe('@platformatic/kafka against streamlog', () => {
  const broker = useTestBroker();

  it('creates a topic, produces idempotently, consumes in a group with commits, resumes, and administers', async () => {
    const bootstrapBrokers = [broker().brokers];
    const admin = new Admin({ clientId: 'pk-admin', bootstrapBrokers });
    const producer = new Producer({ clientId: 'pk-producer', bootstrapBrokers, serializers: stringSerializers, idempotent: true });
    try {
      await admin.createTopics({ topics: ['pk'], partitions: 2, replicas: 1 });
      await producer.send({ messages: Array.from({ length: 20 }, (_, i) => ({ topic: 'pk', key: `k${i}`, value: `v${i}`, partition: i % 2 })) });

      const consume = async (n: number): Promise<string[]> => {
        const consumer = new Consumer({ clientId: 'pk-consumer', groupId: 'pk-group', bootstrapBrokers, deserializers: stringDeserializers, sessionTimeout: 10_000, heartbeatInterval: 500 });
        const values: string[] = [];
        try {
          const stream = await consumer.consume({ topics: ['pk'], mode: 'committed', fallbackMode: 'earliest', autocommit: false });
          stream.on('data', (m) => {
            values.push(m.value as string);
            void m.commit();
          });
          await waitFor(() => values.length >= n, 30_000, `${n} messages`);
          await waitFor(async () => {
            const offsets = await admin.listConsumerGroupOffsets({ groups: ['pk-group'] });
            const committed = offsets[0].topics.flatMap((t) => t.partitions.map((p) => Number(p.committedOffset)));
            return committed.reduce((a, b) => a + b, 0) >= (n === 20 ? 20 : 24);
          }, 30_000, 'commits');
          await stream.close();
        } finally {
          await consumer.close(true);
        }
        return values;
      };
      expect((await consume(20)).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `v${i}`).sort());
      await producer.send({ messages: Array.from({ length: 4 }, (_, i) => ({ topic: 'pk', value: `w${i}`, partition: i % 2 })) });
      expect((await consume(4)).sort()).toEqual(['w0', 'w1', 'w2', 'w3']);

      const groups = await admin.listGroups();
      expect([...groups.keys()]).toContain('pk-group');
      const described = await admin.describeGroups({ groups: ['pk-group'] });
      expect(described.get('pk-group')?.state).toBeDefined();

      const deleted = await admin.deleteRecords({ topics: [{ name: 'pk', partitions: [{ partition: 0, offset: 5n }] }] });
      expect(deleted[0].partitions[0].lowWatermark).toBe(5n);
      expect(broker().engine.partition('pk', 0)!.logStartOffset).toBe(5n);

      await admin.incrementalAlterConfigs({ resources: [{ resourceType: 2, resourceName: 'pk', configs: [{ name: 'retention.ms', configOperation: 0, value: '120000' }] }] });
      expect(broker().engine.topic('pk')!.config.retentionMs).toBe(120000);
      const configs = await admin.describeConfigs({ resources: [{ resourceType: 2, resourceName: 'pk', configurationKeys: ['retention.ms'] }] });
      expect(configs[0].configs.find((c) => c.name === 'retention.ms')?.value).toBe('120000');
    } finally {
      await producer.close();
      await admin.close();
    }
    // idempotent batches carry the producer id the broker assigned
    expect(broker().engine.partition('pk', 1)!.read(0n, 1024).data.readBigInt64BE(43)).toBeGreaterThanOrEqual(0n);
  }, 120_000);

  it('sets and removes the compaction settings with IncrementalAlterConfigs; the cleaner then compacts the topic', async () => {
    const bootstrapBrokers = [broker().brokers];
    const admin = new Admin({ clientId: 'pk-compact-admin', bootstrapBrokers });
    const producer = new Producer({ clientId: 'pk-compact-producer', bootstrapBrokers, serializers: stringSerializers });
    try {
      await admin.createTopics({ topics: ['pk-compact'], partitions: 1, replicas: 1 });
      const set = (name: string, value: string) => ({ name, configOperation: 0 as const, value });
      await admin.incrementalAlterConfigs({
        resources: [{
          resourceType: 2,
          resourceName: 'pk-compact',
          configs: [set('cleanup.policy', 'delete,compact'), set('segment.ms', '1'), set('segment.bytes', '2048'), set('min.cleanable.dirty.ratio', '0'), set('delete.retention.ms', '1000')],
        }],
      });
      expect(broker().engine.topic('pk-compact')!.config).toMatchObject({ cleanupPolicy: 'compact,delete', segmentMs: 1, segmentBytes: 2048, minCleanableDirtyRatio: 0, deleteRetentionMs: 1000 });
      const described = await admin.describeConfigs({ resources: [{ resourceType: 2, resourceName: 'pk-compact', configurationKeys: ['cleanup.policy', 'min.cleanable.dirty.ratio', 'delete.retention.ms'] }] });
      expect(Object.fromEntries(described[0].configs.map((c) => [c.name, c.value]))).toEqual({ 'cleanup.policy': 'compact,delete', 'min.cleanable.dirty.ratio': '0', 'delete.retention.ms': '1000' });
      for (let round = 0; round < 10; round++) await producer.send({ messages: Array.from({ length: 5 }, (_, k) => ({ topic: 'pk-compact', key: `k${k}`, value: `r${round}` })) });
      const log = broker().engine.partition('pk-compact', 0)!;
      await broker().engine.enforceRetention(Date.now() + 10);
      expect(log.readRecords(log.logStartOffset, 1_000).map((r) => `${r.key}=${r.value}`).sort()).toEqual(['k0=r9', 'k1=r9', 'k2=r9', 'k3=r9', 'k4=r9']);
      // DELETE returns a setting to its default
      await admin.incrementalAlterConfigs({ resources: [{ resourceType: 2, resourceName: 'pk-compact', configs: [{ name: 'cleanup.policy', configOperation: 1 }] }] });
      expect(broker().engine.topic('pk-compact')!.config.cleanupPolicy).toBe('delete');
    } finally {
      await producer.close();
      await admin.close();
    }
  }, 120_000);

  it('adds partitions and describes log dirs (DescribeLogDirs v4, CreatePartitions v3: flexible)', async () => {
    const admin = new Admin({ clientId: 'pk-admin-2', bootstrapBrokers: [broker().brokers] });
    const producer = new Producer({ clientId: 'pk-producer-2', bootstrapBrokers: [broker().brokers], serializers: stringSerializers });
    try {
      await admin.createTopics({ topics: ['pk-dirs'], partitions: 1, replicas: 1 });
      await producer.send({ messages: Array.from({ length: 3 }, (_, i) => ({ topic: 'pk-dirs', value: `d${i}`, partition: 0 })) });
      await admin.createPartitions({ topics: [{ name: 'pk-dirs', count: 3 }] });
      expect(broker().engine.topic('pk-dirs')!.config.partitions).toBe(3);

      const dirs = await admin.describeLogDirs({ topics: [{ name: 'pk-dirs', partitions: [0, 1, 2] }] });
      const partitions = dirs[0].results[0].topics.find((t) => t.name === 'pk-dirs')!.partitions;
      expect(partitions.map((p) => p.partitionIndex)).toEqual([0, 1, 2]);
      // the three records are on disk in partition 0; the new partitions are empty
      expect(partitions[0].partitionSize).toBe(BigInt(broker().engine.partition('pk-dirs', 0)!.sizeBytes()));
      expect(partitions[0].partitionSize).toBeGreaterThan(0n);
      expect(partitions.slice(1).map((p) => p.partitionSize)).toEqual([0n, 0n]);
    } finally {
      await producer.close();
      await admin.close();
    }
  }, 60_000);
});
