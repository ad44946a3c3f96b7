// The queues' publish, deliver and ack rates (summed over every queue), one point per sample,
// kept by the gateway so a page opened now draws the last two minutes at once instead of
// starting from an empty chart.

import type { RatePoint } from '@riderflow/contracts';

export type { RatePoint };

export class RatesHistory {
  private readonly points: RatePoint[] = [];

  /** `spanMs`: how far back to keep (a little more than the chart shows, so it is full on first paint) */
  constructor(private readonly spanMs = 150_000) {}

  add(p: RatePoint): void {
    if (this.points.length && this.points.at(-1)!.at >= p.at) return;
    this.points.push(p);
    while (this.points.length && this.points[0]!.at < p.at - this.spanMs) this.points.shift();
  }

  list(): RatePoint[] {
    return [...this.points];
  }
}
