import type { EndgameResult, EndgameTrip } from './endgame.js';
import { carriedPlans, type EndgameCarry } from './endgame-carry.js';
import { completePlans, searchPlans } from './plan-search.js';
import { halfService, type ServiceMinutes } from './route.js';
import { plannedFreeIds, timeCourierPlan, type CourierPlan, type PlanContext, type PlanCourier } from './trip-plan.js';
import type { CourierView, OpenOrder, Restaurant, RoutePlan, TravelTime } from './types.js';

/** What the end-game planner needs from the configuration. */
export type EndgamePlannerRules = ServiceMinutes & {
  /** Ruin-and-recreate iterations per round (0 = off: the branch-and-bound plan as it is). */
  endgameSearchIterations: number;
  /** At most this many orders a trip in the planner's plans (pending trips included). */
  endgameSearchMaxBundle: number;
  /** Search only when a left-out order's last chance (see lastChance) is at most this many minutes ahead. */
  endgameSearchWindowMin: number;
};

/** More orders for a courier's pending trip (its pickup still ahead): all its orders in drop-off order. */
export interface EndgameJoin {
  restaurantId: string;
  orders: OpenOrder[];
  addedOrderIds: string[];
  plan: RoutePlan;
}

export interface EndgamePlan {
  /** The first new trip of every courier that has one (by courier id). */
  firstTrips: Map<string, EndgameTrip>;
  /** Pending trips the plan adds orders to (by courier id). */
  joins: Map<string, EndgameJoin>;
  /** Placed orders the plan delivers (not counting those already on pending trips). */
  delivered: number;
  /** Placed orders some courier could still serve alone: what the planner tries to reach. */
  servable: number;
  /** Iterations the search ran (0: the branch-and-bound plan was kept without a search). */
  iterations: number;
  /** The couriers the search re-planned (the closure of the left-out orders); every other one keeps its branch-and-bound plan. */
  searchedCouriers: string[];
  /** The whole plan (every courier's pending trip and trips), for the next round when it is carried. */
  carry: EndgameCarry | null;
  /** The plan the round started from was last round's (carried), not the branch and bound's. */
  fromCarry: boolean;
}

/**
 * The end game re-planned over the couriers' whole trip sequences (issue 18). The branch and bound
 * (endgame.ts) gives each bundle to the end of one courier's trips; the orders it then leaves out
 * are often ones a different plan would deliver: orders added to a trip before its pickup, large
 * bundles at a busy restaurant, the last couriers' trips reshuffled. When the branch-and-bound plan
 * leaves out an order some courier could still serve, a ruin-and-recreate search (plan-search.ts)
 * starts from that plan and keeps the best plan by orders delivered, then click-to-door, so it never
 * plans fewer orders. It searches only the closure of the left-out orders (the couriers that can
 * still serve one of them, with their orders); the other couriers keep the branch-and-bound plan.
 * Deterministic: the RNG is seeded from the round's time and orders, and the budget counts
 * iterations. Only orders already placed are planned.
 */
export function planEndgameSequences(
  now: number,
  orders: readonly OpenOrder[],
  couriers: readonly CourierView[],
  restaurants: ReadonlyMap<string, Restaurant>,
  travel: TravelTime,
  rules: EndgamePlannerRules,
  seed: EndgameResult,
  carry: EndgameCarry | null = null,
): EndgamePlan {
  const kept: EndgamePlan = { firstTrips: seed.firstTrips, joins: new Map(), delivered: seed.delivered, servable: 0, iterations: 0, searchedCouriers: [], carry: null, fromCarry: false };
  const planCouriers: PlanCourier[] = couriers.map((c) => ({
    id: c.id,
    offTime: c.offTime,
    start: { at: Math.max(c.freeAt, c.onTime), loc: c.freeLoc, restaurantId: c.freeRestaurantId },
    pending:
      c.pendingTrip && now < c.pendingTrip.plan.pickupAt
        ? { restaurantId: c.pendingTrip.restaurantId, orders: c.pendingTrip.orders, start: c.pendingTrip.start, givenAt: c.pendingTrip.givenAt }
        : null,
  }));
  // who can still serve each placed order alone (from where its plan ends, or by joining its pending trip)
  const capable = new Map(orders.map((o) => [o.id, planCouriers.flatMap((c, i) => (canServe(now, o, c, restaurants, travel, rules) ? [i] : []))]));
  const servable = orders.filter((o) => capable.get(o.id)!.length > 0).length;
  kept.servable = servable;
  if (rules.endgameSearchIterations <= 0 && !carry) return kept;
  const ctx: PlanContext = { now, restaurants, travel, service: rules };
  const committedIds = new Set(planCouriers.flatMap((c) => c.pending?.orders.map((o) => o.id) ?? []));
  const bnbPlans: CourierPlan[] = planCouriers.map((c) => ({
    pending: c.pending ? [...c.pending.orders] : null,
    trips: (seed.sequences.get(c.id) ?? []).map((t) => ({ restaurantId: t.bundle.restaurantId, orders: [...t.bundle.orders] })),
  }));
  // the two models time a trip alike; should they ever differ, the branch-and-bound plan stands
  const bnbFeasible = !planCouriers.some((c, i) => !timeCourierPlan(c, bnbPlans[i], ctx).feasible);
  const asCarry = (plans: readonly CourierPlan[]): EndgameCarry | null => (carry ? { plans: new Map(planCouriers.map((c, i) => [c.id, plans[i]])) } : null);

  // endgameCarryPlan: last round's plan, brought up to now, is the seed when it plans more orders
  // than the branch and bound (or as many, sooner); a round that does not search then keeps it
  // instead of starting afresh (tenth stop: "every round starts afresh" lost what a search found).
  let seedPlans = bnbPlans;
  let fromCarry = false;
  if (carry) {
    // the orders placed since (or dropped from it) are inserted, so both seeds plan the same orders
    const carried = completePlans(planCouriers, orders, carriedPlans(planCouriers, carry, orders, ctx), ctx, {
      seed: `carry:${now}:${orders.map((o) => o.id).sort().join(',')}`,
      maxBundle: rules.endgameSearchMaxBundle,
    });
    const timed = planCouriers.map((c, i) => timeCourierPlan(c, carried[i], ctx));
    if (timed.every((t) => t.feasible)) {
      const n = plannedFreeIds(carried, committedIds).size;
      const c2d = timed.reduce((s, t) => s + t.clickToDoor, 0);
      const bnbC2d = bnbFeasible ? planCouriers.reduce((s, c, i) => s + timeCourierPlan(c, bnbPlans[i], ctx).clickToDoor, 0) : Infinity;
      const bnbN = bnbFeasible ? plannedFreeIds(bnbPlans, committedIds).size : -1;
      if (n > bnbN || (n === bnbN && c2d < bnbC2d - 1e-9)) {
        seedPlans = carried;
        fromCarry = true;
      }
    }
  }
  if (!fromCarry && !bnbFeasible) return kept;
  const seedDelivered = fromCarry ? plannedFreeIds(seedPlans, committedIds).size : seed.delivered;
  // the plan the round keeps when it does not search (or the search finds nothing better)
  const unsearched = (iterations: number, searchedCouriers: string[]): EndgamePlan =>
    fromCarry
      ? { ...fromPlans(planCouriers, seedPlans, ctx), delivered: seedDelivered, servable, iterations, searchedCouriers, carry: asCarry(seedPlans), fromCarry }
      : { ...kept, iterations, searchedCouriers, carry: asCarry(seedPlans) };
  if (rules.endgameSearchIterations <= 0 || seedDelivered >= servable) return unsearched(0, []);

  // The search is restricted to the closure of the orders the seed leaves out (as the joint
  // certificate's, joint-certificate.ts): the couriers C that can still serve one of them, the
  // orders the seed gives to C and the left-out orders some courier of C can serve. Every other
  // courier keeps its seed plan untouched (it cannot carry a left-out order, and freeing it of an
  // order is no use to one). Its orders are all the search moves, and each iteration times C's plans only.
  const seeded = plannedFreeIds(seedPlans, committedIds);
  const left = orders.filter((o) => !seeded.has(o.id) && capable.get(o.id)!.length > 0);
  // Only when some left-out order's last chance is near: until then later rounds, with more orders
  // placed, plan it again anyway (on 1o50t100s1p125 the search ran in 73 rounds, most of them far
  // from any deadline and none of their plans carried out beyond its first trips).
  if (!left.some((o) => lastChance(o, capable.get(o.id)!.map((i) => planCouriers[i]), restaurants, travel, rules) <= now + rules.endgameSearchWindowMin)) return unsearched(0, []);
  const inC = new Set(left.flatMap((o) => capable.get(o.id)!));
  const sub = planCouriers.map((_, i) => i).filter((i) => inC.has(i));
  const subIds = plannedFreeIds(sub.map((i) => seedPlans[i]), new Set(sub.flatMap((i) => planCouriers[i].pending?.orders.map((o) => o.id) ?? [])));
  const subOrders = orders.filter((o) => subIds.has(o.id) || (!seeded.has(o.id) && capable.get(o.id)!.some((i) => inC.has(i))));
  const subSeedDelivered = subIds.size;

  const ids = orders.map((o) => o.id).sort();
  const result = searchPlans(sub.map((i) => planCouriers[i]), subOrders, sub.map((i) => seedPlans[i]), ctx, {
    iterations: rules.endgameSearchIterations,
    seed: `endgame:${now}:${ids.join(',')}`,
    target: subOrders.length,
    maxBundle: rules.endgameSearchMaxBundle,
  });
  const delivered = seedDelivered - subSeedDelivered + result.delivered;
  const searchedCouriers = sub.map((i) => planCouriers[i].id);
  if (result.delivered <= subSeedDelivered) return unsearched(result.iterations, searchedCouriers);
  const plans = [...seedPlans];
  sub.forEach((i, n) => (plans[i] = result.plans[n]));
  return { ...fromPlans(planCouriers, plans, ctx), delivered, servable, iterations: result.iterations, searchedCouriers, carry: asCarry(plans), fromCarry };
}

/** Each courier's first trip and the joins its pending trip takes, read off whole plans. */
function fromPlans(planCouriers: readonly PlanCourier[], plans: readonly CourierPlan[], ctx: PlanContext): Pick<EndgamePlan, 'firstTrips' | 'joins'> {
  const firstTrips = new Map<string, EndgameTrip>();
  const joins = new Map<string, EndgameJoin>();
  planCouriers.forEach((c, i) => {
    const plan = plans[i];
    const timed = timeCourierPlan(c, plan, ctx);
    if (c.pending && plan.pending && timed.pendingRoute && plan.pending.length > c.pending.orders.length) {
      const before = new Set(c.pending.orders.map((o) => o.id));
      joins.set(c.id, {
        restaurantId: c.pending.restaurantId,
        orders: plan.pending,
        addedOrderIds: plan.pending.filter((o) => !before.has(o.id)).map((o) => o.id),
        plan: timed.pendingRoute,
      });
    }
    const first = plan.trips[0];
    if (first) firstTrips.set(c.id, { bundle: { restaurantId: first.restaurantId, orders: first.orders }, plan: timed.routes[0] });
  });
  return { firstTrips, joins };
}

/** The courier alone can still pick the order up by its off_time: from where its plan ends, or by joining its pending trip there. */
function canServe(now: number, o: OpenOrder, c: PlanCourier, restaurants: ReadonlyMap<string, Restaurant>, travel: TravelTime, service: ServiceMinutes): boolean {
  const r = restaurants.get(o.restaurantId);
  if (!r) return false;
  const hp = halfService(service.pickupServiceMin);
  if (c.pending && c.pending.restaurantId === r.id) {
    // a join re-plans the trip from its start: the pickup waits for the order's ready time
    const from = c.pending.start;
    const arrive = Math.max(c.pending.givenAt, from.at) + (from.restaurantId === r.id ? 0 : travel(from.loc, r.loc));
    if (Math.max(arrive + hp, o.readyAt) <= c.offTime) return true;
  }
  const arrive = Math.max(now, c.start.at) + (c.start.restaurantId === r.id ? 0 : travel(c.start.loc, r.loc));
  return Math.max(arrive + hp, o.readyAt) <= c.offTime;
}

/**
 * The latest minute one of the couriers that can serve the order alone must leave, from where it is
 * free, to pick it up by its off_time (a join to a pending trip there is not counted: a rough
 * deadline that only decides when to search).
 */
function lastChance(o: OpenOrder, couriers: readonly PlanCourier[], restaurants: ReadonlyMap<string, Restaurant>, travel: TravelTime, service: ServiceMinutes): number {
  const r = restaurants.get(o.restaurantId)!;
  const hp = halfService(service.pickupServiceMin);
  let last = -Infinity;
  for (const c of couriers) {
    last = Math.max(last, c.offTime - hp - (c.start.restaurantId === r.id ? 0 : travel(c.start.loc, r.loc)));
  }
  return last;
}
