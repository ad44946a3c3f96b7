import { beforeAll, describe, expect, it } from 'vitest';
import type { Kafka } from 'kafkajs';
import { useTestBroker, waitFor } from './helpers/broker.js';
import { collectingConsumer, quickGroup } from './helpers/consume.js';

// Kafka forgets a group once it has no members and no committed offsets (its periodic group
// metadata cleanup, offsets.retention.check.interval.ms). Without that, every reader that never
// commits — the platform's short-lived state-topic readers, a consumer killed before its first
// commit — stayed listed (on the dashboard's log page too) until the broker restarted.
describe('groups with no members and no offsets', () => {
  const broker = useTestBroker({ emptyGroupCheckMs: 200 });
  let kafka: Kafka;
  beforeAll(() => {
    kafka = broker().kafka();
  });

  it('are forgotten by the periodic check; a group with committed offsets is kept', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: 'eg', numPartitions: 1 }] });
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic: 'eg', messages: [{ value: 'x' }] });
      await producer.disconnect();
      // a reader that never commits, like the platform's state-topic readers
      const reader = kafka.consumer(quickGroup('reads-only'));
      let read = 0;
      await reader.connect();
      await reader.subscribe({ topic: 'eg', fromBeginning: true });
      await reader.run({ autoCommit: false, eachMessage: async () => { read++; } });
      await waitFor(() => read === 1, 20_000, 'the reader to consume');
      const committer = await collectingConsumer(kafka, quickGroup('commits'), 'eg');
      await waitFor(() => committer.received.length === 1, 20_000, 'the committer to consume');
      await waitFor(async () => (await admin.fetchOffsets({ groupId: 'commits', topics: ['eg'] }))[0]!.partitions[0]!.offset === '1', 20_000, 'the committer to commit');
      // while members are in them, both stay (the check has run many times by now: every 200 ms)
      expect((await admin.listGroups()).groups.map((g) => g.groupId).sort()).toEqual(['commits', 'reads-only']);
      await reader.disconnect();
      await committer.consumer.disconnect();
      await waitFor(async () => !(await admin.listGroups()).groups.some((g) => g.groupId === 'reads-only'), 20_000, 'the member-less group without offsets to go');
      expect((await admin.listGroups()).groups.map((g) => g.groupId)).toEqual(['commits']);
      expect((await admin.fetchOffsets({ groupId: 'commits', topics: ['eg'] }))[0]!.partitions[0]!.offset).toBe('1');
    } finally {
      await admin.disconnect();
    }
  });
});
