// Compacted state topics (@riderflow/contracts STATE_TOPICS) through kafkajs: creating one with its
// configs, and reading one to its end into the latest value per key — how a service rebuilds its
// state on start.
// kafkajs is CommonJS and Node's ESM loader does not see ConfigResourceTypes as a named export
// (vitest's interop does, so only a real process shows it): take it from the default export.
import kafkajs, { type Admin, type Kafka } from 'kafkajs';
import { STATE_TOPICS, type StateTopicName } from '@riderflow/contracts';
import type { Logger } from './logger.js';
import { readTopicSpan } from './topic-span-reader.js';

/**
 * Creates a state topic with its partitions and configs (cleanup.policy=compact …) if it is
 * missing; if it exists, brings the configs the platform declares back to their declared values
 * (a data dir from an earlier release keeps the configs it was created with: dispatch.rider-state's
 * segment.ms went from 60 s to 10 s) and answers what it changed. Configs the platform does not
 * declare (an operator's retention.ms, say) are kept: AlterConfigs replaces a topic's whole set,
 * so the new set is the topic's own settings with the declared ones over them.
 */
export async function ensureStateTopic(admin: Admin, topic: StateTopicName): Promise<Array<{ name: string; from: string | null; to: string }>> {
  const spec = STATE_TOPICS[topic];
  if ((await admin.listTopics()).includes(topic)) return reconcileConfigs(admin, topic, spec.configs);
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, numPartitions: spec.partitions, configEntries: Object.entries(spec.configs).map(([name, value]) => ({ name, value })) }],
    });
  } catch (err) {
    // another service may have created it between listTopics and createTopics
    if (!(await admin.listTopics()).includes(topic)) throw err;
  }
  return [];
}

/** kafkajs's ConfigSource: a config set on the topic itself (not a broker default). */
const TOPIC_CONFIG_SOURCE = 1;
const { ConfigResourceTypes } = kafkajs;

async function reconcileConfigs(admin: Admin, topic: string, declared: Readonly<Record<string, string>>): Promise<Array<{ name: string; from: string | null; to: string }>> {
  const described = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }] });
  const entries = described.resources[0]?.configEntries ?? [];
  const own = new Map(entries.filter((e) => !e.isDefault && e.configSource === TOPIC_CONFIG_SOURCE).map((e) => [e.configName, e.configValue]));
  const current = new Map(entries.map((e) => [e.configName, e.configValue]));
  const changes = Object.entries(declared)
    .filter(([name, value]) => current.get(name) !== value)
    .map(([name, to]) => ({ name, from: current.get(name) ?? null, to }));
  if (changes.length === 0) return [];
  const next = new Map(own);
  for (const [name, value] of Object.entries(declared)) next.set(name, value);
  await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [...next].map(([name, value]) => ({ name, value })) }] });
  return changes;
}

export interface StateTopicRead {
  /** The newest value per key, in the order the keys were last written; null = the newest record is a tombstone. */
  latest: Map<string, Buffer | null>;
  /** Records read (every record still on the log, superseded ones included). */
  records: number;
}

/**
 * Reads a topic from its beginning to the end it had when called (readTopicSpan: read_committed,
 * a short-lived "replay-" group deleted afterwards, nothing committed) and answers the newest value
 * per key.
 */
export async function readStateTopic(kafka: Kafka, topic: string, options: { logger?: Logger; timeoutMs?: number } = {}): Promise<StateTopicRead> {
  const latest = new Map<string, Buffer | null>();
  const records = await readTopicSpan(kafka, topic, (m, partition) => {
    const key = m.key?.toString();
    if (!key) {
      options.logger?.warn({ topic, partition, offset: m.offset }, 'record without a key on a state topic; skipped');
      return;
    }
    latest.delete(key); // re-insert: the map's order is the order keys were last written
    latest.set(key, m.value);
  }, {
    timeoutMs: options.timeoutMs,
    onGroupLeft: (groupId, reason) => options.logger?.warn({ groupId, reason }, 'could not delete the state-topic reader group'),
  });
  return { latest, records };
}
