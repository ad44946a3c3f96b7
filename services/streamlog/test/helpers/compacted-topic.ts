import type { ITopicConfig } from 'kafkajs';

/**
 * A one-partition compacted topic for kafkajs's `createTopics`: `cleanup.policy=compact` plus the
 * given topic configs (segment.bytes, segment.ms, min.cleanable.dirty.ratio, ...), so tests state
 * only the cleaner settings they depend on.
 */
export function compactedTopic(topic: string, configs: Record<string, string>): ITopicConfig {
  return { topic, numPartitions: 1, configEntries: Object.entries({ 'cleanup.policy': 'compact', ...configs }).map(([name, value]) => ({ name, value })) };
}
