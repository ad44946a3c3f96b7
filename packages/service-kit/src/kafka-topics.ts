// The log's topics (@riderflow/contracts TOPICS) through kafkajs: creating them and keying records.
import type { Admin, Message } from 'kafkajs';
import { keyForEvent, TOPIC_NAMES, TOPICS, type LogEvent, type TopicName } from '@riderflow/contracts';

/** A kafkajs message for an event: keyed by entity, record timestamp = simulated time. */
export function toKafkaMessage(event: LogEvent): Message & { value: Buffer } {
  return { key: keyForEvent(event), value: Buffer.from(JSON.stringify(event)), timestamp: String(event.ts) };
}

/**
 * Creates every missing topic with its partition count; safe to call any number of times,
 * also concurrently from several services (an "already exists" answer counts as success).
 */
export async function ensureTopics(admin: Admin, options: { replicationFactor?: number; topics?: TopicName[] } = {}): Promise<void> {
  const wanted = options.topics ?? TOPIC_NAMES;
  const existing = new Set(await admin.listTopics());
  const missing = wanted.filter((t) => !existing.has(t));
  if (missing.length === 0) return;
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((topic) => ({
        topic,
        numPartitions: TOPICS[topic].partitions,
        ...(options.replicationFactor ? { replicationFactor: options.replicationFactor } : {}),
      })),
    });
  } catch (err) {
    // A racing service may have created some of them between listTopics and createTopics.
    const still = new Set(await admin.listTopics());
    const notCreated = missing.filter((t) => !still.has(t));
    if (notCreated.length > 0) throw new Error(`could not create topics ${notCreated.join(', ')}: ${(err as Error).message}`);
  }
}
