import type { OpenOrder, Point, RoutePlan, TravelTime } from './types.js';

/** Where and when a courier can start a new instruction. */
export interface RouteStart {
  at: number;
  loc: Point;
  restaurantId: string | null;
}

export interface ServiceMinutes {
  pickupServiceMin: number;
  dropoffServiceMin: number;
}

/**
 * Half a service time in whole minutes. Rounded up so every time we write stays an integer and
 * still satisfies "no earlier than arrival plus half the service time".
 */
export function halfService(minutes: number): number {
  return Math.ceil(minutes / 2);
}

/**
 * The timeline of one pickup-and-deliver instruction, by the MDRP rules: leave when free (not before
 * now), pick up no earlier than arrival + half the pickup service and the latest ready time, leave
 * half a service later; each drop-off half a drop-off service after arriving, leave half a service
 * later. A courier already waiting at the restaurant can pick up as soon as the order is given
 * (`now`), half a service after it arrived.
 */
export function planRoute(
  start: RouteStart,
  now: number,
  restaurantId: string,
  restaurantLoc: Point,
  orders: readonly OpenOrder[],
  travel: TravelTime,
  service: ServiceMinutes,
): RoutePlan {
  const hp = halfService(service.pickupServiceMin);
  const hd = halfService(service.dropoffServiceMin);
  const departAt = Math.max(now, start.at);
  const here = start.restaurantId === restaurantId;
  const arriveAt = here ? departAt : departAt + travel(start.loc, restaurantLoc);
  let ready = -Infinity;
  for (const o of orders) ready = Math.max(ready, o.readyAt);
  // A courier already waiting at the restaurant arrived at start.at: the rule is pickup no earlier
  // than arrival plus half the service, and not before the order is given (now).
  const pickupAt = here ? Math.max(start.at + hp, departAt, ready) : Math.max(arriveAt + hp, ready);
  const leaveRestaurantAt = pickupAt + hp;
  const dropoffs: number[] = [];
  let t = leaveRestaurantAt;
  let at = restaurantLoc;
  for (const o of orders) {
    const drop = t + travel(at, o.drop) + hd;
    dropoffs.push(drop);
    t = drop + hd;
    at = o.drop;
  }
  return { departAt, arriveAt, pickupAt, leaveRestaurantAt, dropoffs, endAt: t };
}

/**
 * The drop-off sequence that delivers a bundle soonest in total (every order of a bundle waits for
 * the same pickup, so the sum of drop-off times is what differs). Exhaustive up to 4 orders.
 */
export function bestSequence(
  restaurantLoc: Point,
  orders: readonly OpenOrder[],
  travel: TravelTime,
  dropoffServiceMin: number,
): OpenOrder[] {
  if (orders.length <= 1) return [...orders];
  const hd = halfService(dropoffServiceMin);
  const cost = (seq: readonly OpenOrder[]) => {
    let t = 0;
    let sum = 0;
    let here = restaurantLoc;
    for (const o of seq) {
      t += travel(here, o.drop) + hd;
      sum += t;
      t += hd;
      here = o.drop;
    }
    return sum;
  };
  if (orders.length > 4) {
    // nearest neighbour for large bundles (never produced with the default maxBundleSize)
    const left = [...orders];
    const seq: OpenOrder[] = [];
    let here = restaurantLoc;
    while (left.length > 0) {
      let bi = 0;
      for (let i = 1; i < left.length; i++) if (travel(here, left[i].drop) < travel(here, left[bi].drop)) bi = i;
      const [o] = left.splice(bi, 1);
      seq.push(o);
      here = o.drop;
    }
    return seq;
  }
  let best: OpenOrder[] = [...orders];
  let bestCost = cost(best);
  for (const perm of permutations(orders)) {
    const c = cost(perm);
    if (c < bestCost) {
      bestCost = c;
      best = perm;
    }
  }
  return best;
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  const out: T[][] = [];
  items.forEach((item, i) => {
    const rest = [...items.slice(0, i), ...items.slice(i + 1)];
    for (const p of permutations(rest)) out.push([item, ...p]);
  });
  return out;
}
