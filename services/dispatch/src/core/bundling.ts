import { bestSequence, planRoute, type ServiceMinutes } from './route.js';
import type { OpenOrder, Restaurant, TravelTime } from './types.js';

/** Orders of one restaurant to be picked up together, in drop-off sequence. */
export interface Bundle {
  restaurantId: string;
  orders: OpenOrder[];
}

export interface BundlingRules extends ServiceMinutes {
  maxBundleSize: number;
  bundleReadySpreadMin: number;
}

/** What the round knows beyond the orders: the time, and how close each order is to finding no courier. */
export interface BundlingContext {
  /** Orders already ready count as ready now: a backlog of ready orders can always share a pickup. */
  now: number;
  /** Risk in [0, 1] per order id (see risk.ts); missing = 0. */
  risk: ReadonlyMap<string, number>;
  /** Extra courier value (minutes) of a merge, times the larger risk of its two parts. */
  riskCourierValueMin: number;
  /**
   * bundleReadyFromArrival: the earliest pickup any courier could make at this restaurant (from
   * where and when it is free). An order ready before it counts as ready then: under load no
   * courier can be there sooner, so waiting for a later order costs less than its ready times say.
   * Missing = no floor.
   */
  earliestPickupAt?: number;
}

/**
 * Delivery delay of a bundle for a courier that is at the restaurant when the food is ready: the
 * sum over its orders of drop-off minus ready time. Comparing a bundle with its parts served
 * separately isolates what bundling itself costs (the waiting for the last ready order, the
 * detour of the shared trip) from where couriers happen to be.
 */
export function bundleDelay(restaurant: Restaurant, orders: readonly OpenOrder[], travel: TravelTime, rules: ServiceMinutes): number {
  const plan = planRoute({ at: -Infinity, loc: restaurant.loc, restaurantId: restaurant.id }, -Infinity, restaurant.id, restaurant.loc, orders, travel, rules);
  let sum = 0;
  orders.forEach((o, i) => (sum += plan.dropoffs[i] - o.readyAt));
  return sum;
}

/**
 * Groups one restaurant's orders into bundles. Starting from single orders it repeatedly makes the
 * merge with the largest gain, where gain = (delay of the parts) + courierValueMin − (delay of the
 * merged bundle): a merge happens only when the delay it adds is worth less than the courier it
 * frees. courierValueMin is set by the caller from how scarce couriers are.
 */
export function buildBundles(
  restaurant: Restaurant,
  orders: readonly OpenOrder[],
  courierValueMin: number,
  travel: TravelTime,
  rules: BundlingRules,
  context: BundlingContext = { now: -Infinity, risk: new Map(), riskCourierValueMin: 0 },
): Bundle[] {
  type Group = { orders: OpenOrder[]; delay: number; minReady: number; maxReady: number; risk: number };
  const floor = Math.max(context.now, context.earliestPickupAt ?? -Infinity);
  const ready = (o: OpenOrder) => Math.max(o.readyAt, floor);
  // delays are measured from when an order can first leave (ready, or now if it already is, or
  // with bundleReadyFromArrival the earliest pickup any courier could make here)
  const asOfNow = (os: readonly OpenOrder[]) => os.map((o) => (o.readyAt >= floor ? o : { ...o, readyAt: floor }));
  const groups: Group[] = [...orders]
    .sort((a, b) => a.readyAt - b.readyAt || (a.id < b.id ? -1 : 1))
    .map((o) => ({
      orders: [o],
      delay: bundleDelay(restaurant, asOfNow([o]), travel, rules),
      minReady: ready(o),
      maxReady: ready(o),
      risk: context.risk.get(o.id) ?? 0,
    }));
  if (rules.maxBundleSize > 1) {
    for (;;) {
      let best: { i: number; j: number; gain: number; merged: Group } | null = null;
      for (let i = 0; i < groups.length; i++) {
        for (let j = i + 1; j < groups.length; j++) {
          const a = groups[i];
          const b = groups[j];
          if (a.orders.length + b.orders.length > rules.maxBundleSize) continue;
          const minReady = Math.min(a.minReady, b.minReady);
          const maxReady = Math.max(a.maxReady, b.maxReady);
          const risk = Math.max(a.risk, b.risk);
          // an order at risk of finding no courier may wait longer for a shared pickup
          if (risk === 0 && maxReady - minReady > rules.bundleReadySpreadMin) continue;
          const seq = bestSequence(restaurant.loc, [...a.orders, ...b.orders], travel, rules.dropoffServiceMin);
          const delay = bundleDelay(restaurant, asOfNow(seq), travel, rules);
          const gain = a.delay + b.delay + courierValueMin + context.riskCourierValueMin * risk - delay;
          if (gain > 0 && (best === null || gain > best.gain)) {
            best = { i, j, gain, merged: { orders: seq, delay, minReady, maxReady, risk } };
          }
        }
      }
      if (best === null) break;
      groups[best.i] = best.merged;
      groups.splice(best.j, 1);
    }
  }
  return groups.map((g) => ({ restaurantId: restaurant.id, orders: g.orders }));
}
