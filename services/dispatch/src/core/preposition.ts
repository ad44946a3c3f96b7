import { solveAssignment } from '@riderflow/geo';
import { netDemand } from './net-demand.js';
import type { CourierView, DemandSample, OpenOrder, RepositionDecision, Restaurant, TravelTime } from './types.js';

export interface PrepositionRules {
  demandWindowMin: number;
  prepositionMinDemand: number;
  prepositionMinMoveMin: number;
  prepositionMaxMoveMin: number;
  prepositionMinShiftLeftMin: number;
  prepositionNetDemand: boolean;
  prepositionForecastHorizonMin: number;
  prepositionNetHeadingOnly: boolean;
}

/** With prepositionNetDemand: the placed orders no courier is matched to this round (net-demand.ts). */
export interface PrepositionContext {
  backlog: readonly OpenOrder[];
}

/**
 * Expected demand per restaurant: the orders placed there in the trailing window. Meal demand is
 * strongly autocorrelated within an evening, so the recent past is a fair forecast of the next hour.
 */
export function recentDemand(now: number, samples: readonly DemandSample[], windowMin: number): Map<string, number> {
  const demand = new Map<string, number>();
  for (const s of samples) {
    if (s.placedAt > now - windowMin && s.placedAt <= now) demand.set(s.restaurantId, (demand.get(s.restaurantId) ?? 0) + 1);
  }
  return demand;
}

/**
 * Sends idle couriers toward restaurants with expected demand. Each restaurant with at least
 * prepositionMinDemand recent orders offers one courier slot per two recent orders (a courier
 * serves about two orders an hour); idle couriers are matched to slots by least travel time. A
 * courier whose slot is within prepositionMinMoveMin stays where it is (it is already close to
 * demand), and none is sent farther than prepositionMaxMoveMin. With prepositionNetDemand the slots
 * are the forecast net of the backlog and of the couriers already coming (net-demand.ts); the
 * couriers not free to move (busy, on their way, not yet on shift) are the supply it nets.
 */
export function prepositionMoves(
  now: number,
  idle: readonly CourierView[],
  restaurants: ReadonlyMap<string, Restaurant>,
  samples: readonly DemandSample[],
  travel: TravelTime,
  rules: PrepositionRules,
  context: PrepositionContext = { backlog: [] },
): RepositionDecision[] {
  const canMove = (c: CourierView) => c.freeAt <= now && c.onTime <= now && c.offTime - now >= rules.prepositionMinShiftLeftMin;
  const movable = idle.filter(canMove);
  if (movable.length === 0) return [];
  const slots: Restaurant[] = [];
  if (rules.prepositionNetDemand) {
    const supply = idle.filter((c) => !canMove(c));
    for (const d of netDemand(now, restaurants, samples, context.backlog, supply, travel, rules)) {
      const r = restaurants.get(d.restaurantId)!;
      for (let k = 0; k < d.slots; k++) slots.push(r);
    }
  } else {
    const demand = recentDemand(now, samples, rules.demandWindowMin);
    for (const [rid, n] of [...demand.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) {
      const r = restaurants.get(rid);
      if (!r || n < rules.prepositionMinDemand) continue;
      for (let k = 0; k < Math.ceil(n / 2); k++) slots.push(r);
    }
  }
  if (slots.length === 0) return [];
  const cost = movable.map((c) =>
    slots.map((r) => {
      if (c.freeRestaurantId === r.id) return 0;
      const tt = travel(c.freeLoc, r.loc);
      return tt > rules.prepositionMaxMoveMin ? Infinity : tt;
    }),
  );
  const { rowToCol } = solveAssignment(cost);
  const moves: RepositionDecision[] = [];
  movable.forEach((c, i) => {
    const j = rowToCol[i];
    if (j < 0) return;
    const r = slots[j];
    if (c.freeRestaurantId === r.id) return;
    const tt = travel(c.freeLoc, r.loc);
    if (tt < rules.prepositionMinMoveMin) return;
    moves.push({ kind: 'reposition', courierId: c.id, restaurantId: r.id, departAt: now, arriveAt: now + tt });
  });
  return moves;
}
