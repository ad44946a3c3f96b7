// Consumer lag in time, the way kafka-lag-exporter estimates it: remember when each partition's
// log-end offset reached each value, then a group's time lag is how long ago the log end was where
// the group's committed offset is now. Works on any Kafka (no record fetch needed).
//
// The log end is only sampled every couple of seconds, so a group that keeps up still trails the
// newest sample by whatever arrived since its last commit; measured naively that reads as noise
// between 0 and the sampling period. A group that has committed everything the log held one
// sampling period ago is therefore caught up: 0 s, flat.

/** one log-end value and the span of samples that saw it */
interface Sample { firstAt: number; lastAt: number; high: number }

export const LAG_METHOD =
  'Seconds behind = how long ago the log end stood where the group has committed, interpolated between 2-s samples of the log end; a group that has committed everything the log held one sample ago reads 0.';

export class LagClock {
  private readonly samples = new Map<string, Sample[]>();

  /** `periodMs`: how often the log end is sampled (the resolution of every time estimate) */
  constructor(private readonly keep = 600, private readonly periodMs = 2_000) {}

  record(topic: string, partition: number, at: number, high: number): void {
    const key = `${topic}/${partition}`;
    const list = this.samples.get(key) ?? [];
    const last = list.at(-1);
    if (last && last.high === high) {
      // Same offset: remember until when it was still the end. On a quiet partition the next
      // records then date from after this moment, not from when this value first appeared
      // (which made a few fresh messages look half a minute old).
      last.lastAt = at;
      return;
    }
    list.push({ firstAt: at, lastAt: at, high });
    if (list.length > this.keep) list.shift();
    this.samples.set(key, list);
  }

  /** the log end as last seen at or before `at` (null before the first sample) */
  private endAt(list: Sample[], at: number): number | null {
    for (let i = list.length - 1; i >= 0; i--) if (list[i]!.firstAt <= at) return list[i]!.high;
    return null;
  }

  /** seconds between now and the moment the log end passed `committed`; 0 when caught up */
  lagSeconds(topic: string, partition: number, committed: number, high: number, now: number): number {
    if (committed >= high) return 0;
    const list = this.samples.get(`${topic}/${partition}`);
    if (!list || list.length === 0) return 0;
    // caught up within the sampling resolution: it has read what the log held one period ago
    const endOnePeriodAgo = this.endAt(list, now - this.periodMs * 1.25);
    if (endOnePeriodAgo !== null && committed >= endOnePeriodAgo) return 0;
    if (committed < list[0]!.high) return (now - list[0]!.firstAt) / 1000; // older than our memory: a lower bound
    for (let i = list.length - 1; i > 0; i--) {
      const a = list[i - 1]!;
      const b = list[i]!;
      if (committed >= a.high && committed < b.high) {
        // the record at `committed` was appended after the end was last seen at a.high and by
        // the time b.high was first seen
        const frac = (committed - a.high) / (b.high - a.high);
        return Math.max(0, (now - (a.lastAt + frac * (b.firstAt - a.lastAt))) / 1000);
      }
    }
    return Math.max(0, (now - list.at(-1)!.lastAt) / 1000);
  }
}
