import type { Consumer, ConsumerConfig, Kafka } from 'kafkajs';
import { waitFor } from './broker.js';

export interface Received {
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  timestamp: string;
}

/** fast rebalancing settings for tests */
export const quickGroup = (groupId: string): ConsumerConfig => ({
  groupId,
  sessionTimeout: 6_000,
  rebalanceTimeout: 4_000,
  heartbeatInterval: 200,
  maxWaitTimeInMs: 100,
  retry: { retries: 10, initialRetryTime: 50 },
});

/** a running consumer that records what it receives */
export async function collectingConsumer(kafka: Kafka, config: ConsumerConfig, topic: string, fromBeginning = true): Promise<{ consumer: Consumer; received: Received[] }> {
  const consumer = kafka.consumer(config);
  const received: Received[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      received.push({
        partition,
        offset: message.offset,
        key: message.key?.toString() ?? null,
        value: message.value?.toString() ?? null,
        timestamp: message.timestamp,
      });
    },
  });
  return { consumer, received };
}

export async function consumeAll(kafka: Kafka, config: ConsumerConfig, topic: string, count: number, timeoutMs = 20_000): Promise<Received[]> {
  const { consumer, received } = await collectingConsumer(kafka, config, topic);
  try {
    await waitFor(() => received.length >= count, timeoutMs, `${count} messages in ${config.groupId}`);
    return received;
  } finally {
    await consumer.disconnect();
  }
}
