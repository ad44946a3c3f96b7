import type { Bundle } from './bundling.js';
import type { DispatchConfig } from './config.js';
import { planRoute, type RouteStart } from './route.js';
import type { CourierView, Restaurant, RoutePlan, TravelTime } from './types.js';

/**
 * Multi-trip planning under a backlog (issue 18, sixth stop; off by default, `multiTripSlots`).
 *
 * The one-trip matching sees each courier once per round, from where its committed plan ends. Under
 * a backlog the best courier for an order is often one that will be free again right after its
 * next trip, close by, while the matching sends a far free courier (or none). Here each courier
 * gets a sequence of up to `slots` trips: the matching's first trips, then bundles it left out
 * appended by least cost, then a small local search (relocate one bundle to any position of any
 * candidate courier, or swap two bundles) over the sum of the trips' matching costs (the same cost
 * as the one-trip matching: click-to-door, age reward, busy weight, pay, minus the reward per
 * order). Only each courier's first trip is returned; the rest is re-planned next round.
 */
export interface MultiTripInput {
  now: number;
  bundles: readonly Bundle[];
  couriers: readonly CourierView[];
  restaurants: ReadonlyMap<string, Restaurant>;
  /** First trip of each courier from the one-trip matching: bundle index per courier index (-1: none). */
  firstOf: readonly number[];
  /** Cost of bundle b as trip k of courier c from `start` (Infinity if infeasible); must not depend on other couriers. */
  tripCost: (b: number, c: number, plan: RoutePlan, k: number) => number;
}

export interface MultiTripResult {
  /** Bundle index of each courier's first trip (-1: none) and its plan. */
  first: { bundle: number; plan: RoutePlan | null }[];
  /** The whole sequences (bundle indices per courier), for inspection and tests. */
  sequences: number[][];
  moves: number;
}

interface Move {
  c: number;
  seq: number[];
  cost: number;
  delta: number;
  swap?: { a: number; seq: number[]; cost: number; b2: number };
}

export function planMultiTrip(input: MultiTripInput, config: DispatchConfig, travel: TravelTime): MultiTripResult {
  const { now, bundles, couriers, restaurants } = input;
  const slots = config.multiTripSlots;
  const nB = bundles.length;
  const startOf = (c: CourierView): RouteStart => ({ at: Math.max(c.freeAt, c.onTime), loc: c.freeLoc, restaurantId: c.freeRestaurantId });

  /** Plans and total cost of a sequence for courier c (Infinity if some pickup is after its off time). */
  const evalSeq = (c: number, seq: readonly number[]): { cost: number; plans: RoutePlan[] } => {
    const cv = couriers[c];
    let start = startOf(cv);
    let cost = 0;
    const plans: RoutePlan[] = [];
    for (let k = 0; k < seq.length; k++) {
      const b = bundles[seq[k]];
      const r = restaurants.get(b.restaurantId)!;
      const plan = planRoute(start, now, r.id, r.loc, b.orders, travel, config);
      if (plan.pickupAt > cv.offTime) return { cost: Infinity, plans };
      const tc = input.tripCost(seq[k], c, plan, k);
      if (!Number.isFinite(tc)) return { cost: Infinity, plans };
      cost += tc;
      plans.push(plan);
      start = { at: plan.endAt, loc: b.orders[b.orders.length - 1].drop, restaurantId: null };
    }
    return { cost, plans };
  };

  // Candidate couriers per bundle: the K cheapest as a first trip (near ones), by first-trip cost.
  const firstCost: number[][] = bundles.map((_, b) => couriers.map((_c, c) => evalSeq(c, [b]).cost));
  const cand: number[][] = firstCost.map((row) =>
    row
      .map((v, c) => ({ v, c }))
      .filter((x) => Number.isFinite(x.v))
      .sort((a, b) => a.v - b.v || a.c - b.c)
      .slice(0, config.multiTripCandidates)
      .map((x) => x.c),
  );

  const seqs: number[][] = couriers.map((_, c) => (input.firstOf[c] >= 0 ? [input.firstOf[c]] : []));
  const where = new Int32Array(nB).fill(-1);
  seqs.forEach((s, c) => s.forEach((b) => (where[b] = c)));
  const costs: number[] = seqs.map((s, c) => evalSeq(c, s).cost);

  // Regret-free cheapest append of the bundles the matching left out, in the order of their best cost.
  const left = bundles.map((_, b) => b).filter((b) => where[b] < 0 && cand[b].length > 0);
  left.sort((a, b) => firstCost[a][cand[a][0]] - firstCost[b][cand[b][0]] || a - b);
  for (const b of left) {
    let best: { c: number; cost: number } | null = null;
    for (const c of cand[b]) {
      if (seqs[c].length >= slots) continue;
      const v = evalSeq(c, [...seqs[c], b]).cost;
      if (!Number.isFinite(v)) continue;
      if (best === null || v - costs[c] < best.cost - costs[best.c]) best = { c, cost: v };
    }
    if (best && best.cost - costs[best.c] < 0) {
      seqs[best.c].push(b);
      costs[best.c] = best.cost;
      where[b] = best.c;
    }
  }

  // Local search: relocate (any bundle, planned or not, to any position of a candidate courier) and swap.
  const EPS = 1e-6;
  let moves = 0;
  for (let pass = 0; pass < config.multiTripMaxPasses; pass++) {
    let improved = false;
    for (let b = 0; b < nB; b++) {
      const a = where[b];
      const aSeq = a >= 0 ? seqs[a].filter((x) => x !== b) : null;
      const aCost = a >= 0 ? evalSeq(a, aSeq!).cost : 0;
      const gainOut = a >= 0 ? costs[a] - aCost : 0; // what taking b out saves (usually negative: its reward)
      let best: Move | null = null;
      for (const c of cand[b]) {
        const base = c === a ? aSeq! : seqs[c];
        if (c !== a && base.length >= slots) continue;
        const baseCost = c === a ? aCost : costs[c];
        for (let pos = 0; pos <= base.length; pos++) {
          if (c === a && pos === seqs[a].indexOf(b)) continue;
          const seq = [...base.slice(0, pos), b, ...base.slice(pos)];
          const v = evalSeq(c, seq).cost;
          if (!Number.isFinite(v)) continue;
          const delta = c === a ? v - costs[a] : v - baseCost - gainOut;
          if (delta < -EPS && (best === null || delta < best.delta)) best = { c, seq, cost: v, delta };
        }
        // swap with a bundle of c
        if (c !== a && a >= 0) {
          for (let q = 0; q < seqs[c].length; q++) {
            const b2 = seqs[c][q];
            if (!cand[b2].includes(a)) continue;
            const cSeq = [...seqs[c]];
            cSeq[q] = b;
            const aSwap = seqs[a].map((x) => (x === b ? b2 : x));
            const vc = evalSeq(c, cSeq).cost;
            const va = evalSeq(a, aSwap).cost;
            if (!Number.isFinite(vc) || !Number.isFinite(va)) continue;
            const delta = vc + va - costs[c] - costs[a];
            if (delta < -EPS && (best === null || delta < best.delta)) best = { c, seq: cSeq, cost: vc, delta, swap: { a, seq: aSwap, cost: va, b2 } };
          }
        }
      }
      if (!best) continue;
      const swap = best.swap;
      if (swap) {
        seqs[swap.a] = swap.seq;
        costs[swap.a] = swap.cost;
        where[swap.b2] = swap.a;
      } else if (a >= 0 && best.c !== a) {
        seqs[a] = aSeq!;
        costs[a] = aCost;
      }
      seqs[best.c] = best.seq;
      costs[best.c] = best.cost;
      where[b] = best.c;
      moves++;
      improved = true;
    }
    if (!improved) break;
  }

  const first = seqs.map((s, c) => {
    if (s.length === 0) return { bundle: -1, plan: null };
    return { bundle: s[0], plan: evalSeq(c, [s[0]]).plans[0] ?? null };
  });
  return { first, sequences: seqs, moves };
}
