import { createRng } from '@riderflow/geo';
import type { PlannedOrder } from '@riderflow/simulator';
import type { RecordedWindow } from './recorded-window.js';

/**
 * The world's remaining randomness in a replay: what the recorded run never revealed, drawn from
 * the seed, conditioned on what the log did show. Everything the log shows (order times, ready
 * times, recorded cancellations, shifts, weather) is kept as recorded, so a replay whose decisions
 * match the recorded ones never reaches a draw; one that serves an order later than it was served
 * may meet a customer who gives up, one that waits at a store for an order that was cancelled
 * before it was ready meets a ready time drawn from the stores' recorded prep times.
 *
 * - Patience: the customer of an order with no recorded cancellation was still waiting when the
 *   order was picked up (or timed out) `L` after placing it. With a share `s` of customers who give
 *   up after a patience uniform on [a, b] (the log's, or the city's when it shows too few), the
 *   chance they would have given up later is s·P(U > L) / (1 − s·P(U ≤ L)), at a time uniform on
 *   [max(a, L), b].
 * - Prep time: an order never ready in the recorded run gets its announced prep time times a
 *   recorded ratio, drawn among those that fall after the moment it was cancelled.
 *
 * Each draw is keyed by seed and order id, so it does not depend on which other orders exist.
 */
export function drawUnrecorded(win: RecordedWindow, seed: string): PlannedOrder[] {
  const { patientAtLeastMs, readyAfterMs, prepRatios, customerCancelShare: s, patienceMs } = win.unseen;
  const { min: a, max: b } = patienceMs;
  const below = (t: number) => (b > a ? Math.min(1, Math.max(0, (t - a) / (b - a))) : t >= a ? 1 : 0);
  return win.orders.map((o) => {
    const rng = createRng(`${seed}/unrecorded/${o.id}`);
    const out: PlannedOrder = { ...o };
    const L = patientAtLeastMs.get(o.id);
    if (L !== undefined && out.customerCancelAt === undefined) {
      const later = (s * (1 - below(L))) / Math.max(1e-9, 1 - s * below(L));
      if (rng.chance(later)) out.customerCancelAt = o.placedAt + Math.round(rng.range(Math.max(a, L), b));
    }
    const after = readyAfterMs.get(o.id);
    if (after !== undefined && prepRatios.length > 0) {
      const announced = o.expectedReadyAt - o.placedAt;
      const fits = prepRatios.filter((r) => r * announced > after);
      const ratio = fits.length > 0 ? fits[Math.floor(rng.next() * fits.length)] : Math.max(...prepRatios);
      out.readyAt = o.placedAt + Math.max(after + 1, Math.round(ratio * announced));
    }
    return out;
  });
}
