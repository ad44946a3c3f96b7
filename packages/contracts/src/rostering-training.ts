// How much recorded history a rostering retrain needs, so whoever asks for one (the dashboard's
// retrain button, its API) can refuse a window that cannot train before a job is queued, instead
// of the job failing later in rostering with "not enough history to train". Rostering's own
// training set (services/rostering/src/core/features.ts buildTrainingSet) is built on these
// numbers; its tests check the two agree.

/** Rostering counts demand on 15-minute buckets of simulated time. */
export const ROSTERING_BUCKET_MS = 15 * 60_000;

/**
 * The fewest complete 15-minute buckets a training window must span: a simulated day of warm-up
 * before the first sample (yesterday's features), a day held out to score the model, and the
 * forecast horizon (8 buckets, 2 hours) between the last training sample and the held-out day.
 * 200 buckets: 50 simulated hours.
 */
export const ROSTERING_MIN_TRAINING_BUCKETS = 96 + 96 + 8;

/** The oldest and newest record timestamps on order.events (null when it holds none). */
export interface RecordedOrders {
  oldest: number | null;
  newest: number | null;
}

const isoMinute = (ms: number) => `${new Date(ms).toISOString().slice(0, 16)}Z`;

/**
 * Why a retrain over [from, to) cannot train, or null when it can as far as the log tells
 * (an unset end is the log's own). The window must end after it starts and hold at least
 * ROSTERING_MIN_TRAINING_BUCKETS complete buckets of recorded orders, counted as rostering counts
 * them: from the bucket of the first order in the window to the bucket before the window's end
 * (or before the newest order's bucket, which may still be filling).
 */
export function rosteringTrainingRefusal(window: { from?: number; to?: number }, orders: RecordedOrders, fmt: (ms: number) => string = isoMinute): string | null {
  const { from, to } = window;
  if (from !== undefined && to !== undefined && to <= from) return 'The window must end after it starts.';
  if (orders.oldest === null || orders.newest === null) return 'The log holds no recorded orders yet: there is nothing to train on.';
  if (from !== undefined && from >= orders.newest) return `The window starts after the newest recorded order (${fmt(orders.newest)}): pick an earlier start.`;
  if (to !== undefined && to <= orders.oldest) return `The window ends before the oldest recorded order (${fmt(orders.oldest)}): pick a later end.`;
  const start = Math.max(from ?? orders.oldest, orders.oldest);
  const firstBucket = Math.floor(start / ROSTERING_BUCKET_MS);
  const lastBucket = Math.min(to === undefined ? Infinity : Math.floor(to / ROSTERING_BUCKET_MS) - 1, Math.floor(orders.newest / ROSTERING_BUCKET_MS) - 1);
  const buckets = Math.max(0, lastBucket - firstBucket + 1);
  if (buckets >= ROSTERING_MIN_TRAINING_BUCKETS) return null;
  const hours = (b: number) => {
    const h = Math.round((b * ROSTERING_BUCKET_MS) / 360_000) / 10;
    return `${h} simulated hour${h === 1 ? '' : 's'}`;
  };
  const need = `Rostering needs at least ${hours(ROSTERING_MIN_TRAINING_BUCKETS)} of recorded orders to train`;
  if (buckets === 0) return `${need}; the window holds no complete 15 minutes of them.`;
  return (
    `${need} (a day to warm up its features, ` +
    `a day held out to score the model, and the 2-hour forecast horizon); the window holds ${hours(buckets)} ` +
    `(${fmt(firstBucket * ROSTERING_BUCKET_MS)} to ${fmt((lastBucket + 1) * ROSTERING_BUCKET_MS)}).`
  );
}
