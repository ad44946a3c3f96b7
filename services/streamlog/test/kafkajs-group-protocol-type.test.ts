import { beforeAll, describe, expect, it } from 'vitest';
import type { Kafka } from 'kafkajs';
import { useTestBroker, waitFor } from './helpers/broker.js';
import { collectingConsumer, quickGroup } from './helpers/consume.js';

// Kafka keeps a group's protocol type after its last member leaves (ClassicGroup.initNextGeneration
// clears the protocol, not the type): DescribeGroups and ListGroups call an Empty consumer group
// "consumer", which is how admin tools (kafka-python's describe_consumer_groups, the Java
// AdminClient) tell a consumer group from another kind. (A group created only by offset commits,
// which kafkajs cannot make, has no type: see group-coordinator.test.ts.)
describe('protocol type of groups without members', () => {
  const broker = useTestBroker();
  let kafka: Kafka;
  beforeAll(() => {
    kafka = broker().kafka();
  });

  it('stays "consumer" after the last consumer leaves, in DescribeGroups and ListGroups', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: 'pt', numPartitions: 1 }] });
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic: 'pt', messages: [{ value: 'x' }] });
      await producer.disconnect();

      const member = await collectingConsumer(kafka, quickGroup('left'), 'pt');
      await waitFor(() => member.received.length === 1, 20_000, 'the consumer to read');
      await waitFor(async () => (await admin.fetchOffsets({ groupId: 'left', topics: ['pt'] }))[0]!.partitions[0]!.offset === '1', 20_000, 'the commit');
      expect((await admin.describeGroups(['left'])).groups[0]).toMatchObject({ state: 'Stable', protocolType: 'consumer' });
      await member.consumer.disconnect();
      await waitFor(async () => (await admin.describeGroups(['left'])).groups[0]!.state === 'Empty', 20_000, 'the group to be empty');

      const [left] = (await admin.describeGroups(['left'])).groups;
      expect(left).toMatchObject({ groupId: 'left', state: 'Empty', protocolType: 'consumer', protocol: '', members: [] });

      // a reset of the emptied group's offsets (kafkajs joins it to seek) leaves its type as it was
      await admin.setOffsets({ groupId: 'left', topic: 'pt', partitions: [{ partition: 0, offset: '0' }] });
      expect((await admin.describeGroups(['left'])).groups[0]).toMatchObject({ state: 'Empty', protocolType: 'consumer' });
      expect((await admin.listGroups()).groups).toEqual([{ groupId: 'left', protocolType: 'consumer' }]);
    } finally {
      await admin.disconnect();
    }
  });
});
