// Consumer lag in time, the way kafka-lag-exporter estimates it: remember when each partition's
// log-end offset reached each value, then a group's time lag is how long ago the log end was where
// the group's committed offset is now. Works on any Kafka (no record fetch needed).

/** one log-end value and the span of samples that saw it */
interface Sample { firstAt: number; lastAt: number; high: number }

export class LagClock {
  private readonly samples = new Map<string, Sample[]>();

  constructor(private readonly keep = 600) {}

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

  /** seconds between now and the moment the log end passed `committed`; 0 when caught up */
  lagSeconds(topic: string, partition: number, committed: number, high: number, now: number): number {
    if (committed >= high) return 0;
    const list = this.samples.get(`${topic}/${partition}`);
    if (!list || list.length === 0) return 0;
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
