import type { Bundle } from './bundling.js';
import { halfService, planRoute, type RouteStart, type ServiceMinutes } from './route.js';
import type { CourierView, OpenOrder, Restaurant, RoutePlan, TravelTime } from './types.js';

/** A trip planned in the search: where and when it starts, its orders (drop-off order), its plan, their click-to-door. */
interface Trip {
  from: RouteStart;
  orders: OpenOrder[];
  plan: RoutePlan;
  c2d: number;
}

/** A courier's state on a branch, with what the search has worked out from it (see planEndgame). */
type SearchState = RouteStart & { plans?: RoutePlan[]; mask?: number };

/** What the end-game search needs from the configuration (the three options default to off). */
export type EndgameRules = ServiceMinutes & {
  endgameNodeBudget: number;
  endgameSpareWeight?: number;
  endgameInsertion?: boolean;
  endgameDiscrepancySearch?: boolean;
};

/** One courier's next trip in the end-game plan. */
export interface EndgameTrip {
  bundle: Bundle;
  plan: RoutePlan;
}

export interface EndgameResult {
  /** The first trip of every courier that has one in the best plan found (by courier id). */
  firstTrips: Map<string, EndgameTrip>;
  /** Every courier's whole trip sequence in that plan, in order (by courier id; the end-game planner's seed). */
  sequences: Map<string, EndgameTrip[]>;
  /** Orders the plan delivers, and the plan's click-to-door. */
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
 * already placed are planned.
 */
export function planEndgame(
  now: number,
  bundles: readonly Bundle[],
  couriers: readonly CourierView[],
  restaurants: ReadonlyMap<string, Restaurant>,
  travel: TravelTime,
  rules: EndgameRules,
): EndgameResult {
  const tasks = [...bundles].sort((a, b) => minReady(a) - minReady(b) || (a.orders[0].id < b.orders[0].id ? -1 : 1));
  const taskValue = tasks.map((t) => t.orders.length);
  // orders still to come from task i on: the bound that prunes a branch that cannot win
  const rest: number[] = new Array(tasks.length + 1).fill(0);
  for (let i = tasks.length - 1; i >= 0; i--) rest[i] = rest[i + 1] + taskValue[i];
  // a branch whose best possible score is below the best plan's, or equal at no lower click-to-door, cannot win
  const cannotWin = (score: number, clickToDoor: number) =>
    score < best.delivered || (score === best.delivered && clickToDoor >= best.clickToDoor);
  const state: SearchState[] = couriers.map((c) => ({ at: Math.max(c.freeAt, c.onTime), loc: c.freeLoc, restaurantId: c.freeRestaurantId, plans: undefined, mask: undefined }));
  // each courier's planned trips, in order (first trip = its match)
  const seq: Trip[][] = couriers.map(() => []);
  // the courier (index) each task went to on the current branch, -1 = left out
  const choice: number[] = new Array(tasks.length).fill(-1);
  let best = { delivered: -1, clickToDoor: Infinity, seqs: [] as Trip[][], choice: [] as number[] };
  let nodes = 0;
  const hp = halfService(rules.pickupServiceMin);
  // per task, looked up once: the search's inner loop visits every remaining task at every node
  const taskRestaurant = tasks.map((t) => restaurants.get(t.restaurantId)!);
  const taskReady = tasks.map(maxReady);

  // endgameSpareWeight: the minutes of shift a plan leaves a courier after its last trip are
  // capacity for orders not placed yet, each worth that many minutes of click-to-door. The cost
  // stays monotone along a branch (a trip only uses spare time), so the bounds still hold.
  const spareW = rules.endgameSpareWeight ?? 0;
  const spare = (k: number, at: number): number => spareW * Math.max(0, couriers[k].offTime - Math.max(now, at));
  let limitHit = false;

  // Per courier state, what the search asks of it again and again: task j's trip from there, and
  // which tasks it can still pick up by its off_time (as a bitmask while the tasks fit in 31 bits).
  // A courier's state object is shared by every node below the step that made it, and sibling
  // branches that differ only in other couriers ask the same: the same answers, most of the work
  // saved. Kept on the state object itself (a WeakMap of millions of keys cost more than it saved).
  const tripPlan = (s: SearchState, j: number): RoutePlan => {
    const row = (s.plans ??= new Array<RoutePlan>(tasks.length));
    let plan = row[j];
    if (plan === undefined) {
      const rj = taskRestaurant[j];
      plan = row[j] = planRoute(s, now, rj.id, rj.loc, tasks[j].orders, travel, rules);
    }
    return plan;
  };
  const canReach = (k: number, s: RouteStart, j: number): boolean => {
    const rj = taskRestaurant[j];
    const arrive = Math.max(now, s.at) + (s.restaurantId === rj.id ? 0 : travel(s.loc, rj.loc));
    return Math.max(arrive + hp, taskReady[j]) <= couriers[k].offTime;
  };
  const useMasks = tasks.length <= 31;
  const reachMask = (k: number, s: SearchState): number => {
    if (s.mask === undefined) {
      let m = 0;
      for (let j = 0; j < tasks.length; j++) if (canReach(k, s, j)) m |= 1 << j;
      s.mask = m;
    }
    return s.mask;
  };

  const dfs = (i: number, delivered: number, clickToDoor: number, disc: number): void => {
    if (cannotWin(delivered + rest[i], clickToDoor)) return;
    if (i === tasks.length) {
      // a courier's trip list is replaced, never changed in place, on a branch: a shallow copy keeps it
      best = { delivered, clickToDoor, seqs: [...seq], choice: [...choice] };
      return;
    }
    if (nodes++ >= rules.endgameNodeBudget) return;
    // a tighter bound: count only the bundles some courier can still reach from where it is now
    // (a heuristic, not a proof: a courier's later position could be nearer; it keeps the budget
    // on branches that can still win)
    let reachable = 0;
    if (useMasks) {
      // the same count from each courier state's reachable-task bitmask (computed once per state)
      let any = 0;
      for (let k = 0; k < couriers.length; k++) any |= reachMask(k, state[k]);
      for (let j = i; j < tasks.length; j++) if (any & (1 << j)) reachable += taskValue[j];
    } else
      for (let j = i; j < tasks.length; j++) {
        for (let k = 0; k < couriers.length; k++) {
          if (canReach(k, state[k], j)) {
            reachable += taskValue[j];
            break;
          }
        }
      }
    if (cannotWin(delivered + reachable, clickToDoor)) return;
    const t = tasks[i];
    // children: the bundle appended to a courier's trips (by earliest pickup), then inserted before
    // one of its planned trips (endgameInsertion, by least added cost), then left out
    // an append child keeps only its new trip: the courier's whole trip list is copied only when
    // the search descends into it (most children are cut before that; the copies were most of the
    // garbage). seq[k] is the same then as now: every child restores it.
    const children: { k: number; trips: Trip[] | null; last: Trip; delta: number }[] = [];
    const appends: typeof children = [];
    for (let k = 0; k < couriers.length; k++) {
      const plan = tripPlan(state[k], i);
      if (plan.pickupAt > couriers[k].offTime) continue;
      const c2d = clickToDoorOf(t.orders, plan);
      appends.push({ k, trips: null, last: { from: state[k], orders: t.orders, plan, c2d }, delta: c2d + spare(k, state[k].at) - spare(k, plan.endAt) });
    }
    appends.sort((a, b) => a.last.plan.pickupAt - b.last.plan.pickupAt || a.k - b.k);
    children.push(...appends);
    if (rules.endgameInsertion) {
      // trips need not follow ready order: under a backlog (every order ready) that order forbids
      // the shorter tours. The trips after the inserted one are re-planned and must still make
      // their pickups by the off_time.
      const inserts: typeof children = [];
      couriers.forEach((c, k) => {
        const old = seq[k];
        for (let p = 0; p < old.length; p++) {
          const trips = old.slice(0, p);
          let from = old[p].from;
          let delta = 0;
          let ok = true;
          for (const orders of [t.orders, ...old.slice(p).map((x) => x.orders)]) {
            const rr = restaurants.get(orders[0].restaurantId)!;
            const plan = planRoute(from, now, rr.id, rr.loc, orders, travel, rules);
            if (plan.pickupAt > c.offTime) {
              ok = false;
              break;
            }
            const c2d = clickToDoorOf(orders, plan);
            trips.push({ from, orders, plan, c2d });
            delta += c2d;
            from = { at: plan.endAt, loc: orders[orders.length - 1].drop, restaurantId: null };
          }
          if (!ok) continue;
          for (const x of old.slice(p)) delta -= x.c2d;
          inserts.push({ k, trips, last: trips[trips.length - 1], delta: delta + spare(k, state[k].at) - spare(k, from.at) });
        }
      });
      inserts.sort((a, b) => a.delta - b.delta || a.k - b.k);
      children.push(...inserts);
    }
    // limited discrepancy search: every child but the first costs one discrepancy
    children.forEach(({ k, trips, last: lastTrip, delta }, n) => {
      if (n > 0 && disc <= 0) {
        limitHit = true;
        return;
      }
      const savedState = state[k];
      const savedSeq = seq[k];
      state[k] = { at: lastTrip.plan.endAt, loc: lastTrip.orders[lastTrip.orders.length - 1].drop, restaurantId: null, plans: undefined, mask: undefined };
      seq[k] = trips ?? [...savedSeq, lastTrip];
      choice[i] = k;
      dfs(i + 1, delivered + taskValue[i], clickToDoor + delta, n > 0 ? disc - 1 : disc);
      choice[i] = -1;
      state[k] = savedState;
      seq[k] = savedSeq;
    });
    // leaving the bundle out, last: it is only worth it if that lets more orders through
    if (children.length > 0 && disc <= 0) limitHit = true;
    else dfs(i + 1, delivered, clickToDoor, children.length > 0 ? disc - 1 : disc);
  };

  // Plain depth-first (every discrepancy allowed); or, with endgameDiscrepancySearch, passes
  // allowing 0, 1, 2, ... choices other than the first, until the budget is spent or a pass met no
  // limit (it searched the whole tree): a budget spent depth-first only revises the last bundles.
  if (!rules.endgameDiscrepancySearch) dfs(0, 0, 0, Infinity);
  else
    for (let d = 0; d <= tasks.length && nodes < rules.endgameNodeBudget; d++) {
      limitHit = false;
      dfs(0, 0, 0, d);
      if (!limitHit) break;
    }

  const firstTrips = new Map<string, EndgameTrip>();
  const sequences = new Map<string, EndgameTrip[]>();
  best.seqs.forEach((trips, k) => {
    const out = trips.map((trip) => ({ bundle: { restaurantId: trip.orders[0].restaurantId, orders: trip.orders }, plan: trip.plan }));
    sequences.set(couriers[k].id, out);
    if (out.length > 0) firstTrips.set(couriers[k].id, out[0]);
  });
  let delivered = 0;
  tasks.forEach((t, i) => {
    if ((best.choice[i] ?? -1) >= 0) delivered += t.orders.length;
  });
  return { firstTrips, sequences, delivered, clickToDoor: best.clickToDoor, nodes };
}

function clickToDoorOf(orders: readonly OpenOrder[], plan: RoutePlan): number {
  let sum = 0;
  orders.forEach((o, j) => (sum += plan.dropoffs[j] - o.placedAt));
  return sum;
}

function maxReady(b: Bundle): number {
  let ready = -Infinity;
  for (const o of b.orders) ready = Math.max(ready, o.readyAt);
  return ready;
}

function minReady(b: Bundle): number {
  return Math.min(...b.orders.map((o) => o.readyAt));
}
