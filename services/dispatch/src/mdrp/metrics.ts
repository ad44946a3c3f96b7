import type { MdrpInstance } from './instance.js';
import type { ParsedSolution } from './validate.js';
import { wholeMinuteTravel } from '@riderflow/geo';

export interface MdrpMetrics {
  instance: string;
  orders: number;
  delivered: number;
  undeliveredPct: number;
  clickToDoorMean: number;
  clickToDoorP90: number;
  overageMean: number;
  readyToPickupMean: number;
  utilization: number;
  costPerOrder: number;
  bundledOrdersPct: number;
}

/** The published evaluator's measures, computed from a solution as written. */
export function computeMetrics(instance: MdrpInstance, solution: ParsedSolution): MdrpMetrics {
  const { params } = instance;
  const travel = wholeMinuteTravel(params.metersPerMinute);
  const orders = new Map(instance.orders.map((o) => [o.id, o]));
  const c2d: number[] = [];
  const r2p: number[] = [];
  let overage = 0;
  const ordersOf = new Map<string, number>();
  for (const d of solution.deliveries) {
    const o = orders.get(d.orderId)!;
    const ctd = d.dropoffAt - o.placedAt;
    c2d.push(ctd);
    r2p.push(d.pickupAt - o.readyAt);
    overage += Math.max(0, ctd - params.targetClickToDoorMin);
    ordersOf.set(d.courierId, (ordersOf.get(d.courierId) ?? 0) + 1);
  }
  const bundlesOf = new Map<string, number>();
  let bundled = 0;
  for (const a of solution.assignments) {
    bundlesOf.set(a.courierId, (bundlesOf.get(a.courierId) ?? 0) + 1);
    if (a.orderIds.length > 1) bundled += a.orderIds.length;
  }
  const driving = new Map<string, number>();
  const starts = new Map(instance.couriers.map((c) => [c.id, c.start]));
  const loc = (id: string, courierId: string) => (id === '0' ? starts.get(courierId)! : (instance.restaurants.get(id)?.loc ?? orders.get(id)!.drop));
  for (const m of solution.moves) {
    driving.set(m.courierId, (driving.get(m.courierId) ?? 0) + travel(loc(m.origin, m.courierId), loc(m.destination, m.courierId)));
  }
  let totalPay = 0;
  let utilSum = 0;
  for (const c of instance.couriers) {
    const shift = c.offTime - c.onTime;
    const n = ordersOf.get(c.id) ?? 0;
    totalPay += Math.max(params.payPerOrder * n, (params.payPerHour * shift) / 60);
    const busy = (driving.get(c.id) ?? 0) + n * params.dropoffServiceMin + (bundlesOf.get(c.id) ?? 0) * params.pickupServiceMin;
    utilSum += shift > 0 ? busy / shift : 0;
  }
  const delivered = solution.deliveries.length;
  return {
    instance: instance.name,
    orders: instance.orders.length,
    delivered,
    undeliveredPct: instance.orders.length === 0 ? 0 : (100 * (instance.orders.length - delivered)) / instance.orders.length,
    clickToDoorMean: mean(c2d),
    clickToDoorP90: percentile(c2d, 0.9),
    overageMean: delivered === 0 ? NaN : overage / delivered,
    readyToPickupMean: mean(r2p),
    utilization: instance.couriers.length === 0 ? NaN : utilSum / instance.couriers.length,
    costPerOrder: delivered === 0 ? NaN : totalPay / delivered,
    bundledOrdersPct: delivered === 0 ? 0 : (100 * bundled) / delivered,
  };
}

function mean(xs: readonly number[]): number {
  return xs.length === 0 ? NaN : xs.reduce((s, x) => s + x, 0) / xs.length;
}

/** Linear interpolation between closest ranks, as pandas' describe() computes it. */
export function percentile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}
