import { planRoute } from '../../src/core/route.js';
import type { OpenOrder } from '../../src/core/types.js';
import { clonePlan, timeCourierPlan, type CourierPlan, type PlanContext } from '../../src/core/trip-plan.js';
import { searchPlans } from '../../src/core/plan-search.js';
import { cpuProgress } from './cpu-budget.js';
import type { CourierAtT, StateAtT } from './state.js';

export interface RollingOptions {
  /** Orders are known this many minutes before their placement (0: online, no foresight). */
  horizonMin: number;
  /** CPU budget of each round's search, ms. */
  roundBudgetMs: number;
  seed: string;
  maxBundle?: number;
}

export interface RollingResult {
  /** What each courier did from T (pending-at-T trip with its joins, then the trips it was given). */
  plans: CourierPlan[];
  delivered: number;
  rounds: number;
}

/**
 * The online counterpart of the offline search (a candidate policy, simulated in the plan model):
 * from T, every minute, the couriers' plans over every order known so far (placed, or placed within
 * the horizon) are re-searched from the previous round's plans (ruin and recreate, as offline), and
 * only what a dispatcher could do now is carried out: an order of the plan's pending trip joins it
 * once placed; an idle courier whose next trip's orders are all placed is given it; an idle courier
 * whose next trip is not placed yet drives to its restaurant (a reposition) and waits there.
 * Everything else stays a plan and may change in the next round.
 */
export function rollingFrom(state: StateAtT, ctx0: PlanContext, options: RollingOptions): RollingResult {
  const couriers: CourierAtT[] = state.couriers.map((c) => ({ ...c, start: { ...c.start }, pending: c.pending ? { ...c.pending, orders: [...c.pending.orders] } : null }));
  const done: CourierPlan[] = state.couriers.map(() => ({ pending: null, trips: [] }));
  // whether a courier's current pending trip is the one it had at T (else a trip given since)
  const pendingIsT = couriers.map((c) => c.pending !== null);
  // when each courier was given its pending trip, or left for its restaurant ahead of it
  const leftAt = couriers.map(() => -Infinity);
  const drove = couriers.map(() => false);
  let plans: CourierPlan[] = couriers.map((c) => ({ pending: c.pending ? [...c.pending.orders] : null, trips: [] }));
  const handled = new Set<string>();
  const lastOff = Math.max(...couriers.map((c) => c.offTime));
  let rounds = 0;
  for (let t = state.now; t <= lastOff; t++) {
    const ctx: PlanContext = { ...ctx0, now: t };
    // pending trips whose pickup has come are carried out
    couriers.forEach((c, ci) => {
      const p = c.pending;
      if (!p) return;
      const route = planRoute(p.start, p.givenAt, p.restaurantId, ctx.restaurants.get(p.restaurantId)!.loc, p.orders, ctx.travel, ctx.service);
      if (route.pickupAt > t) return;
      if (pendingIsT[ci]) done[ci].pending = [...p.orders];
      else done[ci].trips.push({ restaurantId: p.restaurantId, orders: [...p.orders], departNotBefore: leftAt[ci] });
      pendingIsT[ci] = false;
      c.start = { at: route.endAt, loc: p.orders[p.orders.length - 1].drop, restaurantId: null };
      c.pending = null;
      plans[ci] = { pending: null, trips: plans[ci].trips };
    });
    const known = state.free.filter((o) => o.placedAt <= t + options.horizonMin && !handled.has(o.id));
    const future = state.free.some((o) => o.placedAt > t + options.horizonMin);
    if (known.length === 0 && !future && couriers.every((c) => !c.pending)) break;
    // the previous plans, without what was carried out, cut back where they no longer fit
    plans = plans.map((p, ci) => repair(couriers[ci], p, ctx, handled));
    // handled orders are no longer known; the pending trips' orders are in the plans, and the search keeps them there
    const res = searchPlans(couriers, [...known, ...couriers.flatMap((c) => c.pending?.orders ?? [])].filter(unique()), plans, ctx, {
      iterations: Infinity,
      progress: cpuProgress(options.roundBudgetMs),
      seed: `${options.seed}:${t}`,
      maxBundle: options.maxBundle,
    });
    plans = res.plans;
    rounds++;
    couriers.forEach((c, ci) => {
      const plan = plans[ci];
      if (c.pending && plan.pending) {
        // joins: the plan's orders of this restaurant that are placed by now, in the plan's drop-off order
        const committed = new Set(c.pending.orders.map((o) => o.id));
        const next = plan.pending.filter((o) => committed.has(o.id) || o.placedAt <= t);
        if (next.length !== c.pending.orders.length) {
          c.pending.orders = next;
          for (const o of next) handled.add(o.id);
        }
        return;
      }
      if (c.start.at > t || plan.trips.length === 0) return;
      const trip = plan.trips[0];
      if (trip.orders.every((o) => o.placedAt <= t)) {
        c.pending = { restaurantId: trip.restaurantId, orders: [...trip.orders], start: { ...c.start }, givenAt: t, recordIndex: -1 };
        // a courier that drove here ahead of the trip left when it set off; otherwise it leaves now
        if (!drove[ci] || c.start.restaurantId !== trip.restaurantId) leftAt[ci] = t;
        drove[ci] = false;
        for (const o of trip.orders) handled.add(o.id);
        plans[ci] = { pending: [...trip.orders], trips: plan.trips.slice(1) };
      } else if (c.start.restaurantId !== trip.restaurantId) {
        const loc = ctx.restaurants.get(trip.restaurantId)!.loc;
        if (!drove[ci]) leftAt[ci] = Math.max(t, c.start.at);
        drove[ci] = true;
        c.start = { at: Math.max(t, c.start.at) + ctx.travel(c.start.loc, loc), loc, restaurantId: trip.restaurantId };
      }
    });
  }
  // the T-pending trips nobody touched stay as they were
  state.couriers.forEach((c, ci) => {
    if (c.pending && !done[ci].pending) done[ci].pending = [...c.pending.orders];
  });
  const atT = new Set(state.couriers.flatMap((c) => c.pending?.orders.map((o) => o.id) ?? []));
  let delivered = 0;
  for (const p of done) {
    for (const o of p.pending ?? []) if (!atT.has(o.id)) delivered++;
    for (const trip of p.trips) delivered += trip.orders.length;
  }
  return { plans: done, delivered, rounds };
}

function unique() {
  const seen = new Set<string>();
  return (o: OpenOrder) => (seen.has(o.id) ? false : (seen.add(o.id), true));
}

/** The plan without orders already handled elsewhere, its last trips dropped until it fits from now. */
function repair(c: CourierAtT, plan: CourierPlan, ctx: PlanContext, handled: ReadonlySet<string>): CourierPlan {
  const committed = new Set(c.pending?.orders.map((o) => o.id) ?? []);
  const p = clonePlan(plan);
  p.pending = c.pending ? (p.pending ?? []).filter((o) => committed.has(o.id) || !handled.has(o.id)) : null;
  if (c.pending && p.pending) for (const o of c.pending.orders) if (!p.pending.some((x) => x.id === o.id)) p.pending.push(o);
  p.trips = p.trips.map((t) => ({ ...t, orders: t.orders.filter((o) => !handled.has(o.id)) })).filter((t) => t.orders.length > 0);
  while (!timeCourierPlan(c, p, ctx).feasible) {
    if (p.trips.length > 0) p.trips.pop();
    else if (p.pending && c.pending) p.pending = p.pending.filter((o) => committed.has(o.id));
    else break;
    if (p.trips.length === 0 && p.pending && p.pending.every((o) => committed.has(o.id))) break;
  }
  return p;
}
