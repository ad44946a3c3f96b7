import { beforeAll, describe, expect, it } from 'vitest';
import type { Consumer, Kafka } from 'kafkajs';
import { startTestBroker, useTestBroker, waitFor } from './helpers/broker.js';
import { consumeAll, quickGroup } from './helpers/consume.js';

describe('consumer groups through kafkajs', () => {
  const broker = useTestBroker();
  let kafka: Kafka;
  beforeAll(() => {
    kafka = broker().kafka();
  });

  it('shares six partitions among three consumers, rebalances when one leaves, and loses nothing', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'work', numPartitions: 6 }] });

    const received = new Map<string, Set<string>>(); // value → consumers that saw it
    const assignments = new Map<number, number[]>();
    const consumers: Consumer[] = [];
    for (let i = 0; i < 3; i++) {
      const consumer = kafka.consumer(quickGroup('workers'));
      consumer.on(consumer.events.GROUP_JOIN, (e) => {
        assignments.set(i, (e.payload.memberAssignment.work ?? []).slice().sort());
      });
      await consumer.connect();
      await consumer.subscribe({ topic: 'work', fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          const v = message.value!.toString();
          received.set(v, (received.get(v) ?? new Set()).add(`c${i}`));
        },
      });
      consumers.push(consumer);
    }
    const producer = kafka.producer();
    await producer.connect();
    try {
      // all three members hold two partitions each in the same generation
      await waitFor(async () => {
        const { groups } = await admin.describeGroups(['workers']);
        return groups[0].state === 'Stable' && groups[0].members.length === 3 && [0, 1, 2].every((i) => assignments.get(i)?.length === 2);
      }, 20_000, 'three members with two partitions each');
      expect([...assignments.values()].flat().sort()).toEqual([0, 1, 2, 3, 4, 5]);

      await producer.send({ topic: 'work', messages: Array.from({ length: 60 }, (_, i) => ({ key: `k${i}`, value: `a${i}` })) });
      await waitFor(() => received.size === 60, 20_000, 'first 60 messages');

      // consumer 2 leaves: the other two take over its partitions
      await consumers[2].disconnect();
      assignments.delete(2);
      await waitFor(async () => {
        const { groups } = await admin.describeGroups(['workers']);
        return groups[0].state === 'Stable' && groups[0].members.length === 2 && [0, 1].every((i) => assignments.get(i)?.length === 3);
      }, 20_000, 'two members with three partitions each');
      expect([...assignments.values()].flat().sort()).toEqual([0, 1, 2, 3, 4, 5]);

      await producer.send({ topic: 'work', messages: Array.from({ length: 60 }, (_, i) => ({ key: `k${i}`, value: `b${i}` })) });
      await waitFor(() => received.size === 120, 20_000, 'all 120 messages');
      for (let i = 0; i < 60; i++) {
        expect(received.has(`a${i}`)).toBe(true);
        expect(received.has(`b${i}`)).toBe(true);
        expect(received.get(`b${i}`)!.has('c2')).toBe(false);
      }
    } finally {
      await producer.disconnect();
      for (const c of consumers.slice(0, 2)) await c.disconnect();
      await admin.disconnect();
    }
  });
});

describe('committed offsets', () => {
  it('survive a broker restart on the same data dir', async () => {
    let broker = await startTestBroker();
    const dataDir = broker.dataDir;
    try {
      let kafka = broker.kafka();
      let producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic: 'durable', acks: -1, messages: Array.from({ length: 10 }, (_, i) => ({ value: `d${i}` })) });
      await producer.disconnect();
      const first = await consumeAll(kafka, quickGroup('durable-group'), 'durable', 10);
      expect(first.map((m) => m.value)).toEqual(Array.from({ length: 10 }, (_, i) => `d${i}`));

      await broker.close();
      broker = await startTestBroker({ dataDir });
      kafka = broker.kafka();
      const admin = kafka.admin();
      await admin.connect();
      const committed = await admin.fetchOffsets({ groupId: 'durable-group', topics: ['durable'] });
      await admin.disconnect();
      expect(committed[0].partitions).toEqual([{ partition: 0, offset: '10', metadata: null }]);

      producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic: 'durable', acks: -1, messages: [{ value: 'after-restart' }] });
      await producer.disconnect();
      const second = await consumeAll(kafka, quickGroup('durable-group'), 'durable', 1);
      expect(second.map((m) => [m.offset, m.value])).toEqual([['10', 'after-restart']]);
    } finally {
      await broker.destroy();
    }
  });
});
