import { BUCKET_MS } from './buckets.js';
import type { BookedShift } from './shift-plan.js';

export interface DayRoster {
  day: number;
  /** Riders needed per bucket (the day-ahead rule) and riders booked per bucket. */
  need: number[];
  booked: number[];
  shifts: BookedShift[];
}

/**
 * A call-in moves a rider's booked shift to start now, ending earlier by as much (the office
 * keeps its hours): coverage moves from the end of that shift to the coming hour. With a day
 * plan, that is worth it only when the buckets gained are worth more than those given up, by
 * the rule the plan was made with (a bucket that needs n and has k values one more rider at
 * n / (k + 1)). The office calls the riders whose booked shift starts soonest; this takes them in
 * that order while each one pays, up to `wanted`, and returns the roster as it would then be.
 */
export function worthwhileCallIns(roster: DayRoster, now: number, wanted: number): { riders: number; roster: DayRoster } {
  const booked = [...roster.booked];
  const shifts = roster.shifts.map((s) => ({ ...s }));
  const bucketAt = (ts: number) => Math.floor((ts - roster.day) / BUCKET_MS);
  const nowBucket = Math.max(0, bucketAt(now));
  const waiting = shifts.filter((s) => s.start > now).sort((a, b) => a.start - b.start || (a.riderId < b.riderId ? -1 : 1));
  let riders = 0;
  for (const s of waiting) {
    if (riders >= wanted) break;
    const from = bucketAt(s.start);
    const shift = from - nowBucket;
    if (shift <= 0) continue;
    const to = bucketAt(s.end);
    let gain = 0;
    for (let b = nowBucket; b < from; b++) gain += (roster.need[b] ?? 0) / ((booked[b] ?? 0) + 1);
    let loss = 0;
    for (let b = to - shift; b < to; b++) loss += (roster.need[b] ?? 0) / Math.max(1, booked[b] ?? 0);
    if (gain <= loss) break; // the office would call this rider next anyway: the round ends here
    for (let b = nowBucket; b < from; b++) booked[b] = (booked[b] ?? 0) + 1;
    for (let b = to - shift; b < to; b++) booked[b] = Math.max(0, (booked[b] ?? 0) - 1);
    const advance = s.start - now;
    s.start -= advance;
    s.end -= advance;
    riders++;
  }
  return { riders, roster: { ...roster, booked, shifts } };
}
