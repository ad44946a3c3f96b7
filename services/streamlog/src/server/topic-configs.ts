// The topic configs this broker applies, by their Kafka names: how each is parsed, described and
// documented. CreateTopics, DescribeConfigs, AlterConfigs and IncrementalAlterConfigs share them.
import type { CleanupPolicy, TopicConfig } from '../storage/contract.js';

// config types as in Kafka's DescribeConfigsResponse
const TYPE_INT = 3;
const TYPE_LONG = 5;
const TYPE_DOUBLE = 6;
const TYPE_LIST = 7;

export type TopicConfigKey = Exclude<keyof TopicConfig, 'partitions'>;

export interface TopicConfigDef {
  key: TopicConfigKey;
  type: number;
  doc: string;
  /** the value, or a message saying why it is refused */
  parse(value: string): TopicConfig[TopicConfigKey] | { refused: string };
}

const integer = (name: string) => (value: string) => {
  const n = Number(value);
  return /^-?\d+$/.test(value.trim()) && Number.isSafeInteger(n) ? n : { refused: `${name}=${value} is not an integer` };
};

const POLICIES: Record<string, CleanupPolicy> = { delete: 'delete', compact: 'compact', 'compact,delete': 'compact,delete', 'delete,compact': 'compact,delete' };

export const topicConfigs: Record<string, TopicConfigDef> = {
  'retention.ms': { key: 'retentionMs', type: TYPE_LONG, doc: 'delete whole segments whose newest record is older than this; -1 keeps forever', parse: integer('retention.ms') },
  'retention.bytes': { key: 'retentionBytes', type: TYPE_LONG, doc: 'delete the oldest whole segments beyond this size per partition; -1 is unbounded', parse: integer('retention.bytes') },
  'segment.bytes': { key: 'segmentBytes', type: TYPE_INT, doc: 'roll a new segment at this size', parse: integer('segment.bytes') },
  'segment.ms': { key: 'segmentMs', type: TYPE_LONG, doc: 'roll the active segment once it is this old, so it can be cleaned or deleted', parse: integer('segment.ms') },
  'cleanup.policy': {
    key: 'cleanupPolicy',
    type: TYPE_LIST,
    doc: 'delete: retention removes old segments; compact: the cleaner keeps the latest record per key; compact,delete: both',
    parse: (value) => POLICIES[value.replace(/\s/g, '')] ?? { refused: `cleanup.policy=${value}: expected delete, compact or compact,delete` },
  },
  'min.cleanable.dirty.ratio': {
    key: 'minCleanableDirtyRatio',
    type: TYPE_DOUBLE,
    doc: 'clean a compacted partition once this share of its sealed bytes has not been cleaned yet',
    parse: (value) => {
      const n = Number(value);
      return value.trim() !== '' && Number.isFinite(n) && n >= 0 && n <= 1 ? n : { refused: `min.cleanable.dirty.ratio=${value} is not a number in [0, 1]` };
    },
  },
  'delete.retention.ms': { key: 'deleteRetentionMs', type: TYPE_LONG, doc: 'how long a tombstone (null value) survives cleaning, so consumers see the delete', parse: integer('delete.retention.ms') },
};
