import { describe, expect, it } from 'vitest';
import { BUCKET_MS } from '../src/core/buckets.js';
import { DemandHistory } from '../src/core/demand-history.js';
import { levelCorrection } from '../src/core/level-correction.js';

const T0 = Date.parse('2025-03-03T08:00:00Z');
const B0 = T0 / BUCKET_MS;

/** `perBucket` orders in each of `buckets` buckets, alternating over two zones. */
function history(perBucket: number, buckets: number): DemandHistory {
  const h = new DemandHistory();
  let n = 0;
  for (let b = 0; b < buckets; b++) {
    for (let k = 0; k < perBucket; k++) {
      h.add({ type: 'order.created', ts: T0 + b * BUCKET_MS + k * 1000, orderId: `o${n++}`, zoneId: k % 2 ? 'z1' : 'z2', storeLat: 0, storeLon: 0, dropLat: 0, dropLon: 0 } as never);
    }
  }
  return h;
}

describe('level correction: orders that came over what the model forecast, last two hours', () => {
  const origin = B0 + 11; // buckets B0 … B0+11 are in the history

  it('is 1 when the model forecast what came', () => {
    expect(levelCorrection(history(10, 12), origin, () => 10)).toBeCloseTo(1, 12);
  });

  it('scales by came / forecast with the prior on both sides', () => {
    // 8 past origins, each bucket 10 orders; the model said 20: (80 + 8) / (160 + 8)
    expect(levelCorrection(history(10, 12), origin, () => 20)).toBeCloseTo(88 / 168, 12);
    expect(levelCorrection(history(10, 12), origin, () => 20, { prior: 0 })).toBeCloseTo(0.5, 12);
  });

  it('compares each origin with the bucket after it, and only origins of the last window', () => {
    const seen: number[] = [];
    levelCorrection(history(10, 12), origin, (q) => (seen.push(q), 10));
    expect(seen).toEqual([origin - 8, origin - 7, origin - 6, origin - 5, origin - 4, origin - 3, origin - 2, origin - 1]);
  });

  it('a quiet hour barely moves it; it stays within its bounds', () => {
    // 1 order per bucket against 2 forecast: 0.5 raw, damped by the prior
    expect(levelCorrection(history(1, 12), origin, () => 2)).toBeCloseTo(16 / 24, 12);
    expect(levelCorrection(history(10, 12), origin, () => 0)).toBe(2);
    expect(levelCorrection(history(1, 12), origin, () => 100)).toBe(0.5);
  });

  it('is 1 without history to compare', () => {
    expect(levelCorrection(new DemandHistory(), origin, () => 10)).toBe(1);
    expect(levelCorrection(history(10, 2), B0 - 20, () => 10)).toBe(1); // origin before the history
  });
});
