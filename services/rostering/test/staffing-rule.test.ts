import { describe, expect, it } from 'vitest';
import { createRng } from '@riderflow/geo';
import { DEFAULT_STAFFING, erlangC, probWaitExceeds, ridersNeeded } from '../src/core/erlang-c.js';
import { pooledNeed } from '../src/core/planner.js';
import { observedService, observedStaffing, ServiceTimeTap } from '../src/core/service-time.js';

const H = 3_600_000;
const MIN = 60_000;
const T0 = Date.parse('2025-03-03T12:00:00Z');

describe('M/M/c arithmetic, textbook values', () => {
  it('Erlang C (probability of waiting) as tabulated', () => {
    // Two servers, one Erlang: C = a²/(2−a) / (1 + a + a²/(2−a)) = 1/3.
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 12);
    // One server: C = ρ (M/M/1).
    expect(erlangC(1, 0.7)).toBeCloseTo(0.7, 12);
    // Erlang C tables (e.g. Cooper, Introduction to Queueing Theory): 10 Erlangs on 11 and 12 servers.
    expect(erlangC(11, 10)).toBeCloseTo(0.6821, 4);
    expect(erlangC(12, 10)).toBeCloseTo(0.4494, 4);
  });

  it('P(wait > t) = C · e^(−(cμ − λ)t); mean wait C/(cμ − λ) reproduced by integrating it', () => {
    // M/M/1 with λ = 0.5/min, μ = 1/min: P(wait > 2) = 0.5 · e^(−1).
    expect(probWaitExceeds(1, 0.5, 1, 2)).toBeCloseTo(0.5 * Math.exp(-1), 12);
    // ∫ P(W > t) dt = E[W] = C/(cμ − λ); for c = 3, λ = 2, μ = 1: (4/9)/1.
    let integral = 0;
    for (let t = 0; t < 60; t += 0.001) integral += probWaitExceeds(3, 2, 1, t + 0.0005) * 0.001;
    expect(integral).toBeCloseTo(4 / 9, 4);
  });
});

describe('riders needed, city-wide', () => {
  it('grows with demand: never fewer riders for more orders, and strictly more over a range', () => {
    let prev = 0;
    for (let orders = 0; orders <= 200; orders++) {
      const c = ridersNeeded(orders, 15);
      expect(c).toBeGreaterThanOrEqual(prev);
      expect(c).toBeGreaterThan((orders / 15) * DEFAULT_STAFFING.serviceMin - 1e-9); // a stable queue: c > a
      prev = c;
    }
    expect(ridersNeeded(100, 15)).toBeGreaterThan(ridersNeeded(50, 15));
    expect(ridersNeeded(50, 15)).toBeGreaterThan(ridersNeeded(10, 15));
  });

  it('the pooled need never exceeds the sum of per-zone needs (random cities)', () => {
    const rng = createRng('pooled-vs-zones');
    for (let k = 0; k < 200; k++) {
      const zones = Array.from({ length: 1 + rng.int(0, 24) }, (_, i) => `z${i}`);
      const forecasts = new Map(zones.map((z) => [z, [0, 0, 0].map(() => rng.range(0, 12))]));
      const pooled = pooledNeed(zones, forecasts, 3);
      const perZone = zones.reduce((s, z) => s + ridersNeeded(Math.max(...forecasts.get(z)!), 15), 0);
      expect(pooled.city).toBeLessThanOrEqual(perZone);
      expect([...pooled.perZone.values()].reduce((s, v) => s + v, 0)).toBe(pooled.city);
    }
  });
});

describe('service time dispatch achieves, from the log', () => {
  const tapOf = (events: Record<string, unknown>[]) => {
    const tap = new ServiceTimeTap();
    for (const e of events) tap.add(e as { type: string; ts: number });
    return tap;
  };

  it('a rider is busy from its first order to its last delivery; a bundle shares the minutes', () => {
    const tap = tapOf([
      { type: 'order.assigned', ts: T0 + 5 * MIN, orderId: 'a', riderId: 'r1' },
      { type: 'order.assigned', ts: T0 + 6 * MIN, orderId: 'b', riderId: 'r1' }, // bundled
      { type: 'order.delivered', ts: T0 + 20 * MIN, orderId: 'a', riderId: 'r1' },
      { type: 'order.delivered', ts: T0 + 29 * MIN, orderId: 'b', riderId: 'r1' },
      { type: 'order.assigned', ts: T0 + 10 * MIN, orderId: 'c', riderId: 'r2' },
      { type: 'order.delivered', ts: T0 + 30 * MIN, orderId: 'c', riderId: 'r2' },
    ]);
    const rows = tap.rows(T0, T0 + H);
    expect(rows).toHaveLength(1);
    expect(rows[0].busyRiderMin).toBeCloseTo(24 + 20, 10);
    expect(rows[0].delivered).toBe(3);
    expect(rows[0].doorMinSum).toBeCloseTo(15 + 23 + 20, 10);
    const s = observedService(rows, 1)!;
    expect(s.serviceMin).toBeCloseTo(44 / 3, 10);
    expect(s.doorMin).toBeCloseTo(58 / 3, 10);
  });

  it('reassignment moves the order; a cancelled order frees the rider; busy time is split over hours', () => {
    const tap = tapOf([
      { type: 'order.assigned', ts: T0 + 50 * MIN, orderId: 'a', riderId: 'r1' },
      { type: 'order.assigned', ts: T0 + 55 * MIN, orderId: 'a', riderId: 'r2' }, // r1 is free again
      { type: 'order.delivered', ts: T0 + H + 10 * MIN, orderId: 'a', riderId: 'r2' },
      { type: 'order.assigned', ts: T0 + H + 20 * MIN, orderId: 'x', riderId: 'r3' },
      { type: 'order.cancelled', ts: T0 + H + 26 * MIN, orderId: 'x', reason: 'customer' },
    ]);
    const [h0, h1] = tap.rows(T0, T0 + 2 * H);
    expect(h0.busyRiderMin).toBeCloseTo(5 + 5, 10);
    expect(h1.busyRiderMin).toBeCloseTo(10 + 6, 10);
    expect(h1.delivered).toBe(1);
    expect(h1.doorMinSum).toBeCloseTo(15, 10); // from the assignment that delivered it
  });

  it('the rule uses the observed minutes once enough orders were delivered, else its defaults', () => {
    const events: Record<string, unknown>[] = [];
    for (let i = 0; i < 40; i++) {
      events.push({ type: 'order.assigned', ts: T0 + i * MIN, orderId: `o${i}`, riderId: `r${i}` });
      events.push({ type: 'order.delivered', ts: T0 + i * MIN + 12 * MIN, orderId: `o${i}`, riderId: `r${i}` });
    }
    const tap = tapOf(events);
    const now = observedStaffing(tap, T0 + 2 * H, DEFAULT_STAFFING);
    expect(now.observed).toBe(true);
    expect(now.serviceMin).toBeCloseTo(12, 10);
    expect(now.doorMin).toBeCloseTo(12, 10);
    expect(now.targetShare).toBe(DEFAULT_STAFFING.targetShare);
    expect(observedStaffing(tap, T0 + 30 * MIN, DEFAULT_STAFFING)).toMatchObject({ ...DEFAULT_STAFFING, observed: false }); // hour not complete
    expect(observedStaffing(tap, T0 + 10 * H, DEFAULT_STAFFING).observed).toBe(false); // out of the window
    // Faster service means fewer riders for the same orders.
    expect(ridersNeeded(30, 15, now)).toBeLessThan(ridersNeeded(30, 15, DEFAULT_STAFFING));
  });
});
