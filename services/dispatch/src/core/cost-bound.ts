import type { CertCourier, CertOrder } from './certificate.js';
import { halfService } from './route.js';
import type { TravelTime } from './types.js';

/** The pay rule of MDRP: a courier earns max(payPerOrder × orders, payPerHour × shift hours). */
export interface PayRule {
  payPerOrder: number;
  payPerHour: number;
}

export interface CostLowerBound {
  /** Orders some courier could deliver (the per-order certificate test); the bound is for these. */
  deliverableOrders: number;
  /** Σ over all couriers of the guarantee payPerHour × shift hours. */
  guarantees: number;
  /** A lower bound on the total pay of any solution that delivers all deliverable orders. */
  pay: number;
  /** pay / deliverableOrders: a lower bound on the cost per delivered order of ANY solution (see below). */
  perOrder: number;
  /** The README's old bound max(Σ guarantees, payPerOrder × deliverable) / deliverable, for comparison. */
  naivePerOrder: number;
}

/**
 * A lower bound on the cost per order, sharper than max(Σ guarantees, $10 × orders) / orders
 * because it knows which courier could serve which order at all.
 *
 * Pay of courier c with n_c orders: max(p·n_c, g_c) = g_c + e_c(n_c), e_c(n) = max(0, p·n − g_c).
 * e_c is convex in the integer n: 0 for the first f_c = ⌊g_c/p⌋ orders, r_c = p·(f_c + 1) − g_c
 * (0 < r_c ≤ p) for the next one, then p per order. Courier c can deliver order o only if its
 * earliest pickup (certificate.ts: max(ready, placement, on_time + travel + half the pickup
 * service)) is at or before its off_time — the per-order certificate test.
 *
 * Relaxation (why it is sound): drop every constraint except that one — travel between orders,
 * service times, the pickup of one trip before the next, click-to-door — so a courier may deliver
 * any number of the orders it could reach alone. Every real solution assigns each delivered order
 * to one courier that passes the test, i.e. it is a feasible assignment of the relaxation, and it
 * pays exactly Σ_c g_c + Σ_c e_c(n_c). So min over assignments of Σ_c e_c(n_c), plus Σ_c g_c, is at
 * most the pay of any solution delivering the same orders.
 *
 * The minimum: every order costs p unless it fills a cheaper slot; slot weights (savings against p)
 * are p for each of c's f_c free slots and p − r_c for its one partial slot. The sets of slots that
 * can be filled at once (each by a distinct order c can serve) form a transversal matroid, so the
 * greedy is optimal: fill free slots by a maximum flow, then raise capacities by one, the partial
 * slots in decreasing saving (groups of equal r_c at once), continuing the same flow (an augmenting
 * path never empties a courier → sink arc, so slots filled earlier stay filled).
 *
 * (The test itself is earliestPickup's, split in two; see the chains below.)
 *
 * Which orders: all orders that pass the test for some courier (the certified-deliverable ones,
 * the same for every dispatcher). For any solution delivering a set S of them,
 * cost/order ≥ bound(S)/|S| ≥ bound(all)/|all|: adding an order raises the bound by at most p,
 * and the bound per order is at least p (it is at least p·|S|), so adding orders never raises it.
 */
export function costLowerBound(
  orders: readonly CertOrder[],
  couriers: readonly CertCourier[],
  travel: TravelTime,
  pickupServiceMin: number,
  pay: PayRule,
): CostLowerBound {
  const p = pay.payPerOrder;
  const nC = couriers.length;
  const guarantee = couriers.map((c) => (pay.payPerHour * (c.offTime - c.onTime)) / 60);
  const guarantees = guarantee.reduce((s, g) => s + g, 0);
  const half = halfService(pickupServiceMin);

  // The test max(ready, placement, on + travel + half) ≤ off splits in two: the courier can reach the
  // restaurant within its shift at all (on + travel + half ≤ off: a set A_r per restaurant), and
  // off ≥ t = max(ready, placement). With A_r sorted by off_time, an order may go to a suffix of
  // it, so the network has one chain per distinct A_r instead of one arc per (order, courier) pair:
  // source → chain node (r, k) (capacity: the orders whose suffix starts at k) → chain (r, k + 1)
  // and → courier A_r[k] (unbounded) → sink (the courier's slots). The same flows, far fewer arcs.
  const byRestaurant = new Map<string, CertOrder[]>();
  for (const o of orders) {
    const list = byRestaurant.get(o.restaurantId);
    if (list) list.push(o);
    else byRestaurant.set(o.restaurantId, [o]);
  }
  // restaurants every courier of the same set can reach share one chain (usually a handful of sets)
  const chains = new Map<string, { reach: number[]; count: number[] }>();
  let n = 0;
  for (const list of byRestaurant.values()) {
    const loc = list[0].restaurantLoc;
    const reach: number[] = [];
    for (let c = 0; c < nC; c++) if (couriers[c].onTime + travel(couriers[c].start, loc) + half <= couriers[c].offTime) reach.push(c);
    reach.sort((a, b) => couriers[a].offTime - couriers[b].offTime || a - b);
    const key = reach.join(',');
    let chain = chains.get(key);
    if (!chain) chains.set(key, (chain = { reach, count: new Array<number>(reach.length).fill(0) }));
    const offs = reach.map((c) => couriers[c].offTime);
    for (const o of list) {
      const k = lowerBound(offs, Math.max(o.readyAt, o.placedAt));
      if (k < reach.length) {
        chain.count[k]++;
        n++;
      }
    }
  }
  const net = new FlowNetwork(nC);
  for (const { reach, count } of chains.values()) net.addChain(reach, count);
  const naivePerOrder = n === 0 ? NaN : Math.max(guarantees, p * n) / n;
  if (n === 0 || p <= 0) return { deliverableOrders: n, guarantees, pay: guarantees, perOrder: naivePerOrder, naivePerOrder };

  const eps = 1e-9;
  const free = guarantee.map((g) => Math.max(0, Math.floor(g / p + eps)));
  let saving = p * net.augment(free);
  // partial slots, grouped by r (ascending r = descending saving p − r)
  const byR = new Map<number, number[]>();
  for (let c = 0; c < nC; c++) {
    const r = p * (free[c] + 1) - guarantee[c];
    if (r < p - eps) {
      const key = Math.round(r * 1e6) / 1e6;
      const group = byR.get(key);
      if (group) group.push(c);
      else byR.set(key, [c]);
    }
  }
  const cap = [...free];
  for (const r of [...byR.keys()].sort((a, b) => a - b)) {
    for (const c of byR.get(r)!) cap[c]++;
    saving += (p - r) * net.augment(cap);
  }
  const total = guarantees + p * n - saving;
  return { deliverableOrders: n, guarantees, pay: total, perOrder: total / n, naivePerOrder };
}

/** The first index whose value is ≥ x in an ascending array. */
function lowerBound(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const INF = 1 << 30;

/**
 * Dinic's maximum flow on the network above (nodes 0 = source, 1 = sink, 2.. couriers, then chain
 * nodes). `augment` raises the courier → sink capacities and continues from the current flow,
 * returning the flow added. Iterative (the chains make paths long).
 */
class FlowNetwork {
  private head: number[] = [];
  private to: number[] = [];
  private next: number[] = [];
  private capArr: number[] = [];
  private readonly sinkEdge: number[] = [];
  private nodes: number;

  constructor(private readonly nC: number) {
    this.nodes = 2 + nC;
    this.head = new Array<number>(this.nodes).fill(-1);
    for (let c = 0; c < nC; c++) this.sinkEdge.push(this.add(2 + c, 1, 0));
  }

  private node(): number {
    this.head.push(-1);
    return this.nodes++;
  }

  private add(u: number, v: number, cap: number): number {
    const e = this.to.length;
    this.to.push(v, u);
    this.capArr.push(cap, 0);
    this.next.push(this.head[u], this.head[v]);
    this.head[u] = e;
    this.head[v] = e + 1;
    return e;
  }

  /** One restaurant: couriers sorted by off_time, count[k] orders that any of couriers[k..] may take. */
  addChain(couriers: readonly number[], count: readonly number[]): void {
    const first = count.findIndex((x) => x > 0);
    if (first < 0) return;
    let last = -1;
    for (let k = couriers.length - 1; k >= first; k--) {
      const u = this.node();
      this.add(u, 2 + couriers[k], INF);
      if (last >= 0) this.add(u, last, INF);
      if (count[k] > 0) this.add(0, u, count[k]);
      last = u;
    }
  }

  augment(cap: readonly number[]): number {
    for (let c = 0; c < this.nC; c++) {
      const e = this.sinkEdge[c];
      this.capArr[e] = Math.max(0, cap[c] - this.capArr[e + 1]);
    }
    let added = 0;
    const level = new Int32Array(this.nodes);
    const iter = new Int32Array(this.nodes);
    const queue = new Int32Array(this.nodes);
    const pathEdges = new Int32Array(this.nodes);
    for (;;) {
      level.fill(-1);
      let qh = 0;
      let qt = 0;
      queue[qt++] = 0;
      level[0] = 0;
      while (qh < qt) {
        const u = queue[qh++];
        for (let e = this.head[u]; e !== -1; e = this.next[e]) {
          const v = this.to[e];
          if (this.capArr[e] > 0 && level[v] < 0) {
            level[v] = level[u] + 1;
            queue[qt++] = v;
          }
        }
      }
      if (level[1] < 0) return added;
      for (let u = 0; u < this.nodes; u++) iter[u] = this.head[u];
      // iterative DFS along the level graph; each path found carries its bottleneck
      let depth = 0;
      let u = 0;
      for (;;) {
        if (u === 1) {
          let f = INF;
          for (let i = 0; i < depth; i++) f = Math.min(f, this.capArr[pathEdges[i]]);
          for (let i = 0; i < depth; i++) {
            this.capArr[pathEdges[i]] -= f;
            this.capArr[pathEdges[i] ^ 1] += f;
          }
          added += f;
          depth = 0;
          u = 0;
          continue;
        }
        let e = iter[u];
        while (e !== -1 && !(this.capArr[e] > 0 && level[this.to[e]] === level[u] + 1)) e = this.next[e];
        iter[u] = e;
        if (e !== -1) {
          pathEdges[depth++] = e;
          u = this.to[e];
          continue;
        }
        // dead end: retreat and skip the arc that led here
        if (u === 0) break;
        level[u] = -1;
        depth--;
        u = this.to[pathEdges[depth] ^ 1];
        iter[u] = this.next[iter[u]];
      }
    }
  }
}
