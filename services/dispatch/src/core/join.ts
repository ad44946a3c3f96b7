import { bestSequence, halfService, planRoute } from './route.js';
import type { CourierView, JoinDecision, OpenOrder, PendingTrip, Restaurant, RoutePlan, TravelTime } from './types.js';

/** What the join pass needs from the configuration. */
export interface JoinRules {
  pickupServiceMin: number;
  dropoffServiceMin: number;
  rescueMaxBundleSize: number;
  rescueWaitMin: number;
  riskCourierValueMin: number;
}

export interface JoinResult {
  decisions: JoinDecision[];
  /** Orders that joined a trip (no longer open for the rest of the round). */
  joined: Set<string>;
  /** The couriers as the rest of the round should see them (a joined trip ends later and elsewhere). */
  couriers: CourierView[];
}

/**
 * Orders join a trip already under way to their restaurant. A courier sent to a restaurant but not
 * there yet (its pickup is still ahead) can take one more order of that restaurant at no extra
 * trip: the pickup waits for the order's ready time (at most rescueWaitMin, and never past the
 * courier's off_time) and the drop-off tour is re-planned. The committed plans the other passes
 * look at end where such a trip ends, so without this an order placed while three couriers are
 * driving to its restaurant can look unreachable and be lost (6r50t100s2p125, o828).
 *
 * Which orders: one that no courier can serve any more from where its plan ends (`doomed`) joins
 * whatever the delay it adds to the trip's orders; with `everyOrder`, any other order joins if that
 * delay is under `courierValue + riskCourierValueMin × risk` (the bundling rule: a merge pays when
 * it delays the other orders less than the courier it saves is worth). Most at-risk orders first;
 * per order the trip it delays least.
 * Pure and deterministic.
 */
export function joinEnRoute(
  now: number,
  orders: readonly OpenOrder[],
  couriers: readonly CourierView[],
  restaurants: ReadonlyMap<string, Restaurant>,
  travel: TravelTime,
  rules: JoinRules,
  context: { risk: ReadonlyMap<string, number>; courierValue: number; everyOrder: boolean },
): JoinResult {
  const view = couriers.map((c) => ({ ...c }));
  const decisions = new Map<string, JoinDecision>();
  const joined = new Set<string>();
  const open = (c: CourierView): c is CourierView & { pendingTrip: PendingTrip } => !!c.pendingTrip && now < c.pendingTrip.plan.pickupAt;
  const enRoute = view.filter(open);
  if (enRoute.length === 0 || rules.rescueMaxBundleSize <= 0) return { decisions: [], joined, couriers: view };
  const byRestaurant = new Set(enRoute.map((c) => c.pendingTrip.restaurantId));
  const riskOf = (o: OpenOrder) => context.risk.get(o.id) ?? 0;
  const eligible = orders
    .filter((o) => o.placedAt <= now && byRestaurant.has(o.restaurantId))
    .map((o) => ({ o, doomed: isDoomed(now, o, couriers, restaurants, travel, rules.pickupServiceMin) }))
    .filter(({ doomed }) => doomed || context.everyOrder);
  eligible.sort((a, b) => Number(b.doomed) - Number(a.doomed) || riskOf(b.o) - riskOf(a.o) || a.o.readyAt - b.o.readyAt || (a.o.id < b.o.id ? -1 : 1));

  for (const { o, doomed } of eligible) {
    const limit = doomed ? Infinity : context.courierValue + rules.riskCourierValueMin * riskOf(o);
    const r = restaurants.get(o.restaurantId);
    if (!r) continue;
    let best: { c: (typeof enRoute)[number]; seq: OpenOrder[]; plan: RoutePlan; extra: number } | null = null;
    for (const c of enRoute) {
      const trip = c.pendingTrip;
      if (trip.restaurantId !== o.restaurantId || trip.orders.length >= rules.rescueMaxBundleSize) continue;
      if (o.readyAt > trip.plan.pickupAt + rules.rescueWaitMin) continue;
      const seq = bestSequence(r.loc, [...trip.orders, o], travel, rules.dropoffServiceMin);
      const plan = planRoute(trip.start, trip.givenAt, r.id, r.loc, seq, travel, rules);
      if (plan.pickupAt > c.offTime) continue;
      let extra = 0;
      trip.orders.forEach((x, i) => (extra += plan.dropoffs[seq.indexOf(x)] - trip.plan.dropoffs[i]));
      if (extra > limit) continue;
      if (best === null || extra < best.extra || (extra === best.extra && c.id < best.c.id)) best = { c, seq, plan, extra };
    }
    if (!best) continue;
    const { c, seq, plan } = best;
    const added = [...(decisions.get(c.id)?.addedOrderIds ?? []), o.id];
    c.pendingTrip = { ...c.pendingTrip, orders: seq, plan };
    c.freeAt = plan.endAt;
    c.freeLoc = seq[seq.length - 1].drop;
    c.freeRestaurantId = null;
    c.ordersAssigned += 1;
    decisions.set(c.id, { kind: 'join', courierId: c.id, restaurantId: r.id, orderIds: seq.map((x) => x.id), addedOrderIds: added, plan });
    joined.add(o.id);
  }
  return { decisions: [...decisions.values()], joined, couriers: view };
}

/** No courier on shift can pick the order up by its off_time from where and when its committed plan ends. */
function isDoomed(now: number, o: OpenOrder, couriers: readonly CourierView[], restaurants: ReadonlyMap<string, Restaurant>, travel: TravelTime, pickupServiceMin: number): boolean {
  const r = restaurants.get(o.restaurantId);
  if (!r) return true;
  const hp = halfService(pickupServiceMin);
  for (const c of couriers) {
    if (c.offTime < now) continue;
    const from = Math.max(now, c.freeAt, c.onTime);
    const arrive = c.freeRestaurantId === r.id ? from : from + travel(c.freeLoc, r.loc);
    if (Math.max(arrive + hp, o.readyAt) <= c.offTime) return false;
  }
  return true;
}
