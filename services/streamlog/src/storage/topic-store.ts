import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './atomic-file.js';
import { StorageError, type TopicConfig, type TopicInfo } from './contract.js';
import { TOPICS_FILE } from './file-names.js';

export const DEFAULT_TOPIC_CONFIG: TopicConfig = {
  partitions: 1,
  retentionMs: 7 * 24 * 60 * 60 * 1000,
  retentionBytes: -1,
  segmentBytes: 64 * 1024 * 1024,
  cleanupPolicy: 'delete',
  segmentMs: 7 * 24 * 60 * 60 * 1000,
  minCleanableDirtyRatio: 0.5,
  deleteRetentionMs: 24 * 60 * 60 * 1000,
};

const topicConfigSchema = z.object({
  partitions: z.number().int().min(1).max(100_000),
  retentionMs: z.number().int().min(-1),
  retentionBytes: z.number().int().min(-1),
  // a segment must hold at least one batch header; int32 positions cap it at 1 GiB
  segmentBytes: z.number().int().min(1024).max(1024 * 1024 * 1024),
  // absent in topics files from before compaction: Kafka's defaults
  cleanupPolicy: z.enum(['delete', 'compact', 'compact,delete']).default('delete'),
  segmentMs: z.number().int().min(1).default(DEFAULT_TOPIC_CONFIG.segmentMs),
  minCleanableDirtyRatio: z.number().min(0).max(1).default(0.5),
  deleteRetentionMs: z.number().int().min(0).default(DEFAULT_TOPIC_CONFIG.deleteRetentionMs),
});

const topicsFileSchema = z.object({
  version: z.literal(1),
  topics: z.array(z.object({ name: z.string(), id: z.string().uuid().optional(), config: topicConfigSchema })),
});

/** merged and checked config; a bad value is INVALID_PARTITIONS (partitions) or INVALID_CONFIG */
export function resolveTopicConfig(defaults: TopicConfig, config: Partial<TopicConfig> | undefined): TopicConfig {
  const merged = { ...defaults };
  for (const [k, v] of Object.entries(config ?? {})) if (v !== undefined) (merged as Record<string, unknown>)[k] = v;
  if (!Number.isInteger(merged.partitions) || merged.partitions < 1 || merged.partitions > 100_000) {
    throw new StorageError('INVALID_PARTITIONS', `partitions must be an integer in [1, 100000], got ${merged.partitions}`);
  }
  const parsed = topicConfigSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StorageError('INVALID_CONFIG', `invalid topic config ${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

export function loadTopics(dataDir: string): TopicInfo[] {
  const file = path.join(dataDir, TOPICS_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new StorageError('KAFKA_STORAGE_ERROR', `${file} is not valid JSON (${(err as Error).message}); restore it from a backup or remove it to start without topics`);
  }
  const parsed = topicsFileSchema.safeParse(json);
  if (!parsed.success) throw new StorageError('KAFKA_STORAGE_ERROR', `${file} is not a valid topics file: ${parsed.error.message}`);
  return parsed.data.topics;
}

export function saveTopics(dataDir: string, topics: TopicInfo[]): void {
  writeFileAtomic(path.join(dataDir, TOPICS_FILE), JSON.stringify({ version: 1, topics }, null, 2) + '\n');
}
