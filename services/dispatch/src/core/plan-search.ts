import { createRng, type Rng } from '@riderflow/geo';
import { clonePlan, planPrefix, timeCourierPlan, timeTripsFrom, type CourierPlan, type PlanContext, type PlanCourier, type PlanPrefix } from './trip-plan.js';
import type { OpenOrder } from './types.js';

export interface SearchOptions {
  /**
   * The budget, in iterations (deterministic). The annealing cools over it; a caller that budgets
   * otherwise (the bench: CPU time) gives `progress` and may pass Infinity here.
   */
  iterations: number;
  /** Fraction of the budget spent before iteration `it` (the search stops at 1); default it / iterations. */
  progress?: (it: number) => number;
  /** Seeds the search's RNG (same seed and input, same plan). */
  seed: string;
  /** Minutes of click-to-door one undelivered order is worth in the annealing's objective. */
  missMin?: number;
  /** Stop as soon as a plan carries this many free orders (e.g. every one some courier can serve). */
  target?: number;
  /** At most this many orders a trip (MDRP sets no limit; the policy's maxBundleSize is 3). */
  maxBundle?: number;
}

export interface SearchResult {
  plans: CourierPlan[];
  delivered: number;
  clickToDoor: number;
  iterations: number;
  /** Iteration at which the best plan was found. */
  bestAt: number;
}

interface Where {
  courier: number;
  /** -1: the pending trip, otherwise the trip index. */
  trip: number;
}

/**
 * Ruin and recreate over the couriers' trip sequences from now (the orders given: the miss-search
 * bench gives every future order too; the end-game planner only the placed ones). Ruin
 * removes a few related orders (same time and place), a random few, or one courier's orders in a
 * time window; recreate inserts every unplanned order where it costs least (joining the pending
 * trip or a trip of its restaurant at any drop-off position, or a new trip at any place in any
 * courier's sequence), in a random one of four orders, skipping a few positions at random. A plan is
 * accepted by simulated annealing on Σ click-to-door + missMin × undelivered; the best is kept by
 * delivered orders first, then click-to-door, so it is never worse than the seed. Only free orders move;
 * the committed orders of the pending trips stay where they are.
 */
export function searchPlans(
  couriers: readonly PlanCourier[],
  free: readonly OpenOrder[],
  seed: readonly CourierPlan[],
  ctx: PlanContext,
  options: SearchOptions,
): SearchResult {
  const rng = createRng(options.seed);
  const missMin = options.missMin ?? 240;
  const committed = new Set(couriers.flatMap((c) => c.pending?.orders.map((o) => o.id) ?? []));
  const restaurantLoc = (id: string) => ctx.restaurants.get(id)!.loc;

  let cur = seed.map(clonePlan);
  const timed = cur.map((p, i) => timeCourierPlan(couriers[i], p, ctx));
  timed.forEach((t, i) => {
    if (!t.feasible) throw new Error(`the seed plan of courier ${couriers[i].id} picks up after its off_time`);
  });
  let curCost = timed.map((t) => t.clickToDoor);
  const count = (plans: readonly CourierPlan[]) => plans.reduce((s, p) => s + (p.pending?.filter((o) => !committed.has(o.id)).length ?? 0) + p.trips.reduce((n, t) => n + t.orders.length, 0), 0);
  let curDelivered = count(cur);
  const objective = (delivered: number, c2d: number) => c2d + missMin * (free.length - delivered);
  let curObj = objective(curDelivered, sum(curCost));
  let best = { plans: cur.map(clonePlan), delivered: curDelivered, clickToDoor: sum(curCost), bestAt: 0 };

  const progress = options.progress ?? ((i: number) => i / options.iterations);
  const temp0 = 30;
  const tempEnd = 0.5;
  let it = 0;
  for (; ; it++) {
    if (it >= options.iterations) break;
    const spent = progress(it);
    if (spent >= 1) break;
    if (options.target !== undefined && best.delivered >= options.target) break;
    const frac = Math.min(1, spent);
    const temp = temp0 * Math.pow(tempEnd / temp0, frac);

    const next = cur.map(clonePlan);
    const nextCost = [...curCost];
    const removed = ruin(next, rng, committed, restaurantLoc);
    for (const ci of new Set(removed.map((r) => r.courier))) nextCost[ci] = timeCourierPlan(couriers[ci], next[ci], ctx).clickToDoor;
    const planned = new Set<string>();
    for (const p of next) {
      for (const o of p.pending ?? []) planned.add(o.id);
      for (const t of p.trips) for (const o of t.orders) planned.add(o.id);
    }
    const todo = free.filter((o) => !planned.has(o.id));
    sortForInsertion(todo, rng, restaurantLoc);
    for (const o of todo) insertCheapest(o, couriers, next, nextCost, ctx, rng, options.maxBundle ?? Infinity);
    const delivered = count(next);
    const c2d = sum(nextCost);
    const obj = objective(delivered, c2d);
    if (obj <= curObj || rng.next() < Math.exp((curObj - obj) / temp)) {
      cur = next;
      curCost = nextCost;
      curDelivered = delivered;
      curObj = obj;
      if (delivered > best.delivered || (delivered === best.delivered && c2d < best.clickToDoor - 1e-9)) {
        best = { plans: cur.map(clonePlan), delivered, clickToDoor: c2d, bestAt: it };
      }
    }
  }
  return { plans: best.plans, delivered: best.delivered, clickToDoor: best.clickToDoor, iterations: it, bestAt: best.bestAt };
}

/**
 * The plans with every free order they do not carry inserted where it costs least, in ready order
 * (the recreate step of the search, without a ruin): a carried plan (endgame-carry.ts) brought up
 * to the orders placed since, so it is compared with the branch and bound's on the same orders.
 * Orders that fit nowhere stay out. Deterministic (the RNG of the insertion's skips is seeded).
 */
export function completePlans(couriers: readonly PlanCourier[], free: readonly OpenOrder[], seed: readonly CourierPlan[], ctx: PlanContext, options: { seed: string; maxBundle?: number }): CourierPlan[] {
  const rng = createRng(options.seed);
  const plans = seed.map(clonePlan);
  const costs = plans.map((p, i) => timeCourierPlan(couriers[i], p, ctx).clickToDoor);
  const planned = new Set<string>();
  for (const p of plans) {
    for (const o of p.pending ?? []) planned.add(o.id);
    for (const t of p.trips) for (const o of t.orders) planned.add(o.id);
  }
  const todo = free.filter((o) => !planned.has(o.id)).sort((a, b) => a.readyAt - b.readyAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const o of todo) insertCheapest(o, couriers, plans, costs, ctx, rng, options.maxBundle ?? Infinity);
  return plans;
}

function sum(xs: readonly number[]): number {
  return xs.reduce((s, x) => s + x, 0);
}

/** Removes some free orders from the plans (in place); returns where they were. */
function ruin(plans: CourierPlan[], rng: Rng, committed: ReadonlySet<string>, restaurantLoc: (id: string) => { x: number; y: number }): (Where & { order: OpenOrder })[] {
  const placed: (Where & { order: OpenOrder })[] = [];
  plans.forEach((p, ci) => {
    for (const o of p.pending ?? []) if (!committed.has(o.id)) placed.push({ courier: ci, trip: -1, order: o });
    p.trips.forEach((t, ti) => t.orders.forEach((o) => placed.push({ courier: ci, trip: ti, order: o })));
  });
  if (placed.length === 0) return [];
  const k = Math.min(placed.length, rng.int(2, Math.max(2, Math.min(16, Math.ceil(placed.length / 3)))));
  let chosen: (Where & { order: OpenOrder })[];
  const kind = rng.next();
  if (kind < 0.5) {
    // related: close in ready time and restaurant
    const s = rng.pick(placed).order;
    const sl = restaurantLoc(s.restaurantId);
    const score = (o: OpenOrder) => {
      const l = restaurantLoc(o.restaurantId);
      return Math.abs(o.readyAt - s.readyAt) + Math.hypot(l.x - sl.x, l.y - sl.y) / 300 + rng.next() * 5;
    };
    chosen = [...placed].sort((a, b) => score(a.order) - score(b.order)).slice(0, k);
  } else if (kind < 0.8) {
    chosen = [...placed].sort(() => rng.next() - 0.5).slice(0, k);
  } else {
    // one or two couriers' orders in a time window
    const s = rng.pick(placed);
    const w = rng.int(20, 90);
    const from = s.order.readyAt - rng.int(0, w);
    const couriersHit = new Set([s.courier, rng.pick(placed).courier]);
    chosen = placed.filter((p) => couriersHit.has(p.courier) && p.order.readyAt >= from && p.order.readyAt <= from + w);
  }
  const ids = new Set(chosen.map((c) => c.order.id));
  for (const p of plans) {
    if (p.pending) p.pending = p.pending.filter((o) => !ids.has(o.id));
    for (const t of p.trips) t.orders = t.orders.filter((o) => !ids.has(o.id));
    p.trips = p.trips.filter((t) => t.orders.length > 0);
  }
  return chosen;
}

function sortForInsertion(orders: OpenOrder[], rng: Rng, restaurantLoc: (id: string) => { x: number; y: number }): void {
  const kind = rng.int(0, 3);
  if (kind === 0) orders.sort(() => rng.next() - 0.5);
  else if (kind === 1) orders.sort((a, b) => a.readyAt - b.readyAt);
  else if (kind === 2) orders.sort((a, b) => b.readyAt - a.readyAt);
  else {
    // far drop-offs first (the hard ones)
    const d = (o: OpenOrder) => {
      const l = restaurantLoc(o.restaurantId);
      return Math.hypot(o.drop.x - l.x, o.drop.y - l.y);
    };
    orders.sort((a, b) => d(b) - d(a));
  }
}

/**
 * Inserts one order where the plan's click-to-door grows least (in place); false when nowhere fits.
 * A candidate that changes trip k of a courier is timed from trip k on (the trips before it are
 * the same, planPrefix); one that changes the pending trip is timed whole. Same deltas, same RNG
 * draws as timing every candidate whole.
 */
function insertCheapest(o: OpenOrder, couriers: readonly PlanCourier[], plans: CourierPlan[], costs: number[], ctx: PlanContext, rng: Rng, maxBundle: number): boolean {
  let bestDelta = Infinity;
  let bestPlan: CourierPlan | null = null;
  let bestCourier = -1;
  const blink = 0.05;
  const take = (ci: number, candidate: CourierPlan, c2d: number) => {
    const delta = c2d - costs[ci];
    if (delta < bestDelta) {
      bestDelta = delta;
      bestPlan = candidate;
      bestCourier = ci;
    }
  };
  const consider = (ci: number, candidate: CourierPlan) => {
    if (rng.next() < blink) return;
    const t = timeCourierPlan(couriers[ci], candidate, ctx);
    if (t.feasible) take(ci, candidate, t.clickToDoor);
  };
  // candidate whose trips before k are the plan's own: prefix from the plan, the rest timed
  const considerFrom = (ci: number, prefix: PlanPrefix, k: number, candidate: CourierPlan) => {
    if (rng.next() < blink) return;
    if (!prefix.feasible[k]) return;
    const rest = timeTripsFrom(couriers[ci], prefix.starts[k], k === 0 ? candidate.trips : candidate.trips.slice(k), ctx);
    if (rest !== null) take(ci, candidate, prefix.clickToDoor[k] + rest);
  };
  couriers.forEach((c, ci) => {
    if (c.offTime < ctx.now || c.offTime < o.readyAt) return;
    const p = plans[ci];
    if (p.pending && c.pending!.restaurantId === o.restaurantId && p.pending.length < maxBundle) {
      for (let k = 0; k <= p.pending.length; k++) {
        const cand = { pending: [...p.pending.slice(0, k), o, ...p.pending.slice(k)], trips: p.trips };
        consider(ci, cand);
      }
    }
    const prefix = planPrefix(c, p, ctx);
    p.trips.forEach((t, ti) => {
      if (t.restaurantId !== o.restaurantId || t.orders.length >= maxBundle) return;
      for (let k = 0; k <= t.orders.length; k++) {
        const trips = [...p.trips];
        trips[ti] = { restaurantId: t.restaurantId, orders: [...t.orders.slice(0, k), o, ...t.orders.slice(k)] };
        considerFrom(ci, prefix, ti, { pending: p.pending, trips });
      }
    });
    for (let k = 0; k <= p.trips.length; k++) {
      const trips = [...p.trips.slice(0, k), { restaurantId: o.restaurantId, orders: [o] }, ...p.trips.slice(k)];
      considerFrom(ci, prefix, k, { pending: p.pending, trips });
    }
  });
  if (bestCourier < 0) return false;
  plans[bestCourier] = bestPlan!;
  costs[bestCourier] += bestDelta;
  return true;
}
