import type { Admin } from 'kafkajs';

// The oldest and newest record timestamps of a topic from the log's time index (ListOffsets by
// time), without fetching a record: what the dashboard's log pages and the policy lab's window
// checks both ask.

const FAR_FUTURE = Date.UTC(2100, 0, 1);

/**
 * The last millisecond T at which `holds(T)` is true, for a condition that holds up to some time
 * and not after it (null when it never holds; FAR_FUTURE when it always does). A binary search over
 * the log's time index: ~42 ListOffsets round trips, only when a replay, a seek or a lab window asks.
 */
async function lastTimeWhere(holds: (t: number) => Promise<boolean>): Promise<number | null> {
  if (await holds(FAR_FUTURE)) return FAR_FUTURE;
  if (!(await holds(0))) return null;
  let lo = 0;
  let hi = FAR_FUTURE;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (await holds(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** The newest record's timestamp on a topic, to the millisecond (null when it holds no record). */
export async function newestRecordTimestamp(admin: Admin, topic: string): Promise<number | null> {
  const ends = await admin.fetchTopicOffsets(topic);
  if (ends.every((o) => Number(o.high) <= Number(o.low))) return null;
  // ListOffsets by time answers the first offset at or after T; without a fetch we cannot read a
  // record's timestamp, so ask the time index: a record is at or after T exactly while that
  // offset is not the end. The newest timestamp is the last T for which that holds.
  return lastTimeWhere(async (t) => {
    const offs = await admin.fetchTopicOffsetsByTimestamp(topic, t);
    return !offs.every((o) => Number(o.offset) >= Number(ends.find((e) => e.partition === o.partition)?.high ?? 0));
  });
}

/** The oldest record's timestamp on a topic, to the millisecond (null when it holds no record). */
export async function oldestRecordTimestamp(admin: Admin, topic: string): Promise<number | null> {
  const ends = await admin.fetchTopicOffsets(topic);
  const filled = ends.filter((o) => Number(o.high) > Number(o.low));
  if (filled.length === 0) return null;
  // The first offset at or after T is every partition's first record exactly while T is at or
  // before the oldest record: the oldest timestamp is the last T for which that holds.
  return lastTimeWhere(async (t) => {
    const offs = await admin.fetchTopicOffsetsByTimestamp(topic, t);
    return filled.every((e) => Number(offs.find((o) => o.partition === e.partition)?.offset ?? e.low) <= Number(e.low));
  });
}
