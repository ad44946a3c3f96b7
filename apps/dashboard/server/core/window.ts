// Values stamped with simulated time, kept for a bounded span so windows can be compared
// ("this 15 minutes vs the 15 before"). Pure and allocation-light: a plain array trimmed from the front.

export class TimedSeries<T> {
  private items: { t: number; value: T }[] = [];
  private head = 0;

  constructor(private readonly keepMs: number) {}

  push(t: number, value: T): void {
    this.items.push({ t, value });
  }

  /** drop everything older than now - keepMs */
  trim(now: number): void {
    const cutoff = now - this.keepMs;
    while (this.head < this.items.length && this.items[this.head]!.t < cutoff) this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  /** values with from <= t < to */
  between(from: number, to: number): T[] {
    const out: T[] = [];
    for (let i = this.head; i < this.items.length; i++) {
      const it = this.items[i]!;
      if (it.t >= from && it.t < to) out.push(it.value);
    }
    return out;
  }

  get size(): number {
    return this.items.length - this.head;
  }
}

export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}

export function mean(values: number[]): number | null {
  if (values.length === 0) return null;
  return values.reduce((a, b) => a + b, 0) / values.length;
}
