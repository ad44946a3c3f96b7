import type { CertCourier, CertOrder } from './certificate.js';
import type { Point, TravelTime } from './types.js';

/**
 * The joint certificate (issue 18, eighth stop): a proof that not all of a set S of orders can be
 * delivered, for an undelivered order the per-order certificate calls deliverable.
 *
 * 1. Closure. The couriers that pass the static test for the missed order o (earliest pickup by
 *    its off_time, as in certificate.ts) are C; the closure is every order whose passing couriers
 *    are all in C, so in any feasible solution only couriers of C pick them up, and the same holds
 *    for any subset. S is the closure's late part (released from T on), T stepping back from o's
 *    release (WINDOWS_MIN) while S fits the limits and the budget; the first S that certifies wins.
 * 2. Relaxation, restricted to S and C; every step only makes serving easier: orders outside S are
 *    ignored (a courier serving them only loses time); each courier of C leaves its start at its
 *    on_time; a trip is one pickup of a bundle of S's orders of one restaurant, no earlier than
 *    every order's ready and placement time and no later than the courier's off_time; the first
 *    pickup is at least travel(start, restaurant) + half a pickup service after on_time; a later
 *    pickup is at least half a pickup service + the shortest drop-off tour of the previous bundle
 *    (the full drop-off service at each customer) + the travel to the next restaurant + half a
 *    pickup service after the previous pickup (MDRP: all of a bundle is dropped off before the
 *    courier's next pickup). Travel is the instance's, so detours via other places are never shorter
 *    (the whole-minute travel keeps the triangle inequality: ceil(a + b) ≤ ceil(a) + ceil(b)).
 * 3. Exact search: every courier's feasible sets of S (all trip sequences, depth-first), then the
 *    most orders of S that disjoint feasible sets can cover (branch and bound). Both are bounded by a
 *    node budget; running out leaves the order uncertified, never certified.
 * If the most is K < |S| and the run delivered K of S, its |S| − K misses in S are unavoidable for
 * any dispatcher. If K = |S| the plan that delivers all of S is named instead.
 */

export interface JointOrder extends CertOrder {
  drop: Point;
}

export interface JointServiceTimes {
  pickupServiceMin: number;
  dropoffServiceMin: number;
}

export interface JointLimits {
  /** Largest S searched (bigger closures are left uncertified). */
  maxOrders: number;
  /** Largest C searched. */
  maxCouriers: number;
  /** Nodes for the whole search (couriers' trip sequences + the packing), deterministic. */
  nodeBudget: number;
}

// 30 orders: S is a 30-bit mask. The budget is spent at well under a second of CPU per order.
export const DEFAULT_JOINT_LIMITS: JointLimits = { maxOrders: 30, maxCouriers: 12, nodeBudget: 500_000 };

/** One courier's trips in a relaxed plan: pickup time and orders of each. */
export interface RelaxedTrip {
  restaurantId: string;
  pickupAt: number;
  orderIds: string[];
}

interface JointBase {
  orderId: string;
  /** S (the last one searched), sorted by id. */
  orders: string[];
  /** C (the couriers of the closure that can reach some order of S), sorted by id. */
  couriers: string[];
  /** Orders whose every possible courier is a possible courier of the missed order (S is their late part). */
  closureOrders: number;
  /** S is the closure's orders released (ready and placed) from this time on; null: all of it. */
  fromTime: number | null;
  /** Competing orders whose couriers were added to C (closure expansion), in order. */
  expandedBy: string[];
  /** Nodes of all the searches for this order. */
  nodes: number;
  text: string;
}

/**
 * S grows backwards in time from the missed order's release (max of ready and placement), this many
 * minutes at a time, while it fits the limits and the budget: the first S that certifies wins.
 */
const WINDOWS_MIN = [0, 10, 20, 30, 45, 60, 90, 120, 180, 240, 360, Infinity];

/**
 * When the relaxation serves every S of a closure, C grows (at most this many times) by the couriers
 * of one competing order: reachable by C and by others, released at most EXPANSION_WINDOW_MIN
 * before the miss (or later), the one adding the fewest couriers (then the nearest in time).
 */
const MAX_EXPANSIONS = 3;
const EXPANSION_WINDOW_MIN = 60;

export type JointOutcome =
  /** At most `maxDeliverable` of S can be delivered and the run delivered that many: its misses in S are unavoidable. */
  | (JointBase & { kind: 'joint'; maxDeliverable: number; delivered: number; missed: string[] })
  /** The relaxation can deliver more of S than the run did (`plan` delivers `maxDeliverable`): no certificate. */
  | (JointBase & { kind: 'not-proven'; maxDeliverable: number; delivered: number; plan: Map<string, RelaxedTrip[]> })
  /** The closure is larger than the limits, or the search ran out of nodes: no certificate. */
  | (JointBase & { kind: 'undecided'; reason: string });

const RELAXED =
  'relaxed: orders outside S ignored; first pickup >= on_time + travel(start, restaurant) + half pickup service; ' +
  'next pickup >= previous + half pickup service + shortest drop-off tour of its bundle (full drop-off service each) + travel to the restaurant + half pickup service; ' +
  'pickup >= ready and placement, <= off_time; one restaurant per trip';

/**
 * Prepares the static test for one instance (who can reach what); `certify` then tries one missed
 * order at a time. `delivered` is the set of order ids the run delivered.
 */
export function prepareJointCertificates(
  orders: readonly JointOrder[],
  couriers: readonly CertCourier[],
  travel: TravelTime,
  service: JointServiceTimes,
  limits: JointLimits = DEFAULT_JOINT_LIMITS,
): { certify: (orderId: string, delivered: ReadonlySet<string>, nodeBudget?: number) => JointOutcome } {
  if (limits.maxOrders > 30) throw new Error(`joint certificate: at most 30 orders in S (a 30-bit mask), not ${limits.maxOrders}`);
  // the validator's exact half service (not rounded up), so the relaxation is never stricter than the rules
  const hp = service.pickupServiceMin / 2;
  const release = (o: JointOrder) => Math.max(o.readyAt, o.placedAt);
  const reach = new Map<string, CertCourier[]>();
  for (const o of orders) {
    reach.set(
      o.id,
      couriers.filter((c) => Math.max(release(o), c.onTime + travel(c.start, o.restaurantLoc) + hp) <= c.offTime),
    );
  }
  const byId = new Map(orders.map((o) => [o.id, o]));

  const certify = (orderId: string, delivered: ReadonlySet<string>, nodeBudget = limits.nodeBudget): JointOutcome => {
    const miss = byId.get(orderId);
    if (!miss) throw new Error(`joint certificate: unknown order ${orderId}`);
    if (reach.get(orderId)!.length === 0) {
      const reason = 'no courier can reach it (the per-order certificate applies)';
      return { orderId, orders: [], couriers: [], closureOrders: 0, fromTime: null, expandedBy: [], kind: 'undecided', reason, nodes: 0, text: `order ${orderId}: ${reason}` };
    }
    let allC = [...reach.get(orderId)!].sort((a, b) => cmp(a.id, b.id));
    const expandedBy: string[] = [];
    let nodes = 0;
    let last: JointOutcome | null = null;
    let stopped: string | null = null;
    levels: for (;;) {
      const inC = new Set(allC.map((c) => c.id));
      // the closure: every order whose possible couriers are all in C (the missed order's)
      const closure = orders
        .filter((o) => {
          const r = reach.get(o.id)!;
          return r.length > 0 && r.every((c) => inC.has(c.id));
        })
        .sort((a, b) => cmp(a.id, b.id));
      let searched = 0;
      for (const w of WINDOWS_MIN) {
        // any subset of the closure is still served only by C; the late part holds the end-of-day race
        const from = release(miss) - w;
        const S = closure.filter((o) => release(o) >= from);
        if (S.length === searched) continue;
        const C = allC.filter((c) => S.some((o) => reach.get(o.id)!.includes(c)));
        const base = { orderId, orders: S.map((o) => o.id), couriers: C.map((c) => c.id), closureOrders: closure.length, fromTime: w === Infinity ? null : from, expandedBy: [...expandedBy] };
        const grown = expandedBy.length === 0 ? '' : ` (C grown by the couriers of ${expandedBy.join(', ')})`;
        const head =
          `order ${orderId}: only C = {${base.couriers.join(' ')}} (${C.length})${grown} can pick up S = {${base.orders.join(' ')}} ` +
          `(${S.length}: ${w === Infinity ? 'all' : `those released from ${from} on, of all`} ${closure.length} orders whose every possible courier is in C; every other courier's earliest pickup is after its off_time)`;
        if (S.length > limits.maxOrders || C.length > limits.maxCouriers) {
          stopped = `the next S (${S.length} orders, ${C.length} couriers) is over the limits (${limits.maxOrders}, ${limits.maxCouriers})`;
          if (last === null) return { ...base, kind: 'undecided', reason: stopped, nodes, text: `${head}; ${stopped}` };
          break levels;
        }
        const search = new JointSearch(S, C, travel, service, hp, nodeBudget - nodes);
        const best = search.run();
        nodes += search.nodes;
        if (best === null) {
          stopped = `search budget of ${nodeBudget} nodes spent on S of ${S.length} orders`;
          if (last === null) return { ...base, kind: 'undecided', reason: stopped, nodes, text: `${head}; ${stopped}` };
          break levels;
        }
        searched = S.length;
        const K = best.count;
        const done = S.filter((o) => delivered.has(o.id)).length;
        if (K < done) {
          // the run's own plan is feasible for the relaxation, so this would be a bug in the relaxation
          throw new Error(`joint certificate for ${orderId}: the relaxation allows ${K} of S but the run delivered ${done}`);
        }
        if (K === done) {
          const missed = S.filter((o) => !delivered.has(o.id)).map((o) => o.id);
          const proof = `exact search over the relaxation (${RELAXED}; ${nodes} nodes): at most K = ${K} of ${S.length} can be delivered`;
          return {
            ...base,
            kind: 'joint',
            maxDeliverable: K,
            delivered: done,
            missed,
            nodes,
            text: `${head}; ${proof}; the run delivered ${done}, so its misses {${missed.join(' ')}} are unavoidable`,
          };
        }
        const plan = search.planOf(best.sets);
        const planText = [...plan]
          .map(([c, trips]) => `${c}: ${trips.map((t) => `${t.orderIds.join('+')}@${t.pickupAt}`).join(', ')}`)
          .join('; ');
        last = {
          ...base,
          kind: 'not-proven',
          maxDeliverable: K,
          delivered: done,
          plan,
          nodes,
          text: `${head}; the relaxation delivers ${K} of ${S.length}, the run ${done} (${nodes} nodes); relaxed plan ${planText}`,
        };
      }
      // the relaxation served every S of this closure: grow C by the couriers of the competing order
      // (one C can reach, released near the miss) that adds the fewest, and search again
      if (expandedBy.length === MAX_EXPANSIONS) break;
      const near = release(miss) - EXPANSION_WINDOW_MIN;
      let pick: { o: JointOrder; extra: CertCourier[] } | null = null;
      for (const o of orders) {
        const r = reach.get(o.id)!;
        if (release(o) < near || r.every((c) => inC.has(c.id)) || !r.some((c) => inC.has(c.id))) continue;
        const extra = r.filter((c) => !inC.has(c.id));
        const better =
          pick === null ||
          extra.length < pick.extra.length ||
          (extra.length === pick.extra.length && Math.abs(release(o) - release(miss)) < Math.abs(release(pick.o) - release(miss)));
        if (better) pick = { o, extra };
      }
      if (pick === null) break;
      if (allC.length + pick.extra.length > limits.maxCouriers) {
        stopped = `growing C by the couriers of ${pick.o.id} would pass ${limits.maxCouriers} couriers`;
        break;
      }
      expandedBy.push(pick.o.id);
      allC = [...allC, ...pick.extra].sort((a, b) => cmp(a.id, b.id));
    }
    const outcome = last!;
    outcome.nodes = nodes;
    if (stopped) outcome.text += `; no larger S searched: ${stopped}`;
    return outcome;
  };
  return { certify };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

class BudgetSpent extends Error {}

/** The exact search over the relaxation of one closure (S, C). */
class JointSearch {
  nodes = 0;
  /** Per courier (index in C): every feasible set of S (bit mask) with one trip sequence that serves it. */
  private readonly families: Map<number, RelaxedTrip[]>[] = [];
  /** Per bundle (mask) and restaurant: the shortest time from the bundle's pickup to the next arrival there. */
  private readonly tourCache = new Map<string, number>();

  constructor(
    private readonly S: readonly JointOrder[],
    private readonly C: readonly CertCourier[],
    private readonly travel: TravelTime,
    private readonly service: JointServiceTimes,
    private readonly hp: number,
    private readonly budget: number,
  ) {}

  /** The most orders of S disjoint feasible sets cover, with the sets; null when the budget ran out. */
  run(): { count: number; sets: number[] } | null {
    try {
      for (const c of this.C) this.families.push(this.closeDownward(this.enumerate(c)));
      return this.pack();
    } catch (err) {
      if (err instanceof BudgetSpent) return null;
      throw err;
    }
  }

  planOf(sets: readonly number[]): Map<string, RelaxedTrip[]> {
    const plan = new Map<string, RelaxedTrip[]>();
    sets.forEach((set, i) => {
      if (set !== 0) plan.set(this.C[i].id, this.families[i].get(set)!);
    });
    return plan;
  }

  private tick(): void {
    if (++this.nodes > this.budget) throw new BudgetSpent();
  }

  /** All sets of S one courier can serve alone in the relaxation (depth-first over trip sequences). */
  private enumerate(c: CertCourier): Map<number, RelaxedTrip[]> {
    const { S, hp } = this;
    const family = new Map<number, RelaxedTrip[]>([[0, []]]);
    // orders this courier can reach at all, grouped by restaurant
    const groups = new Map<string, number[]>();
    S.forEach((o, i) => {
      if (Math.max(o.readyAt, o.placedAt, c.onTime + this.travel(c.start, o.restaurantLoc) + hp) > c.offTime) return;
      const g = groups.get(o.restaurantId) ?? [];
      g.push(i);
      groups.set(o.restaurantId, g);
    });
    // a state's future depends only on what is served, the last bundle and its pickup time
    const seen = new Map<string, number>();
    const dfs = (served: number, last: { bundle: number; restaurant: string; at: number } | null, trips: RelaxedTrip[]) => {
      for (const [rid, members] of groups) {
        const left = members.filter((i) => (served & (1 << i)) === 0);
        if (left.length === 0) continue;
        // more than 20 orders of S at one restaurant is past any budget (2^20 bundles)
        if (left.length > 20) throw new BudgetSpent();
        const loc = S[left[0]].restaurantLoc;
        const arrive = last === null ? c.onTime + this.travel(c.start, loc) + hp : last.at + hp + this.tourTo(last.bundle, last.restaurant, loc) + hp;
        if (arrive > c.offTime) continue;
        // every non-empty bundle of the orders left at this restaurant
        for (let sub = 1; sub < 1 << left.length; sub++) {
          this.tick();
          let bundle = 0;
          let at = arrive;
          const ids: string[] = [];
          for (let k = 0; k < left.length; k++) {
            if ((sub & (1 << k)) === 0) continue;
            const o = S[left[k]];
            bundle |= 1 << left[k];
            at = Math.max(at, o.readyAt, o.placedAt);
            ids.push(o.id);
          }
          if (at > c.offTime) continue;
          const next = served | bundle;
          const key = `${next}|${bundle}|${rid}`;
          const before = seen.get(key);
          if (before !== undefined && before <= at) continue;
          seen.set(key, at);
          const seq = [...trips, { restaurantId: rid, pickupAt: at, orderIds: ids }];
          if (!family.has(next)) family.set(next, seq);
          dfs(next, { bundle, restaurant: rid, at }, seq);
        }
      }
    };
    dfs(0, null, []);
    return family;
  }

  /**
   * Adds every subset of a feasible set (its plan: the same trips without the removed orders). The
   * relaxation already allows them (dropping an order never lengthens a tour, by the triangle
   * inequality); adding them explicitly keeps the packing exact without relying on that.
   */
  private closeDownward(family: Map<number, RelaxedTrip[]>): Map<number, RelaxedTrip[]> {
    const index = new Map(this.S.map((o, i) => [o.id, i]));
    const stack = [...family.keys()];
    while (stack.length > 0) {
      const set = stack.pop()!;
      for (let i = 0; 1 << i <= set; i++) {
        const bit = 1 << i;
        if ((set & bit) === 0) continue;
        const sub = set & ~bit;
        if (family.has(sub)) continue;
        this.tick();
        const trips = family
          .get(set)!
          .map((t) => ({ ...t, orderIds: t.orderIds.filter((id) => (sub & (1 << index.get(id)!)) !== 0) }))
          .filter((t) => t.orderIds.length > 0);
        family.set(sub, trips);
        stack.push(sub);
      }
    }
    return family;
  }

  /**
   * Shortest time from a bundle's pickup (half a pickup service already counted) to the arrival at
   * the next restaurant: the best drop-off order (Held–Karp over the bundle), the full drop-off
   * service at each customer.
   */
  private tourTo(bundle: number, restaurantId: string, next: Point): number {
    const key = `${bundle}|${next.x},${next.y}`;
    const hit = this.tourCache.get(key);
    if (hit !== undefined) return hit;
    const drops: Point[] = [];
    let from: Point | null = null;
    this.S.forEach((o, i) => {
      if ((bundle & (1 << i)) === 0) return;
      drops.push(o.drop);
      if (o.restaurantId === restaurantId) from = o.restaurantLoc;
    });
    const start = from!;
    const n = drops.length;
    const full = (1 << n) - 1;
    // dp[mask * n + j]: shortest drive from the restaurant through the drops in mask, ending at j
    const dp = new Array<number>((full + 1) * n).fill(Infinity);
    for (let j = 0; j < n; j++) dp[(1 << j) * n + j] = this.travel(start, drops[j]);
    for (let mask = 1; mask <= full; mask++) {
      for (let j = 0; j < n; j++) {
        const v = dp[mask * n + j];
        if (v === Infinity) continue;
        for (let k = 0; k < n; k++) {
          if (mask & (1 << k)) continue;
          const m2 = mask | (1 << k);
          const w = v + this.travel(drops[j], drops[k]);
          if (w < dp[m2 * n + k]) dp[m2 * n + k] = w;
        }
      }
    }
    let best = Infinity;
    for (let j = 0; j < n; j++) best = Math.min(best, dp[full * n + j] + this.travel(drops[j], next));
    const value = best + n * this.service.dropoffServiceMin;
    this.tourCache.set(key, value);
    return value;
  }

  /**
   * The most orders of S covered by one feasible set per courier, pairwise disjoint (a subset of a
   * feasible set is itself in the family, since the enumeration is exhaustive). Orders with the
   * fewest couriers first; a branch is cut when the orders served plus those still addable cannot
   * beat the best.
   */
  private pack(): { count: number; sets: number[] } {
    const n = this.S.length;
    const m = this.C.length;
    const can: number[][] = this.S.map((_, i) => {
      const bit = 1 << i;
      const list: number[] = [];
      for (let c = 0; c < m; c++) if (this.families[c].has(bit)) list.push(c);
      return list;
    });
    const order = [...Array(n).keys()].sort((a, b) => can[a].length - can[b].length || a - b);
    const sets = new Array<number>(m).fill(0);
    let best = { count: -1, sets: [...sets] };
    const dfs = (pos: number, count: number) => {
      this.tick();
      if (count > best.count) best = { count, sets: [...sets] };
      if (pos === n) return;
      // bound: every order still to decide that some courier could still add
      let addable = 0;
      for (let p = pos; p < n; p++) {
        const i = order[p];
        const bit = 1 << i;
        if (can[i].some((c) => this.families[c].has(sets[c] | bit))) addable++;
      }
      if (count + addable <= best.count) return;
      const i = order[pos];
      const bit = 1 << i;
      for (const c of can[i]) {
        const next = sets[c] | bit;
        if (!this.families[c].has(next)) continue;
        const prev = sets[c];
        sets[c] = next;
        dfs(pos + 1, count + 1);
        sets[c] = prev;
        if (best.count === n) return;
      }
      dfs(pos + 1, count);
    };
    dfs(0, 0);
    return best;
  }
}
