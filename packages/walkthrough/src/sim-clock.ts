import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { deleteFinishedGroup } from '@riderflow/service-kit';

/** The newest record timestamp on a topic (= the simulated clock), read from each partition's last record. */
export async function latestTimestamp(kafka: Kafka, topic: string, timeoutMs = 8_000): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const nonEmpty = offsets.filter((o) => Number(o.high) > Number(o.low));
  if (nonEmpty.length === 0) throw new Error(`${topic} is empty: start the simulator first`);
  const groupId = `walkthrough-clock-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  let newest = 0;
  const seen = new Set<number>();
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      void consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            newest = Math.max(newest, Number(message.timestamp));
            seen.add(partition);
            if (seen.size === nonEmpty.length) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .then(() => {
          for (const o of nonEmpty) consumer.seek({ topic, partition: o.partition, offset: String(Number(o.high) - 1) });
        });
    });
  } finally {
    await consumer.disconnect();
    // one clock reading is a finished job: leave no group behind
    await deleteFinishedGroup(kafka, groupId);
  }
  if (newest === 0) throw new Error(`could not read the newest record of ${topic}`);
  return newest;
}
