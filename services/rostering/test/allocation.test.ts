import { describe, expect, it } from 'vitest';
import { allocateTargets, planMoves, suggestCallIns, type RiderPosition } from '../src/core/allocation.js';
import { bucketOf } from '../src/core/buckets.js';
import { DemandHistory } from '../src/core/demand-history.js';
import type { AnyEvent } from '../src/core/events.js';
import { DEFAULT_STAFFING, erlangC, probWaitExceeds, ridersNeeded } from '../src/core/erlang-c.js';
import { apportion, plan, pooledNeed } from '../src/core/planner.js';

describe('Erlang C staffing rule', () => {
  it('matches textbook values', () => {
    // a = 2 Erlang on 3 servers: C = 4/9
    expect(erlangC(3, 2)).toBeCloseTo(4 / 9, 10);
    expect(erlangC(2, 2)).toBe(1);
    expect(erlangC(5, 0)).toBe(0);
  });

  it('staffs the smallest c that keeps the target share of orders within the 40-minute target', () => {
    const orders = 6; // per 15 minutes → 0.4/min
    const c = ridersNeeded(orders, 15);
    const budget = DEFAULT_STAFFING.targetMin - DEFAULT_STAFFING.doorMin;
    const allowed = 1 - DEFAULT_STAFFING.targetShare;
    expect(c).toBeGreaterThan(0.4 * DEFAULT_STAFFING.serviceMin);
    expect(probWaitExceeds(c, 0.4, DEFAULT_STAFFING.serviceMin, budget)).toBeLessThanOrEqual(allowed);
    expect(probWaitExceeds(c - 1, 0.4, DEFAULT_STAFFING.serviceMin, budget)).toBeGreaterThan(allowed);
    expect(ridersNeeded(0, 15)).toBe(0);
    expect(ridersNeeded(12, 15)).toBeGreaterThan(c); // more demand, more riders
  });
});

/** Steady state of an M/M/c queue by its birth–death balance equations: P(all c busy) and P(wait > t). */
function mmcByBalance(c: number, lambda: number, mu: number, t: number): { busy: number; waitExceeds: number } {
  // p_n ∝ a^n/n! for n < c, a^c/c! · ρ^(n−c) beyond; summed far enough out that the tail is negligible.
  const a = lambda / mu;
  const p: number[] = [1];
  for (let n = 1; n < 5000; n++) p.push(p[n - 1] * (n <= c ? a / n : a / c));
  const z = p.reduce((s, v) => s + v, 0);
  const busy = p.slice(c).reduce((s, v) => s + v, 0) / z;
  // An arrival finding n ≥ c waits for n − c + 1 departures at rate cμ: P(wait > t) = Σ p_n · P(Poisson(cμt) ≤ n − c).
  let waitExceeds = 0;
  for (let n = c; n < p.length; n++) {
    let term = Math.exp(-c * mu * t);
    let cdf = term;
    for (let k = 1; k <= n - c; k++) {
      term *= (c * mu * t) / k;
      cdf += term;
    }
    waitExceeds += (p[n] / z) * cdf;
  }
  return { busy, waitExceeds };
}

describe('M/M/c arithmetic against the balance equations', () => {
  it('Erlang C and P(wait > t) agree with a queue solved from first principles', () => {
    for (const [c, lambda, serviceMin, t] of [[3, 0.07, 28, 16], [12, 0.4, 28, 16], [40, 1.3, 28, 16], [5, 0.15, 20, 10]] as const) {
      const ref = mmcByBalance(c, lambda, 1 / serviceMin, t);
      expect(erlangC(c, lambda * serviceMin)).toBeCloseTo(ref.busy, 6);
      expect(probWaitExceeds(c, lambda, serviceMin, t)).toBeCloseTo(ref.waitExceeds, 6);
    }
  });

  it('an unstable queue (c ≤ a) always waits', () => {
    expect(probWaitExceeds(11, 0.4, 28, 16)).toBe(1); // a = 11.2
    expect(ridersNeeded(6, 15, { ...DEFAULT_STAFFING, serviceMin: 28 })).toBeGreaterThanOrEqual(12);
  });
});

describe('pooled city-wide need', () => {
  it('riders serve several zones: the city needs fewer than the sum of zone-by-zone needs', () => {
    // 16 zones, 2 orders each per 15 min: zone by zone each needs its own riders; pooled, one queue.
    const zones = Array.from({ length: 16 }, (_, i) => `z${String(i).padStart(2, '0')}`);
    const forecasts = new Map(zones.map((z) => [z, [2, 2, 2]]));
    const pooled = pooledNeed(zones, forecasts, 3);
    const separate = zones.reduce((s) => s + ridersNeeded(2, 15), 0);
    expect(pooled.city).toBe(ridersNeeded(32, 15));
    expect(pooled.city).toBeLessThan(separate * 0.8);
    expect([...pooled.perZone.values()].reduce((s, v) => s + v, 0)).toBe(pooled.city);
    // Needs follow the forecast: a zone with twice the orders gets about twice the riders.
    const skewed = pooledNeed(['a', 'b'], new Map([['a', [8, 8, 8]], ['b', [4, 4, 4]]]), 3);
    expect(skewed.perZone.get('a')! + skewed.perZone.get('b')!).toBe(skewed.city);
    expect(Math.abs(skewed.perZone.get('a')! - 2 * skewed.perZone.get('b')!)).toBeLessThanOrEqual(2);
  });

  it('takes the busiest bucket of the window, city-wide', () => {
    const p = pooledNeed(['a', 'b'], new Map([['a', [10, 0, 0]], ['b', [0, 0, 10]]]), 3);
    expect(p.city).toBe(ridersNeeded(10, 15)); // the peaks fall in different buckets: never 20 at once
  });

  it('apportions whole riders by largest remainders, exactly', () => {
    const out = apportion(10, new Map([['a', 1], ['b', 1], ['c', 1]]));
    expect([...out.values()].reduce((s, v) => s + v, 0)).toBe(10);
    expect(out.get('a')).toBe(4); // ties by key
    expect(apportion(0, new Map([['a', 1]])).get('a')).toBe(0);
    expect(apportion(3, new Map([['a', 0], ['b', 0]])).get('a')).toBe(0);
  });
});

describe('allocation', () => {
  const needs = [
    { zoneId: 'A', needed: 10 },
    { zoneId: 'B', needed: 4 },
    { zoneId: 'C', needed: 1 },
    { zoneId: 'D', needed: 0 },
  ];

  it('meets every zone need when riders suffice', () => {
    const t = allocateTargets(needs, 20);
    expect(Object.fromEntries(t)).toEqual({ A: 10, B: 4, C: 1, D: 0 });
  });

  it('degrades gracefully when riders are short: all riders used, none above need, shortfall shared', () => {
    const t = allocateTargets(needs, 6);
    const total = [...t.values()].reduce((s, v) => s + v, 0);
    expect(total).toBe(6);
    for (const n of needs) expect(t.get(n.zoneId)!).toBeLessThanOrEqual(n.needed);
    expect(t.get('C')).toBe(1); // the small zone is not starved
    expect(t.get('A')!).toBeGreaterThan(t.get('B')!);
    // shares of need met are close: 6/15 overall
    for (const z of ['A', 'B']) expect(Math.abs(t.get(z)! / needs.find((n) => n.zoneId === z)!.needed - 0.4)).toBeLessThan(0.26);
    expect([...allocateTargets(needs, 0).values()].every((v) => v === 0)).toBe(true);
  });

  const centroids = new Map([
    ['A', { lat: 52.5, lon: 13.4 }],
    ['B', { lat: 52.52, lon: 13.4 }],
    ['C', { lat: 52.5, lon: 13.44 }],
  ]);
  const rider = (riderId: string, zoneId: string, idle = true): RiderPosition => ({ riderId, zoneId, idle, ...centroids.get(zoneId)! });

  it('moves idle surplus riders to deficit zones by minimum travel time', () => {
    const riders = [rider('r1', 'A'), rider('r2', 'A'), rider('r3', 'A'), rider('r4', 'A', false), rider('r5', 'C')];
    const targets = new Map([
      ['A', 1],
      ['B', 2],
      ['C', 1],
    ]);
    const moves = planMoves(riders, targets, centroids);
    expect(moves).toHaveLength(2);
    expect(moves.every((m) => m.fromZoneId === 'A' && m.toZoneId === 'B')).toBe(true);
    expect(moves.map((m) => m.riderId)).not.toContain('r4'); // busy riders never move
    expect(moves[0].travelMin).toBeGreaterThan(0);
  });

  it('never moves a rider out of a zone that is at or below target, nor beyond the travel limit', () => {
    const riders = [rider('r1', 'A'), rider('r2', 'C')];
    const targets = new Map([
      ['A', 1],
      ['B', 3],
      ['C', 1],
    ]);
    expect(planMoves(riders, targets, centroids)).toEqual([]);
    const far = planMoves([rider('r1', 'A'), rider('r2', 'A')], new Map([['A', 0], ['B', 1]]), centroids, { maxTravelMin: 1 });
    expect(far).toEqual([]);
  });

  it('suggests call-ins per coming hour from need minus riders still on shift', () => {
    const h0 = Date.UTC(2026, 2, 2, 18);
    const callIns = suggestCallIns(
      [
        { hourStart: h0, needed: 5 },
        { hourStart: h0 + 3_600_000, needed: 8 },
      ],
      [undefined, h0 + 3_600_000, h0 + 2 * 3_600_000, h0 + 30 * 60_000],
    );
    expect(callIns).toEqual([
      { hourStart: h0, riders: 2 },
      { hourStart: h0 + 3_600_000, riders: 6 },
    ]);
  });
});

describe('a planning step', () => {
  it('turns forecasts and rider states into zones, moves and call-ins', () => {
    const t0 = Date.UTC(2026, 2, 2, 18);
    const h = new DemandHistory();
    const ev = (e: Record<string, unknown>) => h.add(e as unknown as AnyEvent);
    ev({ type: 'order.created', ts: t0, orderId: 'o1', zoneId: 'A', storeLat: 52.5, storeLon: 13.4, dropLat: 52.5, dropLon: 13.4 });
    ev({ type: 'order.created', ts: t0, orderId: 'o2', zoneId: 'B', storeLat: 52.52, storeLon: 13.4, dropLat: 52.52, dropLon: 13.4 });
    for (let i = 0; i < 6; i++) ev({ type: 'rider.shift_started', ts: t0, riderId: `r${i}`, zoneId: 'A', lat: 52.5, lon: 13.4, shiftEnd: t0 + 4 * 3_600_000 });
    ev({ type: 'rider.location', ts: t0 + 60_000, riderId: 'r0', zoneId: 'A', lat: 52.5, lon: 13.4, status: 'to_store', speedKmh: 12 });
    const origin = bucketOf(t0);
    const forecasts = new Map([
      ['A', [1, 1, 1, 1, 1, 1, 1, 1]],
      ['B', [3, 4, 4, 4, 8, 8, 8, 8]],
    ]);
    for (const id of ['o1', 'o2']) ev({ type: 'order.assigned', ts: t0 + 30_000, orderId: id, riderId: 'r0', assignmentId: 'a' });
    const p = plan(h, origin, forecasts, { planBuckets: 2 });
    const zone = (id: string) => p.zones.find((z) => z.zoneId === id)!;
    expect(p.ridersAvailable).toBe(6);
    expect(zone('A').ridersPresent).toBe(6);
    // One pooled city: the busiest bucket of the window has 1 + 4 orders; B gets its 7/9 share of that need.
    expect(p.cityRidersNeeded).toBe(ridersNeeded(5, 15));
    expect(zone('A').ridersNeeded + zone('B').ridersNeeded).toBe(p.cityRidersNeeded);
    expect(zone('B').ridersNeeded).toBe(Math.round((p.cityRidersNeeded * 7) / 9));
    expect(zone('B').forecastOrders).toBe(7);
    expect(zone('A').ridersTarget + zone('B').ridersTarget).toBeLessThanOrEqual(6);
    expect(p.moves.length).toBe(zone('B').ridersTarget);
    expect(p.moves.every((m) => m.toZoneId === 'B' && m.riderId !== 'r0')).toBe(true);
    expect(p.callIns).toHaveLength(2);
    // City-wide need at the hour's busiest bucket (1 + 8 orders), minus the six riders on shift.
    expect(p.callIns[1].riders).toBe(Math.max(0, ridersNeeded(9, 15) - 6));
    expect(p.callIns[1].riders).toBeGreaterThan(0);
    expect(p.bucketStart).toBe((origin + 1) * 15 * 60_000);
  });

  it('leaves idle riders where dispatch is about to use them: orders waiting, a backlog, a shift about to end', () => {
    const t0 = Date.UTC(2026, 2, 2, 18);
    const setup = (waiting: number, shiftLeftMin = 240) => {
      const h = new DemandHistory();
      const ev = (e: Record<string, unknown>) => h.add(e as unknown as AnyEvent);
      ev({ type: 'order.created', ts: t0, orderId: 'b1', zoneId: 'B', storeLat: 52.52, storeLon: 13.4, dropLat: 52.52, dropLon: 13.4 });
      ev({ type: 'order.assigned', ts: t0, orderId: 'b1', riderId: 'x', assignmentId: 'a' });
      for (let i = 0; i < waiting; i++) ev({ type: 'order.created', ts: t0, orderId: `a${i}`, zoneId: 'A', storeLat: 52.5, storeLon: 13.4, dropLat: 52.5, dropLon: 13.4 });
      for (let i = 0; i < 6; i++) ev({ type: 'rider.shift_started', ts: t0, riderId: `r${i}`, zoneId: 'A', lat: 52.5, lon: 13.4, shiftEnd: t0 + shiftLeftMin * 60_000 });
      return plan(h, bucketOf(t0), new Map([['A', [0, 0, 0]], ['B', [8, 8, 8]]]), { planBuckets: 2, keepForMin: 0 });
    };
    const free = setup(0);
    expect(free.moves.length).toBeGreaterThan(2);
    const twoWaiting = setup(2);
    expect(twoWaiting.moves.length).toBe(Math.min(free.moves.length, 4)); // two idle riders stay for A's two orders
    expect(setup(6).moves).toEqual([]); // backlog: every idle rider is about to be dispatched
    expect(setup(0, 20).moves).toEqual([]); // 20 min left on shift: not worth moving
  });
});
