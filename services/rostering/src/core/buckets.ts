/** Demand is counted on fixed simulated-time buckets; 15 minutes matches the planning step. */
export const BUCKET_MIN = 15;
export const BUCKET_MS = BUCKET_MIN * 60_000;
export const BUCKETS_PER_DAY = (24 * 60) / BUCKET_MIN;
export const BUCKETS_PER_WEEK = BUCKETS_PER_DAY * 7;

/** Index of the bucket holding simulated epoch ms `ts` (bucket 0 starts at the Unix epoch, UTC). */
export function bucketOf(ts: number): number {
  return Math.floor(ts / BUCKET_MS);
}

export function bucketStartMs(bucket: number): number {
  return bucket * BUCKET_MS;
}

/** Position in the day in [0, 1); simulated time is read as UTC so results do not depend on the host TZ. */
export function dayFraction(bucket: number): number {
  return (((bucket % BUCKETS_PER_DAY) + BUCKETS_PER_DAY) % BUCKETS_PER_DAY) / BUCKETS_PER_DAY;
}

/** Position in the week in [0, 1), Monday 00:00 UTC = 0 (1970-01-01 was a Thursday). */
export function weekFraction(bucket: number): number {
  const shifted = bucket + 3 * BUCKETS_PER_DAY;
  return (((shifted % BUCKETS_PER_WEEK) + BUCKETS_PER_WEEK) % BUCKETS_PER_WEEK) / BUCKETS_PER_WEEK;
}
