import type { TopicConfig } from './contract.js';

export interface SealedSegmentFacts {
  sizeBytes: number;
  /** largest record timestamp in the segment, ms */
  maxTimestamp: number;
}

/**
 * How many of the oldest sealed segments retention deletes (Kafka's rules): a prefix of segments
 * whose newest record is older than retentionMs, and oldest segments while the partition would
 * still be at least retentionBytes without them. The active segment is never passed in.
 */
export function segmentsToDelete(sealed: SealedSegmentFacts[], totalBytes: number, config: Pick<TopicConfig, 'retentionMs' | 'retentionBytes'>, now: number): number {
  let n = 0;
  let remaining = totalBytes;
  while (n < sealed.length) {
    const s = sealed[n];
    const expired = config.retentionMs >= 0 && now - s.maxTimestamp > config.retentionMs;
    const oversize = config.retentionBytes >= 0 && remaining - s.sizeBytes >= config.retentionBytes;
    if (!expired && !oversize) break;
    remaining -= s.sizeBytes;
    n++;
  }
  return n;
}
