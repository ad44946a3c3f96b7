import { beforeAll, describe, expect, it } from 'vitest';
import type { Kafka } from 'kafkajs';
import { useTestBroker, waitFor, type TestBroker } from './helpers/broker.js';
import { collectingConsumer, quickGroup } from './helpers/consume.js';
import { rawConnect } from './helpers/raw-client.js';
import { ApiKey } from '../src/protocol/api-keys.js';
import { Reader } from '../src/protocol/primitives/reader.js';
import { Writer } from '../src/protocol/primitives/writer.js';

/** one OffsetDelete v0 round trip on a bare connection (kafkajs has no call for it) */
async function offsetDelete(broker: TestBroker, groupId: string, topic: string, partitions: number[]) {
  const raw = await rawConnect(broker.port);
  try {
    const body = new Writer().string(groupId).array([topic], (w, t) => w.string(t).int32Array(partitions)).toBuffer();
    const res = new Reader(await raw.request(ApiKey.OffsetDelete, 0, body));
    const errorCode = res.int16();
    res.int32();
    const topics = res.array((r) => ({ name: r.string(), partitions: r.array((r) => ({ partition: r.int32(), errorCode: r.int16() })) }));
    return { errorCode, topics };
  } finally {
    raw.destroy();
  }
}

describe('deleting groups and their offsets', () => {
  const broker = useTestBroker();
  let kafka: Kafka;
  beforeAll(() => {
    kafka = broker().kafka();
  });

  it('admin.deleteGroups removes an empty group with offsets, refuses a live one, and reports unknown ones', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: 'dg', numPartitions: 2 }] });
      await admin.setOffsets({ groupId: 'idle', topic: 'dg', partitions: [{ partition: 0, offset: '0' }, { partition: 1, offset: '0' }] });
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic: 'dg', messages: [{ value: 'x', partition: 0 }] });
      await producer.disconnect();
      const { consumer, received } = await collectingConsumer(kafka, quickGroup('live'), 'dg');
      try {
        await waitFor(() => received.length === 1, 20_000, 'the live group to consume');
        expect((await admin.listGroups()).groups.map((g) => g.groupId).sort()).toEqual(['idle', 'live']);

        const refused = await admin.deleteGroups(['idle', 'live', 'never-seen']).then(
          () => null,
          (err: { name: string; groups: { groupId: string; errorCode: number }[] }) => err,
        );
        expect(refused?.name).toBe('KafkaJSDeleteGroupsError');
        expect(refused!.groups.map((g) => [g.groupId, g.errorCode]).sort()).toEqual([['live', 68], ['never-seen', 69]]);
        // the empty group went, the live one stayed
        expect((await admin.listGroups()).groups.map((g) => g.groupId)).toEqual(['live']);
        expect(await admin.fetchOffsets({ groupId: 'idle', topics: ['dg'] })).toEqual([
          { topic: 'dg', partitions: [{ partition: 0, offset: '-1', metadata: null }, { partition: 1, offset: '-1', metadata: null }] },
        ]);
      } finally {
        await consumer.disconnect();
      }
      // once its last member left, the group can be deleted too
      await waitFor(async () => (await admin.describeGroups(['live'])).groups[0].state === 'Empty', 20_000, 'live group empty');
      await expect(admin.deleteGroups(['live'])).resolves.toEqual([{ groupId: 'live', errorCode: 0 }]);
      expect((await admin.listGroups()).groups).toEqual([]);
    } finally {
      await admin.disconnect();
    }
  });

  it('OffsetDelete forgets single partitions, keeps subscribed ones, and survives a restart', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: 'od', numPartitions: 3 }, { topic: 'od-other', numPartitions: 1 }] });
      await admin.setOffsets({ groupId: 'g-od', topic: 'od', partitions: [0, 1, 2].map((partition) => ({ partition, offset: '0' })) });
      await admin.setOffsets({ groupId: 'g-od', topic: 'od-other', partitions: [{ partition: 0, offset: '0' }] });

      const res = await offsetDelete(broker(), 'g-od', 'od', [1, 7]);
      expect(res).toEqual({ errorCode: 0, topics: [{ name: 'od', partitions: [{ partition: 1, errorCode: 0 }, { partition: 7, errorCode: 3 }] }] });
      expect((await offsetDelete(broker(), 'nobody', 'od', [0])).errorCode).toBe(69);

      // a member subscribed to od-other keeps its offsets
      const { consumer } = await collectingConsumer(kafka, quickGroup('g-od'), 'od-other');
      try {
        await waitFor(async () => (await admin.describeGroups(['g-od'])).groups[0].state === 'Stable', 20_000, 'g-od stable');
        const subscribed = await offsetDelete(broker(), 'g-od', 'od-other', [0]);
        expect(subscribed.topics[0].partitions).toEqual([{ partition: 0, errorCode: 86 }]);
        const other = await offsetDelete(broker(), 'g-od', 'od', [2]);
        expect(other.topics[0].partitions).toEqual([{ partition: 2, errorCode: 0 }]);
      } finally {
        await consumer.disconnect();
      }
    } finally {
      await admin.disconnect();
    }
    await broker.restart();
    kafka = broker().kafka();
    const after = kafka.admin();
    await after.connect();
    try {
      const offsets = await after.fetchOffsets({ groupId: 'g-od', topics: ['od'] });
      expect(offsets[0].partitions.map((p) => [p.partition, p.offset])).toEqual([[0, '0'], [1, '-1'], [2, '-1']]);
    } finally {
      await after.disconnect();
    }
  });
});
