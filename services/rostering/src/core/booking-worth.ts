/**
 * What one more booked rider in a 15-minute bucket is worth, for the day's booking
 * (shift-plan.ts, booking-search.ts). Both worths fall as the bucket fills (each bucket's worth is
 * concave in its riders), which is what lets the greedy and the local search add them up.
 *
 * - `need`: the staffing rule's riders needed n, one more rider when k are booked is worth
 *   n / (k + 1). Unmet need first; when riders are short every bucket falls short by about the
 *   same share. It weighs a bucket by riders needed, not by orders that would be lost.
 * - `erlang-b`: the orders one more rider saves. A bucket with `orders` forecast orders and
 *   `serviceMin` rider-minutes per order offers a = orders × serviceMin / 15 of work; with k riders
 *   the share of orders that find every rider busy is Erlang B(k, a), and an order that finds no
 *   rider for long is cancelled, so the (k+1)-th rider saves orders × (B(k, a) − B(k + 1, a)). Past
 *   the peak's capacity B ≈ 1 − k / a (the fluid model's lost work); around it, smooth, so the
 *   search sees a gain where the fluid model's max(0, ·) is flat.
 */
export type BookingWorthKind = 'need' | 'erlang-b';

export type BucketGain = (b: number, k: number) => number;

/** The rule's worth: n / (k + 1). */
export function needWorth(need: readonly number[]): BucketGain {
  return (b, k) => (need[b] ?? 0) / (k + 1);
}

/** Orders saved by the (k+1)-th rider, per bucket, from Erlang B; tables up to `maxRiders`. */
export function erlangBWorth(orders: readonly number[], serviceMin: number, bucketMin: number, maxRiders: number): BucketGain {
  const tables = orders.map((o) => {
    const a = (Math.max(0, o) * serviceMin) / bucketMin;
    const gains = new Float64Array(maxRiders + 1);
    if (a <= 0) return gains;
    let prev = 1; // B(0, a)
    for (let k = 0; k <= maxRiders; k++) {
      const next = (a * prev) / (k + 1 + a * prev); // B(k + 1, a), the stable recursion
      gains[k] = o * (prev - next);
      prev = next;
    }
    return gains;
  });
  return (b, k) => {
    const t = tables[b];
    return t === undefined || k >= t.length ? 0 : t[k];
  };
}
