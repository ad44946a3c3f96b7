import { solveAssignment } from '@riderflow/geo';
import { buildBundles, type Bundle } from './bundling.js';
import type { DispatchConfig } from './config.js';
import { planEndgame } from './endgame.js';
import type { EndgameCarry } from './endgame-carry.js';
import { planEndgameSequences } from './endgame-planner.js';
import { joinEnRoute } from './join.js';
import { prepositionMoves } from './preposition.js';
import { orderRisk } from './risk.js';
import { bestSequence, halfService, planRoute } from './route.js';
import type { AssignDecision, CourierView, Decision, DispatchInput, JoinDecision, OpenOrder, RoutePlan, TravelTime } from './types.js';

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
  /** The end-game planner's whole plan, to pass to the next round (endgameCarryPlan; null otherwise or outside the end game). */
  endgameCarry: EndgameCarry | null;
}

export interface RoundOptions {
  preposition?: boolean;
  /** Last round's `endgameCarry` (endgameCarryPlan): the core keeps no state, the caller carries it. */
  endgameCarry?: EndgameCarry | null;
}

/**
 * One step of the rolling horizon. Orders that will be ready within the horizon are grouped into
 * bundles per restaurant, then bundles are matched to couriers by a minimum-cost assignment (the
 * cost of a pair is the click-to-door time it gives its orders, plus small terms for courier idling
 * and extra pay). A match is committed only when its courier must leave now to make the pickup;
 * the rest stays provisional and is re-optimised at the next step with newer information. Idle
 * couriers left without work are prepositioned toward expected demand.
 */
export function dispatchRound(given: DispatchInput, config: DispatchConfig, travel: TravelTime, options: RoundOptions = {}): DispatchRound {
  let input = given;
  const { now } = input;
  const hp = halfService(config.pickupServiceMin);
  const horizonEnd = now + config.assignHorizonMin;
  let candidates = input.openOrders.filter((o) => o.placedAt <= now && o.readyAt <= horizonEnd && input.restaurants.has(o.restaurantId));
  let couriers = input.couriers.filter((c) => c.offTime >= now && c.onTime <= horizonEnd && c.freeAt <= horizonEnd);
  const risk = orderRisk(now, candidates, input.couriers, input.restaurants, travel, config);
  const riskOf = (o: OpenOrder) => risk.get(o.id) ?? 0;

  const soon = now + config.scarcityWindowMin;
  const ordersSoon = candidates.filter((o) => o.readyAt <= soon).length;
  const couriersSoon = couriers.filter((c) => Math.max(c.freeAt, c.onTime) <= soon).length;
  const scarcity = ordersSoon / Math.max(1, couriersSoon);
  // 0 while couriers keep up, 1 once there are twice as many orders as couriers
  const backlog = Math.min(1, Math.max(0, scarcity - 1));
  const ordersPerCourierHour = recentOrdersPerCourierHour(input, config);
  const liveCouriers = input.couriers.filter((c) => c.offTime >= now).length;
  const { ageWeight } = config;
  // the end of the day is for delivering: with payBlindMinCouriers the matching then ignores pay
  const payBlind = liveCouriers <= config.payBlindMinCouriers;
  // the fairness band: a bonus of up to payFairnessBandMin for couriers expected to end under their guarantee
  const fairRate = config.payFairnessBandMin > 0 && liveCouriers > config.payFairnessMinCouriers ? ordersPerCourierHourNow(input, config) : 0;
  const fairness = new Map<string, number>();
  const fairnessOf = (c: CourierView): number => {
    let f = fairness.get(c.id);
    if (f === undefined) {
      f = Math.min(1, expectedUnearned(c, config, now, fairRate, config.payFairnessForecastWeight) / Math.max(1e-9, config.payPerOrder));
      fairness.set(c.id, f);
    }
    return f;
  };
  const courierValue = config.bundleCourierValueBaseMin + config.bundleCourierValuePerScarcityMin * scarcity;

  // Orders that join a trip already under way are no longer open; the rest of the round sees
  // those couriers from where their longer trips end.
  const joins: Decision[] = [];
  if (config.joinEnRoute) {
    // joinEveryOrderMinScarcity: in overloaded rounds every order may ride along
    const everyOrder = config.joinEveryOrder || (config.joinEveryOrderMinScarcity > 0 && scarcity >= config.joinEveryOrderMinScarcity);
    const j = joinEnRoute(now, candidates, input.couriers, input.restaurants, travel, config, { risk, courierValue, everyOrder });
    if (j.decisions.length > 0) {
      joins.push(...j.decisions);
      input = { ...input, couriers: j.couriers, openOrders: input.openOrders.filter((o) => !j.joined.has(o.id)) };
      candidates = candidates.filter((o) => !j.joined.has(o.id));
      couriers = input.couriers.filter((c) => c.offTime >= now && c.onTime <= horizonEnd && c.freeAt <= horizonEnd);
    }
  }

  const bundles: Bundle[] = [];
  // bundleReadyFromArrival: per restaurant, the earliest pickup any candidate courier could make
  const earliestPickup = (rid: string): number => {
    const r = input.restaurants.get(rid)!;
    let best = Infinity;
    for (const c of couriers) {
      const from = Math.max(now, c.freeAt, c.onTime);
      const at = (c.freeRestaurantId === rid ? from : from + travel(c.freeLoc, r.loc)) + hp;
      if (at <= c.offTime && at < best) best = at;
    }
    return best;
  };
  const bundleAll = (orders: readonly OpenOrder[], fromArrival = false): Bundle[] => {
    const out: Bundle[] = [];
    const byRestaurant = new Map<string, OpenOrder[]>();
    for (const o of orders) {
      const list = byRestaurant.get(o.restaurantId);
      if (list) list.push(o);
      else byRestaurant.set(o.restaurantId, [o]);
    }
    for (const [rid, list] of byRestaurant) {
      // with no courier able to pick up here at all the floor would be Infinity: keep ready times then
      const e = fromArrival ? earliestPickup(rid) : -Infinity;
      const context = { now, risk, riskCourierValueMin: config.riskCourierValueMin, earliestPickupAt: Number.isFinite(e) ? e : undefined };
      out.push(...buildBundles(input.restaurants.get(rid)!, list, courierValue, travel, config, context));
    }
    return out;
  };
  // the end game keeps plain ready times (its own search decides what waits for what)
  const fromArrival = config.bundleReadyFromArrival && liveCouriers > config.bundleReadyFromArrivalMinCouriers;
  bundles.push(...bundleAll(candidates, fromArrival));

  const endgame = endgameMatches(now, bundleAll, input, config, travel, options.endgameCarry ?? null);
  if (endgame) return { ...finishRound(endgame.matches, endgame.matches.map((m) => m.bundle), [...joins, ...endgame.joins], input, config, travel, options), endgameCarry: endgame.carry };

  const matches: Match[] = [];
  if (bundles.length > 0 && couriers.length > 0) {
    const plans: (RoutePlan | null)[][] = [];
    // The matching's cost of bundle bi as a trip of courier c with the given plan.
    // an order at risk of finding no courier goes where it is surest, whatever the courier is paid
    const atRisk = bundles.map((b) => b.orders.some((o) => riskOf(o) > 0));
    const tripCost = (bi: number, c: CourierView, plan: RoutePlan): number => {
      const b = bundles[bi];
      const forecastRate = atRisk[bi] ? 0 : ordersPerCourierHour;
      const payWeight = payBlind || (atRisk[bi] && config.payBlindAtRisk) ? 0 : config.minutesPerDollar;
      let clickToDoor = 0;
      // Serving an order is worth more the longer it has waited: with a backlog, minimising
      // click-to-door alone would always serve the newest orders first and starve the oldest.
      b.orders.forEach((o, i) => (clickToDoor += plan.dropoffs[i] - o.placedAt - ageWeight * Math.max(0, now - o.placedAt - config.ageThresholdMin)));
      const emptyTravel = plan.arriveAt - plan.departAt;
      // An order that may soon find no courier at all is worth up to riskRewardFactor more orders.
      let reward = 0;
      for (const o of b.orders) reward += ORDER_REWARD * (1 + config.riskRewardFactor * riskOf(o));
      // Under a backlog every minute a courier spends is a minute another order waits.
      const busy = backlog * config.backlogBusyWeight * (plan.endAt - plan.departAt);
      // an order at risk goes where it is surest, not to the courier furthest under its guarantee
      const fair = fairRate > 0 && !atRisk[bi] ? config.payFairnessBandMin * fairnessOf(c) : 0;
      return clickToDoor + busy + config.emptyTravelWeight * emptyTravel + (payWeight > 0 ? payWeight * extraPay(c, b.orders.length, config, now, forecastRate) : 0) - fair - reward;
    };
    const cost = bundles.map((b, bi) => {
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
        return tripCost(bi, c, plan);
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
      const committed = isDue(now, plan, latestDepartAt, courier, b.orders, config);
      matches.push({ bundle: b, courier, plan, latestDepartAt, committed });
    });
  }

  rescueAtRisk(now, candidates, riskOf, matches, input, config, travel);
  if (config.chainRescue) chainRescue(now, bundles, riskOf, matches, input, config, travel);
  return finishRound(matches, bundles, joins, input, config, travel, options);
}

/**
 * Whether a match is sent now: its courier is free and on shift, and either must leave within
 * commitSlackMin to make the pickup, or one of its orders has waited commitByAgeMin since the click
 * (a platform that cancels unassigned orders would otherwise cancel it while it waits, provisional).
 */
function isDue(now: number, plan: RoutePlan, latestDepartAt: number, courier: CourierView, orders: readonly OpenOrder[], config: DispatchConfig): boolean {
  if (plan.departAt > now || courier.onTime > now) return false;
  if (latestDepartAt <= now + config.commitSlackMin) return true;
  return config.commitByAgeMin > 0 && orders.some((o) => now - o.placedAt >= config.commitByAgeMin);
}

/** Sends the committed matches and prepositions the couriers left idle. */
function finishRound(
  matches: Match[],
  bundles: Bundle[],
  joins: readonly Decision[],
  input: DispatchInput,
  config: DispatchConfig,
  travel: TravelTime,
  options: RoundOptions,
): DispatchRound {
  const { now } = input;
  const decisions: Decision[] = [...joins];
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
    // prepositionNetDemand: the placed orders this round matched to no courier are demand now
    const matched = new Set(matches.flatMap((m) => m.bundle.orders.map((o) => o.id)));
    const backlog = config.prepositionNetDemand ? input.openOrders.filter((o) => o.placedAt <= now && !matched.has(o.id)) : [];
    decisions.push(...prepositionMoves(now, idle, input.restaurants, input.recentOrders, travel, config, { backlog }));
  }
  return { decisions, matches, bundles, endgameCarry: null };
}

/**
 * The end of the day (see endgame.ts): once at most endgameMaxCouriers couriers are still on shift
 * and there are open orders, and all open orders make at most endgameMaxBundles bundles, each
 * courier's next trip comes from a search over whole trip sequences instead of the one-trip
 * matching. Returns null when the end game does not apply.
 */
function endgameMatches(
  now: number,
  bundleAll: (orders: readonly OpenOrder[]) => Bundle[],
  input: DispatchInput,
  config: DispatchConfig,
  travel: TravelTime,
  carry: EndgameCarry | null,
): { matches: Match[]; joins: JoinDecision[]; carry: EndgameCarry | null } | null {
  if (config.endgameMaxCouriers <= 0) return null;
  const live = input.couriers.filter((c) => c.offTime >= now);
  if (live.length === 0 || live.length > config.endgameMaxCouriers) return null;
  const placed = input.openOrders.filter((o) => o.placedAt <= now && input.restaurants.has(o.restaurantId));
  if (placed.length === 0) return null;
  const all = bundleAll(placed);
  if (all.length > config.endgameMaxBundles) return null;
  const hp = halfService(config.pickupServiceMin);
  const bnb = planEndgame(now, all, live, input.restaurants, travel, config);
  // endgameSearchIterations: the branch-and-bound plan re-planned over whole trip sequences
  // endgameCarryPlan: the first end-game round starts an (empty) carry, later ones pass it on
  const result = planEndgameSequences(now, placed, live, input.restaurants, travel, config, bnb, config.endgameCarryPlan ? (carry ?? { plans: new Map() }) : null);
  // a join is carried out only in the last round before the trip's pickup: until then the order
  // stays open and the next rounds may plan it otherwise (a join cannot be undone)
  const joins: JoinDecision[] = [];
  for (const c of live) {
    const join = result.joins.get(c.id);
    if (!join || !c.pendingTrip || now + config.reoptimizeEveryMin < c.pendingTrip.plan.pickupAt) continue;
    joins.push({ kind: 'join', courierId: c.id, restaurantId: join.restaurantId, orderIds: join.orders.map((o) => o.id), addedOrderIds: join.addedOrderIds, plan: join.plan });
  }
  const matches: Match[] = [];
  for (const c of live) {
    const trip = result.firstTrips.get(c.id);
    if (!trip) continue;
    const { plan } = trip;
    const latestDepartAt = plan.pickupAt - hp - (plan.arriveAt - plan.departAt);
    const committed = isDue(now, plan, latestDepartAt, c, trip.bundle.orders, config);
    matches.push({ bundle: trip.bundle, courier: c, plan, latestDepartAt, committed });
  }
  return { matches, joins, carry: result.carry };
}

/**
 * Pay above what the courier is guaranteed anyway: max(perOrder × orders, perHour × hours). With
 * payForecastWeight, "orders" counts the ones it is expected to get before its off time too: a
 * fresh courier in a busy hour will pass its guarantee anyway (its orders cost full pay), while
 * one near its off time below the guarantee is paid the same whether it takes the order or not.
 */
function extraPay(c: CourierView, extraOrders: number, config: DispatchConfig, now: number, ordersPerCourierHour: number): number {
  const guaranteed = (config.payPerHour * (c.offTime - c.onTime)) / 60;
  const hoursLeft = Math.max(0, c.offTime - Math.max(now, c.freeAt, c.onTime)) / 60;
  const future = config.payForecastWeight * ordersPerCourierHour * hoursLeft;
  if (config.payForecastPoisson && future > 0) {
    // expected pay = guarantee + perOrder × E[max(0, orders + F − guarantee / perOrder)], F ~ Poisson(future)
    const a = guaranteed / config.payPerOrder - c.ordersAssigned;
    return config.payPerOrder * (poissonExcess(future, a - extraOrders) - poissonExcess(future, a));
  }
  const expected = c.ordersAssigned + future;
  const before = Math.max(config.payPerOrder * expected, guaranteed);
  const after = Math.max(config.payPerOrder * (expected + extraOrders), guaranteed);
  return after - before;
}

/**
 * Dollars of its guarantee courier c is expected to be paid for nothing: perOrder × E[max(0, a − F)]
 * with a = guarantee / perOrder − orders so far and F ~ Poisson(weight × rate × hours left).
 */
export function expectedUnearned(c: CourierView, config: DispatchConfig, now: number, ordersPerCourierHour: number, weight = config.payForecastWeight): number {
  const guaranteed = (config.payPerHour * (c.offTime - c.onTime)) / 60;
  const hoursLeft = Math.max(0, c.offTime - Math.max(now, c.freeAt, c.onTime)) / 60;
  const future = weight * ordersPerCourierHour * hoursLeft;
  const a = guaranteed / config.payPerOrder - c.ordersAssigned;
  if (a <= 0) return 0;
  // E[max(0, a − F)] = a − λ + E[max(0, F − a)]
  return config.payPerOrder * Math.max(0, a - future + poissonExcess(future, a));
}

/** E[max(0, F − a)] for F ~ Poisson(lambda): lambda − a + Σ_{f ≤ a} (a − f) P(F = f). */
export function poissonExcess(lambda: number, a: number): number {
  let excess = lambda - a;
  let pmf = Math.exp(-lambda);
  for (let f = 0; f <= a; f++) {
    excess += (a - f) * pmf;
    pmf *= lambda / (f + 1);
  }
  return excess;
}

/** Orders placed per hour in the demand window, per courier on shift now. */
function recentOrdersPerCourierHour(input: DispatchInput, config: DispatchConfig): number {
  if (config.payForecastWeight <= 0) return 0;
  const { now } = input;
  if (input.couriers.filter((c) => c.offTime >= now).length <= config.payForecastMinCouriers) return 0;
  return ordersPerCourierHourNow(input, config);
}

/** Orders placed per hour in the demand window, per courier on shift now (no gate). */
function ordersPerCourierHourNow(input: DispatchInput, config: DispatchConfig): number {
  const { now } = input;
  const recent = input.recentOrders.filter((s) => s.placedAt > now - config.demandWindowMin && s.placedAt <= now).length;
  const onShift = input.couriers.filter((c) => c.onTime <= now && c.offTime >= now).length;
  return (recent * 60) / config.demandWindowMin / Math.max(1, onShift);
}

/**
 * The late-day rescue: an order at risk of finding no courier rides along with a pickup at its
 * restaurant if it is ready by then (or within rescueWaitMin, delaying that pickup) and the
 * courier still picks up by its off time. Committed pickups are tried first and take the order
 * even from a provisional match (the courier going there now is the surest one; the provisional
 * one is freed for another order); orders the matching left out may also join provisional ones.
 * This costs the bundle's other orders one more drop-off; leaving the order behind may cost it
 * its delivery.
 */
function rescueAtRisk(
  now: number,
  candidates: readonly OpenOrder[],
  riskOf: (o: OpenOrder) => number,
  matches: Match[],
  input: DispatchInput,
  config: DispatchConfig,
  travel: TravelTime,
): void {
  if (config.rescueMaxBundleSize <= 0) return;
  const matchOf = new Map<string, Match>();
  for (const m of matches) for (const o of m.bundle.orders) matchOf.set(o.id, m);
  const atRisk = candidates.filter((o) => riskOf(o) > 0 && !matchOf.get(o.id)?.committed);
  atRisk.sort((a, b) => riskOf(b) - riskOf(a) || a.readyAt - b.readyAt || (a.id < b.id ? -1 : 1));
  for (const o of atRisk) {
    const own = matchOf.get(o.id);
    let best: { m: Match; orders: OpenOrder[]; plan: RoutePlan; extra: number } | null = null;
    for (const m of matches) {
      if (m === own || m.bundle.restaurantId !== o.restaurantId || m.bundle.orders.length >= config.rescueMaxBundleSize) continue;
      // a provisional match only takes orders nobody else is going to serve
      if (!m.committed && own) continue;
      if (best && best.m.committed && !m.committed) continue;
      if (o.readyAt > m.plan.pickupAt + config.rescueWaitMin) continue;
      const r = input.restaurants.get(o.restaurantId)!;
      const orders = bestSequence(r.loc, [...m.bundle.orders, o], travel, config.dropoffServiceMin);
      const c = m.courier;
      const plan = planRoute({ at: Math.max(c.freeAt, c.onTime), loc: c.freeLoc, restaurantId: c.freeRestaurantId }, now, r.id, r.loc, orders, travel, config);
      if (plan.pickupAt > c.offTime) continue;
      // the delay the rider-along adds to the orders already in the bundle
      let extra = 0;
      for (const x of m.bundle.orders) extra += plan.dropoffs[orders.indexOf(x)] - m.plan.dropoffs[m.bundle.orders.indexOf(x)];
      if (best === null || (m.committed && !best.m.committed) || extra < best.extra) best = { m, orders, plan, extra };
    }
    if (!best) continue;
    if (own) detach(own, o, input, config, travel, now, matches);
    setBundle(best.m, best.orders, best.plan, config);
    matchOf.set(o.id, best.m);
  }
}

function setBundle(m: Match, orders: OpenOrder[], plan: RoutePlan, config: DispatchConfig): void {
  m.bundle = { restaurantId: m.bundle.restaurantId, orders };
  m.plan = plan;
  m.latestDepartAt = plan.pickupAt - halfService(config.pickupServiceMin) - (plan.arriveAt - plan.departAt);
}

/** Takes an order out of a provisional match (dropping the match when it was its only order). */
function detach(m: Match, o: OpenOrder, input: DispatchInput, config: DispatchConfig, travel: TravelTime, now: number, matches: Match[]): void {
  const rest = m.bundle.orders.filter((x) => x.id !== o.id);
  if (rest.length === 0) {
    matches.splice(matches.indexOf(m), 1);
    return;
  }
  const r = input.restaurants.get(m.bundle.restaurantId)!;
  const c = m.courier;
  setBundle(m, rest, planRoute({ at: Math.max(c.freeAt, c.onTime), loc: c.freeLoc, restaurantId: c.freeRestaurantId }, now, r.id, r.loc, rest, travel, config), config);
}

/**
 * The late-day chain: an at-risk bundle still unmatched goes first to a courier that can serve it
 * and still pick up its own match by its off time afterwards. The courier's own match goes back to
 * the pool: the next round sees it from where the courier will then be (and, being at risk by
 * then, gives it priority). Without this, one trip per courier per round leaves the order behind
 * whenever the last couriers are all matched, although one of them had time for both.
 */
function chainRescue(
  now: number,
  bundles: readonly Bundle[],
  riskOf: (o: OpenOrder) => number,
  matches: Match[],
  input: DispatchInput,
  config: DispatchConfig,
  travel: TravelTime,
): void {
  const matched = new Set<string>();
  for (const m of matches) for (const o of m.bundle.orders) matched.add(o.id);
  const left = bundles.filter((b) => b.orders.every((o) => !matched.has(o.id)) && b.orders.some((o) => riskOf(o) > 0));
  const used = new Set<Match>();
  const hp = halfService(config.pickupServiceMin);
  for (const u of left) {
    const ru = input.restaurants.get(u.restaurantId)!;
    let best: { m: Match; plan: RoutePlan; lateness: number } | null = null;
    for (const m of matches) {
      if (used.has(m) || m.bundle.restaurantId === u.restaurantId) continue;
      const c = m.courier;
      const first = planRoute({ at: Math.max(c.freeAt, c.onTime), loc: c.freeLoc, restaurantId: c.freeRestaurantId }, now, ru.id, ru.loc, u.orders, travel, config);
      if (first.pickupAt > c.offTime) continue;
      const rb = input.restaurants.get(m.bundle.restaurantId)!;
      const last = u.orders[u.orders.length - 1];
      const then = planRoute({ at: first.endAt, loc: last.drop, restaurantId: null }, now, rb.id, rb.loc, m.bundle.orders, travel, config);
      if (then.pickupAt > c.offTime) continue;
      // how much later the courier's own bundle is picked up; the least is best
      const lateness = then.pickupAt - m.plan.pickupAt;
      if (best === null || lateness < best.lateness) best = { m, plan: first, lateness };
    }
    if (!best) continue;
    const { m, plan } = best;
    m.bundle = u;
    m.plan = plan;
    m.latestDepartAt = plan.pickupAt - hp - (plan.arriveAt - plan.departAt);
    m.committed = isDue(now, plan, m.latestDepartAt, m.courier, u.orders, config);
    used.add(m);
  }
}
