import { timeCourierPlan, type CourierPlan } from '../../src/core/trip-plan.js';
import type { SearchFromT } from './search-from.js';

/** One line per courier whose plan from T differs from the run's: the run's trips, then the plan's. */
export function describePlanDiff(r: SearchFromT): string[] {
  const lines: string[] = [];
  const show = (i: number, plan: CourierPlan) => {
    const c = r.state.couriers[i];
    const t = timeCourierPlan(c, plan, r.ctx);
    const parts: string[] = [];
    if (plan.pending && t.pendingRoute) parts.push(`(pending) ${c.pending!.restaurantId}[${plan.pending.map((o) => o.id).join('+')}]@${t.pendingRoute.pickupAt}`);
    plan.trips.forEach((trip, k) => parts.push(`${trip.restaurantId}[${trip.orders.map((o) => o.id).join('+')}]@${t.routes[k].pickupAt}`));
    return parts.join(' ') || '(nothing)';
  };
  r.state.couriers.forEach((c, i) => {
    const a = show(i, r.runPlans[i]);
    const b = show(i, r.search.plans[i]);
    if (a !== b) lines.push(`${c.id} (off ${c.offTime}) run: ${a}\n    ${' '.repeat(c.id.length)} plan: ${b}`);
  });
  return lines;
}
