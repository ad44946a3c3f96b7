import type { CourierView, DemandSample, OpenOrder, Restaurant, TravelTime } from './types.js';

export interface NetDemandRules {
  demandWindowMin: number;
  prepositionMinDemand: number;
  prepositionMinMoveMin: number;
  prepositionMinShiftLeftMin: number;
  prepositionForecastHorizonMin: number;
  prepositionNetHeadingOnly: boolean;
}

/** What a restaurant needs over the forecast horizon, and what is already coming to it. */
export interface NetDemand {
  restaurantId: string;
  /** Orders expected in the horizon at the recent rate (recent orders × horizon / window). */
  forecast: number;
  /** Placed orders of the restaurant that no courier is matched to this round. */
  backlog: number;
  /** Couriers not free to move that will be free at the restaurant (or within a minimum move of it) within the horizon. */
  supply: number;
  /** Courier slots to fill with idle couriers: ⌈forecast + backlog − supply⌉, at least 0. */
  slots: number;
}

/**
 * Per restaurant, the couriers still wanted there over the next prepositionForecastHorizonMin:
 * the recent rate's forecast plus the placed orders nobody is matched to (the backlog), net of the
 * couriers that will be there anyway — busy ones whose plan ends at or near it, ones already on
 * their way to it (a prepositioning move is a plan ending there), ones starting their shift there.
 * Without the netting every round re-sends idle couriers to a restaurant others are already
 * heading to, and a restaurant whose placed orders wait for a courier counts no more than one that
 * merely had orders an hour ago. With prepositionNetHeadingOnly the supply is only the couriers whose
 * plan ends at the restaurant itself (on their way there, or waiting there) and the backlog is not
 * added: the plain rule less its double sends. At a 30-min horizon and a 60-min window the forecast is one slot
 * per two recent orders, the plain rule's. Restaurants in name order within equal need, so the
 * result is deterministic.
 */
export function netDemand(
  now: number,
  restaurants: ReadonlyMap<string, Restaurant>,
  samples: readonly DemandSample[],
  backlog: readonly OpenOrder[],
  supply: readonly CourierView[],
  travel: TravelTime,
  rules: NetDemandRules,
): NetDemand[] {
  const recent = new Map<string, number>();
  for (const s of samples) {
    if (s.placedAt > now - rules.demandWindowMin && s.placedAt <= now) recent.set(s.restaurantId, (recent.get(s.restaurantId) ?? 0) + 1);
  }
  const waiting = new Map<string, number>();
  if (!rules.prepositionNetHeadingOnly) for (const o of backlog) if (o.placedAt <= now) waiting.set(o.restaurantId, (waiting.get(o.restaurantId) ?? 0) + 1);
  const horizonEnd = now + rules.prepositionForecastHorizonMin;
  // couriers that will be free within the horizon with shift enough left to serve an order
  const coming = supply.filter((c) => {
    const from = Math.max(now, c.freeAt, c.onTime);
    return from <= horizonEnd && c.offTime - from >= rules.prepositionMinShiftLeftMin;
  });
  const out: NetDemand[] = [];
  const ids = [...new Set([...recent.keys(), ...waiting.keys()])].sort();
  for (const rid of ids) {
    const r = restaurants.get(rid);
    if (!r) continue;
    const n = recent.get(rid) ?? 0;
    const b = waiting.get(rid) ?? 0;
    if (n + b < rules.prepositionMinDemand) continue;
    const forecast = (n * rules.prepositionForecastHorizonMin) / rules.demandWindowMin;
    let s = 0;
    for (const c of coming) {
      if (c.freeRestaurantId === rid || (!rules.prepositionNetHeadingOnly && travel(c.freeLoc, r.loc) < rules.prepositionMinMoveMin)) s++;
    }
    // a hair under an integer must not round up to a whole courier more
    const slots = Math.max(0, Math.ceil(forecast + b - s - 1e-9));
    out.push({ restaurantId: rid, forecast, backlog: b, supply: s, slots });
  }
  return out.sort((a, b) => b.forecast + b.backlog - b.supply - (a.forecast + a.backlog - a.supply) || (a.restaurantId < b.restaurantId ? -1 : 1));
}
