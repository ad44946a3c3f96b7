import type { DemandSample, OpenOrder, Point, Restaurant } from './types.js';

/** What the phantom forecast needs from the configuration. */
export interface PhantomRules {
  endgamePhantomWindowMin: number;
  endgamePhantomMinExpected: number;
  endgamePhantomMax: number;
  endgamePhantomMaxCover: number;
  endgamePhantomPerRestaurant: number;
}

/** Ids of phantom orders start with this (no real order id does: MDRP ids are o<n>, live ones UUIDs). */
export const PHANTOM_PREFIX = '~phantom:';

export function isPhantom(o: { id: string }): boolean {
  return o.id.startsWith(PHANTOM_PREFIX);
}

/** Preparation minutes assumed when no recent order says how long food takes. */
const DEFAULT_PREP_MIN = 15;

/**
 * Orders the end game expects but nobody has placed yet: for each restaurant with orders in the
 * trailing window, the rate per minute is (orders in the window) / window; if that rate over the
 * minutes left until the last courier's off_time gives at least endgamePhantomMinExpected orders,
 * phantoms are expected there (up to endgamePhantomPerRestaurant), the j-th placed j mean gaps
 * (j / rate) from now if that is before the last off_time, and ready a typical
 * preparation later (the median over the window's orders that report one), going where the
 * restaurant's recent order of median distance went (the restaurant itself if none reports a
 * drop). At most endgamePhantomMax phantoms, the most expected first. No randomness: the same
 * history gives the same phantoms. The end game values them below real orders and never sends
 * them (endgame.ts): they only keep capacity where demand is expected.
 */
export function phantomOrders(
  now: number,
  samples: readonly DemandSample[],
  restaurants: ReadonlyMap<string, Restaurant>,
  lastOffTime: number,
  rules: PhantomRules,
  /** How many couriers could still serve an order at a restaurant placed at the given time (for endgamePhantomMaxCover). */
  cover: (restaurantId: string, placedAt: number, readyAt: number) => number = () => 0,
): OpenOrder[] {
  const horizon = lastOffTime - now;
  const window = rules.endgamePhantomWindowMin;
  if (horizon <= 0 || window <= 0 || rules.endgamePhantomMax <= 0) return [];
  const byRestaurant = new Map<string, DemandSample[]>();
  const preps: number[] = [];
  for (const s of samples) {
    if (s.placedAt <= now - window || s.placedAt > now || !restaurants.has(s.restaurantId)) continue;
    const list = byRestaurant.get(s.restaurantId);
    if (list) list.push(s);
    else byRestaurant.set(s.restaurantId, [s]);
    if (s.readyAt !== undefined) preps.push(Math.max(0, s.readyAt - s.placedAt));
  }
  const prep = preps.length > 0 ? median(preps) : DEFAULT_PREP_MIN;
  // endgamePhantomPerRestaurant: the j-th expected order of a restaurant is placed j mean gaps from
  // now (if before the last off_time); the first ones of every restaurant come before any second one
  const rated = [...byRestaurant.entries()]
    .map(([rid, list]) => ({ rid, list, rate: list.length / window }))
    .filter((e) => e.rate * horizon >= rules.endgamePhantomMinExpected)
    .sort((a, b) => b.rate - a.rate || (a.rid < b.rid ? -1 : 1));
  const expected: OpenOrder[] = [];
  for (let j = 1; j <= Math.max(1, rules.endgamePhantomPerRestaurant); j++) {
    for (const { rid, list, rate } of rated) {
      if (now + j / rate >= lastOffTime) continue;
      // whole minutes, like every time in a plan
      const placedAt = Math.ceil(now + j / rate);
      expected.push({ id: `${PHANTOM_PREFIX}${rid}#${j}`, restaurantId: rid, placedAt, readyAt: Math.ceil(placedAt + prep), drop: typicalDrop(restaurants.get(rid)!.loc, list) });
    }
  }
  const kept = expected
    // endgamePhantomMaxCover: only where few couriers could serve the expected order (where losing one's reach loses the order)
    .filter((o) => rules.endgamePhantomMaxCover <= 0 || cover(o.restaurantId, o.placedAt, o.readyAt) <= rules.endgamePhantomMaxCover);
  return kept.slice(0, rules.endgamePhantomMax);
}

/** The drop of the sample at median distance from the restaurant (ties: the later sample). */
function typicalDrop(at: Point, samples: readonly DemandSample[]): Point {
  const drops = samples.filter((s) => s.drop !== undefined).map((s) => ({ p: s.drop!, d: Math.hypot(s.drop!.x - at.x, s.drop!.y - at.y), t: s.placedAt }));
  if (drops.length === 0) return at;
  drops.sort((a, b) => a.d - b.d || a.t - b.t);
  return drops[Math.floor(drops.length / 2)].p;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}
