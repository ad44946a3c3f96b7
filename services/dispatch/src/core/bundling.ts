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
): Bundle[] {
  type Group = { orders: OpenOrder[]; delay: number; minReady: number; maxReady: number };
  const groups: Group[] = [...orders]
    .sort((a, b) => a.readyAt - b.readyAt || (a.id < b.id ? -1 : 1))
    .map((o) => ({ orders: [o], delay: bundleDelay(restaurant, [o], travel, rules), minReady: o.readyAt, maxReady: o.readyAt }));
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
          if (maxReady - minReady > rules.bundleReadySpreadMin) continue;
          const seq = bestSequence(restaurant.loc, [...a.orders, ...b.orders], travel, rules.dropoffServiceMin);
          const delay = bundleDelay(restaurant, seq, travel, rules);
          const gain = a.delay + b.delay + courierValueMin - delay;
          if (gain > 0 && (best === null || gain > best.gain)) {
            best = { i, j, gain, merged: { orders: seq, delay, minReady, maxReady } };
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
