import path from 'node:path';

// Kafka's on-disk naming: a partition directory `<topic>-<partition>`, segment files named by
// the segment's base offset zero-padded to 20 digits.

export const LOG_SUFFIX = '.log';
export const OFFSET_INDEX_SUFFIX = '.index';
export const TIME_INDEX_SUFFIX = '.timeindex';
export const TOPICS_FILE = 'topics.json';
export const CLEAN_SHUTDOWN_FILE = '.clean-shutdown';
export const OFFSETS_FILE = 'consumer-offsets.jsonl';
/** per partition: the log start offset after DeleteRecords */
export const LOG_START_FILE = 'log-start-offset';
/** producer ids and their last sequence numbers (idempotent producers) */
export const PRODUCER_STATE_FILE = 'producer-state.jsonl';

export function partitionDirName(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

export function segmentBaseName(baseOffset: number): string {
  return String(baseOffset).padStart(20, '0');
}

export function segmentPath(dir: string, baseOffset: number, suffix: string): string {
  return path.join(dir, segmentBaseName(baseOffset) + suffix);
}

/** base offsets of the segments in a partition directory, ascending */
export function parseSegmentBaseOffsets(fileNames: string[]): number[] {
  const out: number[] = [];
  for (const f of fileNames) {
    const m = /^(\d{20})\.log$/.exec(f);
    if (m) out.push(Number(m[1]));
  }
  return out.sort((a, b) => a - b);
}
