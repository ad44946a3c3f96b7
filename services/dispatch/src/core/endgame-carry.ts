import { timeCourierPlan, type CourierPlan, type PlanContext, type PlanCourier } from './trip-plan.js';
import type { OpenOrder } from './types.js';

/**
 * The end-game planner's whole plan of one round (every courier's pending trip and later trips, by
 * courier id), handed back to the next round (issue 18, eleventh stop). The core keeps no state:
 * the caller passes it in `DispatchInput.endgameCarry` and gets the next one in `DispatchRound`.
 */
export interface EndgameCarry {
  plans: ReadonlyMap<string, CourierPlan>;
}

/**
 * Last round's plans brought up to now: orders no longer open (given to a courier, joined to a
 * trip) leave the trips, a pending trip keeps its committed orders and only open orders of its
 * restaurant as joins, and each courier's last trips are dropped until its plan fits from where it
 * is now (as the rolling miss-search repairs its plans, bench/miss-search/rolling.ts). A courier
 * the carried plan does not know starts with its pending trip only. Every open order appears at
 * most once (the first courier, in the couriers' order, keeps it).
 */
export function carriedPlans(couriers: readonly PlanCourier[], carry: EndgameCarry, open: readonly OpenOrder[], ctx: PlanContext): CourierPlan[] {
  const openById = new Map(open.map((o) => [o.id, o]));
  const used = new Set<string>();
  // an order is taken at most once, and only while open (committed pending orders are not open)
  const take = (o: OpenOrder): OpenOrder | null => {
    const now = openById.get(o.id);
    if (!now || used.has(o.id)) return null;
    used.add(o.id);
    return now;
  };
  return couriers.map((c) => {
    const old = carry.plans.get(c.id);
    let pending: OpenOrder[] | null = null;
    if (c.pending) {
      const committed = new Set(c.pending.orders.map((o) => o.id));
      const restaurantId = c.pending.restaurantId;
      pending = [];
      for (const o of old?.pending ?? []) {
        if (committed.has(o.id)) pending.push(c.pending.orders.find((x) => x.id === o.id)!);
        else if (o.restaurantId === restaurantId) {
          const t = take(o);
          if (t) pending.push(t);
        }
      }
      // committed orders the old plan did not know (the trip was given after it) keep their order
      for (const o of c.pending.orders) if (!pending.some((x) => x.id === o.id)) pending.push(o);
    }
    const trips = (old?.trips ?? [])
      .map((t) => ({ restaurantId: t.restaurantId, orders: t.orders.map(take).filter((o): o is OpenOrder => o !== null) }))
      .filter((t) => t.orders.length > 0);
    const plan: CourierPlan = { pending, trips };
    while (!timeCourierPlan(c, plan, ctx).feasible) {
      if (plan.trips.length > 0) plan.trips.pop();
      else if (c.pending && plan.pending && plan.pending.length > c.pending.orders.length) plan.pending = [...c.pending.orders];
      else break;
    }
    return plan;
  });
}
