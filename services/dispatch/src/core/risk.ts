import { halfService } from './route.js';
import type { CourierView, OpenOrder, Restaurant, TravelTime } from './types.js';

/**
 * How close an open order is to finding no courier at all. From the couriers' committed plans (each
 * starts from where and when its plan ends), the order's last chance is the largest margin
 * off_time − earliest pickup over all couriers: once it is negative no courier can ever pick the
 * order up. risk is 0 for a margin of riskSlackMin or more and grows to 1 as the margin shrinks
 * to 0. An order that only riskCapableCouriers or fewer couriers can still serve at all is at risk
 * too (1 with one courier left) while its best margin is under riskCapableMarginMin: the orders that need the same last couriers compete for them.
 * Orders whose margin is already negative get risk 0: nothing can save them, so they should
 * not displace orders that can still be served.
 */
export function orderRisk(
  now: number,
  orders: readonly OpenOrder[],
  couriers: readonly CourierView[],
  restaurants: ReadonlyMap<string, Restaurant>,
  travel: TravelTime,
  rules: { pickupServiceMin: number; riskSlackMin: number; riskCapableCouriers: number; riskCapableMarginMin: number },
): Map<string, number> {
  const hp = halfService(rules.pickupServiceMin);
  const risk = new Map<string, number>();
  if (rules.riskSlackMin <= 0) return risk;
  // latest off_time first: the search stops as soon as no later courier can beat the best margin
  const live = couriers.filter((c) => c.offTime >= now).sort((a, b) => b.offTime - a.offTime);
  for (const o of orders) {
    const r = restaurants.get(o.restaurantId);
    if (!r) continue;
    let best = -Infinity;
    let capable = 0;
    const earliest = Math.max(o.readyAt, now);
    for (const c of live) {
      // couriers are by latest off_time: none after this one can beat the margin or add a capable one
      if (c.offTime - earliest < 0 || best >= rules.riskCapableMarginMin || (best >= rules.riskSlackMin && capable > rules.riskCapableCouriers)) break;
      const from = Math.max(now, c.freeAt, c.onTime);
      const arrive = c.freeRestaurantId === r.id ? from : from + travel(c.freeLoc, r.loc);
      const margin = c.offTime - Math.max(arrive + hp, earliest);
      if (margin >= 0) capable++;
      best = Math.max(best, margin);
    }
    if (best < 0) {
      risk.set(o.id, 0);
      continue;
    }
    const byMargin = best >= rules.riskSlackMin ? 0 : 1 - best / rules.riskSlackMin;
    // few couriers left who can still serve it at all: other orders will compete for them
    // (only near the end of their shifts: one courier with hours left is no risk)
    const byCouriers = capable > rules.riskCapableCouriers || best >= rules.riskCapableMarginMin ? 0 : 1 - (capable - 1) / rules.riskCapableCouriers;
    risk.set(o.id, Math.max(byMargin, byCouriers));
  }
  return risk;
}
