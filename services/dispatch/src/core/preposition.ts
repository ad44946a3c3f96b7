import { solveAssignment } from '@riderflow/geo';
import type { CourierView, DemandSample, RepositionDecision, Restaurant, TravelTime } from './types.js';
import { halfService } from './route.js';

export interface PrepositionRules {
  demandWindowMin: number;
  prepositionMinDemand: number;
  prepositionMinMoveMin: number;
  prepositionMaxMoveMin: number;
  prepositionMinShiftLeftMin: number;
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
 * demand), and none is sent farther than prepositionMaxMoveMin.
 */
export function prepositionMoves(
  now: number,
  idle: readonly CourierView[],
  restaurants: ReadonlyMap<string, Restaurant>,
  samples: readonly DemandSample[],
  travel: TravelTime,
  rules: PrepositionRules,
): RepositionDecision[] {
  const movable = idle.filter((c) => c.freeAt <= now && c.onTime <= now && c.offTime - now >= rules.prepositionMinShiftLeftMin);
  if (movable.length === 0) return [];
  const demand = recentDemand(now, samples, rules.demandWindowMin);
  const slots: Restaurant[] = [];
  for (const [rid, n] of [...demand.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) {
    const r = restaurants.get(rid);
    if (!r || n < rules.prepositionMinDemand) continue;
    for (let k = 0; k < Math.ceil(n / 2); k++) slots.push(r);
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

export interface CoverageRules extends PrepositionRules {
  prepositionCoverageDepth: number;
  prepositionCoverageLeadMin: number;
  pickupServiceMin: number;
}

/**
 * End-of-day coverage (prepositionCoverageMaxCouriers): with few couriers left, where they wait
 * decides which restaurants anyone can still reach by an off_time. A restaurant with recent demand
 * is covered by a courier that could be there (from where its plan ends, or from where it is
 * sent), leaving no earlier than prepositionCoverageLeadMin from now, and pick up by its off_time; the score is Σ recent orders × min(couriers covering it,
 * depth). Each idle courier in turn (by id) keeps the ordinary prepositioning move (or staying)
 * unless moving to another restaurant with recent demand raises the score; an ordinary move that
 * lowers the score is replaced by staying when staying scores more. Deterministic.
 */
export function coverageMoves(
  now: number,
  live: readonly CourierView[],
  idle: readonly CourierView[],
  ordinary: readonly RepositionDecision[],
  restaurants: ReadonlyMap<string, Restaurant>,
  samples: readonly DemandSample[],
  travel: TravelTime,
  rules: CoverageRules,
): RepositionDecision[] {
  const demand = recentDemand(now, samples, rules.demandWindowMin);
  const demanded = [...demand.entries()]
    .filter(([rid]) => restaurants.has(rid))
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([rid, n]) => ({ r: restaurants.get(rid)!, n }));
  if (demanded.length === 0) return [...ordinary];
  const hp = halfService(rules.pickupServiceMin);
  // each courier's position: where and when its plan ends (or the move it is given)
  const pos = new Map(live.map((c) => [c.id, { at: Math.max(now, c.freeAt, c.onTime), loc: c.freeLoc, rid: c.freeRestaurantId }]));
  const offOf = new Map(live.map((c) => [c.id, c.offTime]));
  // an order placed lead minutes from now is known only then: the courier leaves for it no earlier
  // (reach by the off_time alone would never favour a move: leaving now or later from the same spot)
  const lead = now + rules.prepositionCoverageLeadMin;
  const covers = (id: string, p: { at: number; loc: CourierView['freeLoc']; rid: string | null }, r: Restaurant) =>
    Math.max(lead, p.at) + (p.rid === r.id ? 0 : travel(p.loc, r.loc)) + hp <= offOf.get(id)!;
  const score = (): number => {
    let s = 0;
    for (const { r, n } of demanded) {
      let k = 0;
      for (const [id, p] of pos) if (covers(id, p, r) && ++k >= rules.prepositionCoverageDepth) break;
      s += n * Math.min(k, rules.prepositionCoverageDepth);
    }
    return s;
  };
  const ordinaryOf = new Map(ordinary.map((m) => [m.courierId, m]));
  const out: RepositionDecision[] = [];
  const movable = [...idle].filter((c) => c.freeAt <= now && c.onTime <= now && pos.has(c.id)).sort((a, b) => (a.id < b.id ? -1 : 1));
  for (const c of movable) {
    const stay = pos.get(c.id)!;
    const move = ordinaryOf.get(c.id);
    const options: { rid: string | null; s: number }[] = [];
    const tryAt = (r: Restaurant | null) => {
      pos.set(c.id, r ? { at: now + (stay.rid === r.id ? 0 : travel(stay.loc, r.loc)), loc: r.loc, rid: r.id } : stay);
      options.push({ rid: r ? r.id : null, s: score() });
    };
    // the ordinary choice first (ties keep it), then staying, then every demanded restaurant
    if (move) tryAt(restaurants.get(move.restaurantId)!);
    tryAt(null);
    for (const { r } of demanded) if (r.id !== move?.restaurantId && r.id !== stay.rid) tryAt(r);
    let best = options[0];
    for (const o of options) if (o.s > best.s) best = o;
    if (best.rid === null) pos.set(c.id, stay);
    else {
      const r = restaurants.get(best.rid)!;
      const tt = stay.rid === r.id ? 0 : travel(stay.loc, r.loc);
      pos.set(c.id, { at: now + tt, loc: r.loc, rid: r.id });
      if (move && move.restaurantId === r.id) out.push(move);
      else out.push({ kind: 'reposition', courierId: c.id, restaurantId: r.id, departAt: now, arriveAt: now + tt });
    }
  }
  // ordinary moves of couriers not considered here are kept
  for (const m of ordinary) if (!movable.some((c) => c.id === m.courierId)) out.push(m);
  return out;
}
