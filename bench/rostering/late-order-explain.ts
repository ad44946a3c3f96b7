import { MINUTE_MS, type LateOrderTap, type OrderTrace } from './late-order-tap.js';
import { tooLateForAnyRider } from './kitchen-bound.js';

/** The city's service times (services/simulator/src/world/city.ts): half of each is spent before, half after the hand-over. */
const HALF_PICKUP_MIN = 1;
const HALF_DROPOFF_MIN = 1;

/**
 * Why an order missed 40 minutes, first cause that applies, in this order:
 * - customer: the customer cancelled (the world's: drawn at the click, 2–15 min later);
 * - unassigned: cancelled after 20 min with no rider (dispatch or staffing): reason
 *   `unassigned_timeout` only;
 * - other cancel: cancelled by the platform for any other reason (`simulator_restart`: in flight
 *   when the simulator stopped; `other`; or a reason this script does not know). Not a staffing
 *   miss, so not counted as one: before, every reason but `customer` was counted as 'unassigned';
 * - kitchen+service bound: food ready + half pickup + the fleet's fastest straight ride + half
 *   drop-off > 40 min (no rider at all could have made it; sound: service times are the world's);
 * - own speed: the same with the assigned rider's own speed and the weather at pickup (a faster
 *   rider might have made it, this one waiting at the store could not);
 * - late at store / slow trip: the rest, by which cost more minutes: the food waiting for the rider
 *   (pickup − ready), or the trip after pickup beyond a direct ride at the rider's speed (other
 *   orders dropped first, or rain on the way; the city's live dispatch bundled no order on these runs).
 */
export type Cause = 'customer' | 'unassigned' | 'other cancel' | 'kitchen+service bound' | 'own speed' | 'late at store' | 'slow trip' | 'not delivered';
export const CAUSES: readonly Cause[] = ['customer', 'unassigned', 'other cancel', 'kitchen+service bound', 'own speed', 'late at store', 'slow trip', 'not delivered'];

export interface Explained extends OrderTrace {
  cause: Cause;
  /** Minutes: click→ready, ready→pickup (food waiting), pickup→door, door beyond a direct ride at the rider's speed. */
  prepMin: number;
  waitMin: number;
  tripMin: number;
  detourMin: number;
  riderKmh: number;
  clickToDoorMin: number;
}

export function explain(o: OrderTrace, tap: LateOrderTap, targetMin = 40): Explained {
  const rider = o.riderId ? tap.riders.get(o.riderId) : undefined;
  const riderKmh = rider?.maxKmh ?? NaN;
  const sf = o.speedFactorAtPickup ?? 1;
  const ownRideMin = o.rideM / ((riderKmh * 1000) / 60) / sf;
  const readyAt = o.readyAt ?? o.expectedReadyAt;
  const prepMin = (readyAt - o.placedAt) / MINUTE_MS;
  const waitMin = o.pickedAt !== undefined ? (o.pickedAt - readyAt) / MINUTE_MS : NaN;
  const tripMin = o.deliveredAt !== undefined && o.pickedAt !== undefined ? (o.deliveredAt - o.pickedAt) / MINUTE_MS : NaN;
  const detourMin = tripMin - (HALF_PICKUP_MIN + ownRideMin + HALF_DROPOFF_MIN);
  const clickToDoorMin = o.deliveredAt !== undefined ? (o.deliveredAt - o.placedAt) / MINUTE_MS : Infinity;
  let cause: Cause;
  if (o.cancelReason === 'customer') cause = 'customer';
  else if (o.cancelReason === 'unassigned_timeout') cause = 'unassigned';
  else if (o.cancelReason !== undefined) cause = 'other cancel';
  else if (tooLateForAnyRider(o.placedAt, readyAt, o.rideM, targetMin)) cause = 'kitchen+service bound';
  else if (o.deliveredAt === undefined) cause = 'not delivered';
  else if (prepMin + HALF_PICKUP_MIN + ownRideMin + HALF_DROPOFF_MIN > targetMin) cause = 'own speed';
  else cause = waitMin >= detourMin ? 'late at store' : 'slow trip';
  return { ...o, cause, prepMin, waitMin, tripMin, detourMin, riderKmh, clickToDoorMin };
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : NaN);
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '—');

/** Prints the breakdown of the late orders (and, for comparison, the on-time ones) of a set of orders. */
export function printBreakdown(title: string, all: readonly Explained[], targetMin = 40): void {
  const late = all.filter((o) => !(o.clickToDoorMin <= targetMin));
  const onTime = all.filter((o) => o.clickToDoorMin <= targetMin);
  console.log(`\n${title}: ${all.length} orders, ${late.length} missed ${targetMin} min (${((late.length / all.length) * 100).toFixed(1)} %)`);
  console.log('cause                   orders  % of all  c2d  prep  assign→  wait  trip  detour  bundle>1  rider busy  nearer free  rider km  nearest free km  km/h');
  console.log('                                          min  min   placed   min   min   min     share     at assign   by >1 km    at assign  at assign');
  const row = (name: string, os: readonly Explained[]) => {
    if (os.length === 0) return;
    const delivered = os.filter((o) => o.deliveredAt !== undefined);
    const assigned = os.filter((o) => o.assignedAt !== undefined);
    const share = (pick: (o: Explained) => boolean) => (assigned.length ? `${((assigned.filter(pick).length / assigned.length) * 100).toFixed(0)} %` : '—');
    console.log([
      name.padEnd(22), String(os.length).padStart(6), `${((os.length / all.length) * 100).toFixed(1)} %`.padStart(8),
      f1(mean(delivered.map((o) => o.clickToDoorMin))).padStart(5), f1(mean(os.map((o) => o.prepMin))).padStart(5),
      f1(mean(assigned.map((o) => (o.assignedAt! - o.placedAt) / MINUTE_MS))).padStart(8),
      f1(mean(delivered.map((o) => o.waitMin))).padStart(5), f1(mean(delivered.map((o) => o.tripMin))).padStart(5), f1(mean(delivered.map((o) => o.detourMin))).padStart(7),
      share((o) => (o.bundleSize ?? 1) > 1).padStart(9),
      share((o) => o.riderStatusAtAssign !== undefined && o.riderStatusAtAssign !== 'idle' && o.riderStatusAtAssign !== 'repositioning').padStart(11),
      share((o) => (o.riderKmAtAssign ?? 0) > (o.nearestFreeKmAtAssign ?? Infinity) + 1).padStart(11),
      f1(mean(assigned.map((o) => o.riderKmAtAssign ?? NaN).filter(Number.isFinite))).padStart(9),
      f1(mean(assigned.map((o) => o.nearestFreeKmAtAssign ?? NaN).filter(Number.isFinite))).padStart(16),
      f1(mean(delivered.map((o) => o.riderKmh).filter(Number.isFinite))).padStart(5),
    ].join(' '));
  };
  for (const c of CAUSES) row(c, late.filter((o) => o.cause === c));
  row('all late', late);
  row('on time (comparison)', onTime);
}
