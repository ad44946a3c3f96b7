import { describe, expect, it } from 'vitest';
import { explain } from './late-order-explain.js';
import { LateOrderTap } from './late-order-tap.js';

const MIN = 60_000;
const T0 = Date.UTC(2025, 2, 3, 12, 0, 0);
const env = (type: string, id: string, ts: number) => ({ type, v: 1, id, ts });

/** One order from the store (52.5, 13.4) to a door `dropLat` north, its food ready `readyMin` after the click. */
function feed(tap: LateOrderTap, orderId: string, readyMin: number, dropLat = 52.51): void {
  tap.add({ ...env('order.created', `${orderId}:c`, T0), orderId, storeId: 's1', zoneId: 'z1', storeLat: 52.5, storeLon: 13.4, dropLat, dropLon: 13.4, placedAt: T0, expectedReadyAt: T0 + readyMin * MIN });
  tap.add({ ...env('order.ready', `${orderId}:r`, T0 + readyMin * MIN), orderId });
}

describe('late-order explanation (staffing-check --explain)', () => {
  it('names the world\'s misses: the customer cancelled, or food ready too late for the fastest rider plus service', () => {
    const tap = new LateOrderTap();
    feed(tap, 'o1', 10);
    tap.add({ ...env('order.cancelled', 'o1:x', T0 + 5 * MIN), orderId: 'o1', reason: 'customer' });
    feed(tap, 'o2', 36); // 1.1 km at 28 km/h is 2.4 min, + 2 min service: 40.4 > 40
    tap.add({ ...env('order.cancelled', 'o3:x', T0), orderId: 'nope', reason: 'customer' });
    expect(explain(tap.orders.get('o1')!, tap).cause).toBe('customer');
    expect(explain(tap.orders.get('o2')!, tap).cause).toBe('kitchen+service bound');
  });

  it('counts only unassigned_timeout as unassigned; a restart or other platform cancel is its own cause', () => {
    const tap = new LateOrderTap();
    const reasons = { o1: 'unassigned_timeout', o2: 'simulator_restart', o3: 'other', o4: 'customer' } as const;
    for (const [orderId, reason] of Object.entries(reasons)) {
      feed(tap, orderId, 10);
      tap.add({ ...env('order.cancelled', `${orderId}:x`, T0 + 20 * MIN), orderId, reason });
    }
    const causes = Object.keys(reasons).map((id) => explain(tap.orders.get(id)!, tap).cause);
    expect(causes).toEqual(['unassigned', 'other cancel', 'other cancel', 'customer']);
  });

  it('blames the rider reaching the food late when the food waited longer than the trip strayed', () => {
    const tap = new LateOrderTap();
    tap.add({ ...env('rider.shift_started', 'r1:s', T0), riderId: 'r1', zoneId: 'z1', lat: 52.52, lon: 13.4, shiftEnd: T0 + 240 * MIN });
    tap.add({ ...env('rider.location', 'r1:p', T0 + 1000), riderId: 'r1', zoneId: 'z1', lat: 52.52, lon: 13.4, status: 'to_customer', speedKmh: 18 });
    feed(tap, 'o1', 15);
    tap.add({ ...env('order.assigned', 'o1:a', T0 + 10 * MIN), orderId: 'o1', riderId: 'r1', assignmentId: 'a1' });
    tap.add({ ...env('order.picked_up', 'o1:p', T0 + 35 * MIN), orderId: 'o1', riderId: 'r1' });
    tap.add({ ...env('order.delivered', 'o1:d', T0 + 41 * MIN), orderId: 'o1', riderId: 'r1' });
    const x = explain(tap.orders.get('o1')!, tap);
    expect(x.cause).toBe('late at store');
    expect(x.waitMin).toBe(20);
    expect(x.riderStatusAtAssign).toBe('to_customer');
    expect(x.riderKmAtAssign).toBeCloseTo(2.22, 1);
    expect(x.clickToDoorMin).toBe(41);
  });
});
