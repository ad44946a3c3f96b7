import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kafka, Producer } from 'kafkajs';
import { useTestBroker, waitFor } from './helpers/broker.js';
import { consumeAll, quickGroup } from './helpers/consume.js';

describe('produce and consume through kafkajs', () => {
  const broker = useTestBroker();
  let kafka: Kafka;
  let producer: Producer;

  beforeAll(async () => {
    kafka = broker().kafka();
    producer = kafka.producer();
    await producer.connect();
  });
  afterAll(async () => {
    await producer?.disconnect();
  });

  it('keeps keyed messages in order per partition, across partitions', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'keyed', numPartitions: 4 }] });
    await admin.disconnect();
    const keys = ['rider-1', 'rider-2', 'rider-3', 'rider-4', 'rider-5', 'rider-6'];
    for (let batch = 0; batch < 5; batch++) {
      await producer.send({
        topic: 'keyed',
        acks: batch % 2 === 0 ? -1 : 1,
        messages: keys.map((key) => ({ key, value: `${key}:${batch}` })),
      });
    }
    const received = await consumeAll(kafka, quickGroup('keyed-reader'), 'keyed', 30);
    expect(received).toHaveLength(30);
    // every key lands on one partition and its values arrive in the order produced
    for (const key of keys) {
      const mine = received.filter((m) => m.key === key);
      expect(new Set(mine.map((m) => m.partition)).size).toBe(1);
      expect(mine.map((m) => m.value)).toEqual([0, 1, 2, 3, 4].map((b) => `${key}:${b}`));
    }
    // several partitions were used, and offsets are dense per partition
    const partitions = new Set(received.map((m) => m.partition));
    expect(partitions.size).toBeGreaterThan(1);
    for (const p of partitions) {
      const offsets = received.filter((m) => m.partition === p).map((m) => Number(m.offset));
      expect(offsets).toEqual(offsets.map((_, i) => i));
    }
  });

  it('lets two groups read one topic independently, and a new group replays everything', async () => {
    await producer.send({ topic: 'shared', messages: Array.from({ length: 20 }, (_, i) => ({ value: `m${i}` })) });
    const [a, b] = await Promise.all([consumeAll(kafka, quickGroup('group-a'), 'shared', 20), consumeAll(kafka, quickGroup('group-b'), 'shared', 20)]);
    const values = Array.from({ length: 20 }, (_, i) => `m${i}`);
    expect(a.map((m) => m.value)).toEqual(values);
    expect(b.map((m) => m.value)).toEqual(values);

    const admin = kafka.admin();
    await admin.connect();
    try {
      const committed = await admin.fetchOffsets({ groupId: 'group-a', topics: ['shared'] });
      expect(committed[0].partitions[0].offset).toBe('20');
      const groups = (await admin.listGroups()).groups.map((g) => g.groupId);
      expect(groups).toEqual(expect.arrayContaining(['group-a', 'group-b']));
    } finally {
      await admin.disconnect();
    }
    const late = await consumeAll(kafka, quickGroup('group-late'), 'shared', 20);
    expect(late.map((m) => m.value)).toEqual(values);
  });

  it('seeks to an offset', async () => {
    await producer.send({ topic: 'seekable', messages: Array.from({ length: 10 }, (_, i) => ({ value: `s${i}` })) });
    const consumer = kafka.consumer(quickGroup('seeker'));
    const received: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: 'seekable', fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push(message.value!.toString());
      },
    });
    try {
      await waitFor(() => received.length === 10, 15_000, 'first pass');
      consumer.seek({ topic: 'seekable', partition: 0, offset: '6' });
      await waitFor(() => received.length === 14, 15_000, 'replay after seek');
      expect(received).toEqual([...Array.from({ length: 10 }, (_, i) => `s${i}`), 's6', 's7', 's8', 's9']);
    } finally {
      await consumer.disconnect();
    }
  });

  it('finds offsets by timestamp', async () => {
    const base = Date.now() - 60_000;
    await producer.send({
      topic: 'timed',
      messages: Array.from({ length: 10 }, (_, i) => ({ value: `t${i}`, timestamp: String(base + i * 1000) })),
    });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const at = await admin.fetchTopicOffsetsByTimestamp('timed', base + 4500);
      expect(at).toEqual([{ partition: 0, offset: '5' }]);
      const first = await admin.fetchTopicOffsetsByTimestamp('timed', base - 10_000);
      expect(first).toEqual([{ partition: 0, offset: '0' }]);
      // after the last record: no match, kafkajs then reports the end of the log
      const after = await admin.fetchTopicOffsetsByTimestamp('timed', base + 60_000);
      expect(after).toEqual([{ partition: 0, offset: '10' }]);
      const offsets = await admin.fetchTopicOffsets('timed');
      expect(offsets[0]).toMatchObject({ partition: 0, offset: '10', high: '10', low: '0' });
    } finally {
      await admin.disconnect();
    }
  });
});
