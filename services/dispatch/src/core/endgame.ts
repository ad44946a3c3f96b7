import type { Bundle } from './bundling.js';
import { halfService, planRoute, type ServiceMinutes } from './route.js';
import type { CourierView, Restaurant, RoutePlan, TravelTime } from './types.js';

/** One courier's next trip in the end-game plan. */
export interface EndgameTrip {
  bundle: Bundle;
  plan: RoutePlan;
}

export interface EndgameResult {
  /** The first trip of every courier that has one in the best plan found (by courier id). */
  firstTrips: Map<string, EndgameTrip>;
  /** Orders the plan delivers, and the sum of their click-to-door minutes. */
  delivered: number;
  clickToDoor: number;
  /** Search nodes used (the search stops at the budget with the best plan found so far). */
  nodes: number;
}

/**
 * The end of the day, searched rather than matched. With few couriers left, one trip per courier
 * per round is short-sighted: which orders a courier serves now decides which it can still reach
 * before its off_time, and the matching cannot see a courier's second and third trips. This is a
 * depth-first branch and bound over all known bundles (in ready order): each goes to the end of
 * some courier's trip sequence, or is left out. It maximises the orders delivered, then minimises
 * their click-to-door; children are tried by earliest pickup, so the first leaf is the greedy plan
 * and the rest of the budget improves on it. Deterministic: same input, same plan. Only orders
 * already placed are planned (nothing about the future is assumed).
 */
export function planEndgame(
  now: number,
  bundles: readonly Bundle[],
  couriers: readonly CourierView[],
  restaurants: ReadonlyMap<string, Restaurant>,
  travel: TravelTime,
  rules: ServiceMinutes & { endgameNodeBudget: number },
): EndgameResult {
  const tasks = [...bundles].sort((a, b) => minReady(a) - minReady(b) || (a.orders[0].id < b.orders[0].id ? -1 : 1));
  // orders still to come from task i on: the bound that prunes a branch that cannot win
  const rest: number[] = new Array(tasks.length + 1).fill(0);
  for (let i = tasks.length - 1; i >= 0; i--) rest[i] = rest[i + 1] + tasks[i].orders.length;
  const state = couriers.map((c) => ({ at: Math.max(c.freeAt, c.onTime), loc: c.freeLoc, restaurantId: c.freeRestaurantId }));
  const first: (EndgameTrip | null)[] = couriers.map(() => null);
  let best = { delivered: -1, clickToDoor: Infinity, first: [] as (EndgameTrip | null)[] };
  let nodes = 0;
  const hp = halfService(rules.pickupServiceMin);

  const dfs = (i: number, delivered: number, clickToDoor: number): void => {
    if (delivered + rest[i] < best.delivered || (delivered + rest[i] === best.delivered && clickToDoor >= best.clickToDoor)) return;
    if (i === tasks.length) {
      best = { delivered, clickToDoor, first: [...first] };
      return;
    }
    if (nodes++ >= rules.endgameNodeBudget) return;
    // a tighter bound: count only the bundles some courier can still reach from where it is now
    // (a heuristic, not a proof: a courier's later position could be nearer; it keeps the budget
    // on branches that can still win)
    let reachable = 0;
    for (let j = i; j < tasks.length; j++) {
      const rj = restaurants.get(tasks[j].restaurantId)!;
      const ready = maxReady(tasks[j]);
      for (let k = 0; k < couriers.length; k++) {
        const s = state[k];
        const arrive = Math.max(now, s.at) + (s.restaurantId === rj.id ? 0 : travel(s.loc, rj.loc));
        if (Math.max(arrive + hp, ready) <= couriers[k].offTime) {
          reachable += tasks[j].orders.length;
          break;
        }
      }
    }
    if (delivered + reachable < best.delivered || (delivered + reachable === best.delivered && clickToDoor >= best.clickToDoor)) return;
    const t = tasks[i];
    const r = restaurants.get(t.restaurantId)!;
    const options: { k: number; plan: RoutePlan }[] = [];
    couriers.forEach((c, k) => {
      const plan = planRoute(state[k], now, r.id, r.loc, t.orders, travel, rules);
      if (plan.pickupAt <= c.offTime) options.push({ k, plan });
    });
    options.sort((a, b) => a.plan.pickupAt - b.plan.pickupAt || a.k - b.k);
    for (const { k, plan } of options) {
      const saved = state[k];
      const wasFirst = first[k] === null;
      let c2d = 0;
      t.orders.forEach((o, j) => (c2d += plan.dropoffs[j] - o.placedAt));
      state[k] = { at: plan.endAt, loc: t.orders[t.orders.length - 1].drop, restaurantId: null };
      if (wasFirst) first[k] = { bundle: t, plan };
      dfs(i + 1, delivered + t.orders.length, clickToDoor + c2d);
      state[k] = saved;
      if (wasFirst) first[k] = null;
    }
    // leaving the bundle out, last: it is only worth it if that lets more orders through
    dfs(i + 1, delivered, clickToDoor);
  };
  dfs(0, 0, 0);

  const firstTrips = new Map<string, EndgameTrip>();
  best.first.forEach((trip, k) => {
    if (trip) firstTrips.set(couriers[k].id, trip);
  });
  return { firstTrips, delivered: Math.max(0, best.delivered), clickToDoor: best.clickToDoor, nodes };
}

function maxReady(b: Bundle): number {
  return Math.max(...b.orders.map((o) => o.readyAt));
}

function minReady(b: Bundle): number {
  return Math.min(...b.orders.map((o) => o.readyAt));
}
