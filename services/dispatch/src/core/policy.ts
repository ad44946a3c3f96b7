import { solveAssignment } from './assignment.js';
import { buildBundles, type Bundle } from './bundling.js';
import type { DispatchConfig } from './config.js';
import { prepositionMoves } from './preposition.js';
import { halfService, planRoute } from './route.js';
import type { AssignDecision, CourierView, Decision, DispatchInput, OpenOrder, RoutePlan, TravelTime } from './types.js';

/** A large reward per order served, so the matching serves as many orders as it can before it looks at delays. */
const ORDER_REWARD = 10_000;

export interface Match {
  bundle: Bundle;
  courier: CourierView;
  plan: RoutePlan;
  /** Latest time the courier could leave and still make the same pickup. */
  latestDepartAt: number;
  committed: boolean;
}

export interface DispatchRound {
  decisions: Decision[];
  /** All matches of this round, committed or provisional (for inspection and tests). */
  matches: Match[];
  bundles: Bundle[];
}

/**
 * One step of the rolling horizon. Orders that will be ready within the horizon are grouped into
 * bundles per restaurant, then bundles are matched to couriers by a minimum-cost assignment (the
 * cost of a pair is the click-to-door time it gives its orders, plus small terms for courier idling
 * and extra pay). A match is committed only when its courier must leave now to make the pickup;
 * the rest stays provisional and is re-optimised at the next step with newer information. Idle
 * couriers left without work are prepositioned toward expected demand.
 */
export function dispatchRound(input: DispatchInput, config: DispatchConfig, travel: TravelTime, options: { preposition?: boolean } = {}): DispatchRound {
  const { now } = input;
  const hp = halfService(config.pickupServiceMin);
  const horizonEnd = now + config.assignHorizonMin;
  const candidates = input.openOrders.filter((o) => o.placedAt <= now && o.readyAt <= horizonEnd && input.restaurants.has(o.restaurantId));
  const couriers = input.couriers.filter((c) => c.offTime > now && c.onTime <= horizonEnd && c.freeAt <= horizonEnd);

  const bundles: Bundle[] = [];
  if (candidates.length > 0) {
    const soon = now + config.scarcityWindowMin;
    const ordersSoon = candidates.filter((o) => o.readyAt <= soon).length;
    const couriersSoon = couriers.filter((c) => Math.max(c.freeAt, c.onTime) <= soon).length;
    const scarcity = ordersSoon / Math.max(1, couriersSoon);
    const courierValue = config.bundleCourierValueBaseMin + config.bundleCourierValuePerScarcityMin * scarcity;
    const byRestaurant = new Map<string, OpenOrder[]>();
    for (const o of candidates) {
      const list = byRestaurant.get(o.restaurantId);
      if (list) list.push(o);
      else byRestaurant.set(o.restaurantId, [o]);
    }
    for (const [rid, orders] of byRestaurant) {
      bundles.push(...buildBundles(input.restaurants.get(rid)!, orders, courierValue, travel, config));
    }
  }

  const matches: Match[] = [];
  if (bundles.length > 0 && couriers.length > 0) {
    const plans: (RoutePlan | null)[][] = [];
    const cost = bundles.map((b) => {
      const r = input.restaurants.get(b.restaurantId)!;
      const planRow: (RoutePlan | null)[] = [];
      const row = couriers.map((c) => {
        const start = { at: Math.max(c.freeAt, c.onTime), loc: c.freeLoc, restaurantId: c.freeRestaurantId };
        const plan = planRoute(start, now, r.id, r.loc, b.orders, travel, config);
        if (plan.pickupAt > c.offTime) {
          planRow.push(null);
          return Infinity;
        }
        planRow.push(plan);
        let clickToDoor = 0;
        // Serving an order is worth more the longer it has waited: with a backlog, minimising
        // click-to-door alone would always serve the newest orders first and starve the oldest.
        b.orders.forEach((o, i) => (clickToDoor += plan.dropoffs[i] - o.placedAt - config.ageWeight * Math.max(0, now - o.placedAt - config.ageThresholdMin)));
        const emptyTravel = plan.arriveAt - plan.departAt;
        return clickToDoor + config.emptyTravelWeight * emptyTravel + config.minutesPerDollar * extraPay(c, b.orders.length, config) - ORDER_REWARD * b.orders.length;
      });
      plans.push(planRow);
      return row;
    });
    const { rowToCol } = solveAssignment(cost);
    bundles.forEach((b, i) => {
      const j = rowToCol[i];
      if (j < 0) return;
      const courier = couriers[j];
      const plan = plans[i][j]!;
      const tt = plan.arriveAt - plan.departAt;
      const latestDepartAt = plan.pickupAt - hp - tt;
      const committed = plan.departAt <= now && latestDepartAt <= now + config.commitSlackMin && courier.onTime <= now;
      matches.push({ bundle: b, courier, plan, latestDepartAt, committed });
    });
  }

  const decisions: Decision[] = [];
  for (const m of matches) {
    if (!m.committed) continue;
    const d: AssignDecision = {
      kind: 'assign',
      courierId: m.courier.id,
      restaurantId: m.bundle.restaurantId,
      orderIds: m.bundle.orders.map((o) => o.id),
      plan: m.plan,
    };
    decisions.push(d);
  }

  if (config.prepositionEnabled && (options.preposition ?? true)) {
    const busy = new Set(matches.map((m) => m.courier.id));
    const idle = input.couriers.filter((c) => !busy.has(c.id));
    decisions.push(...prepositionMoves(now, idle, input.restaurants, input.recentOrders, travel, config));
  }
  return { decisions, matches, bundles };
}

/** Pay above what the courier is guaranteed anyway: max(perOrder × orders, perHour × hours). */
function extraPay(c: CourierView, extraOrders: number, config: DispatchConfig): number {
  const guaranteed = (config.payPerHour * (c.offTime - c.onTime)) / 60;
  const before = Math.max(config.payPerOrder * c.ordersAssigned, guaranteed);
  const after = Math.max(config.payPerOrder * (c.ordersAssigned + extraOrders), guaranteed);
  return after - before;
}
