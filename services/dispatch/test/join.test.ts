import { describe, expect, it } from 'vitest';
import { dispatchConfig } from '../src/core/config.js';
import { joinEnRoute } from '../src/core/join.js';
import { planRoute } from '../src/core/route.js';
import type { CourierView, OpenOrder } from '../src/core/types.js';
import { parseInstance, type InstanceTexts } from '../src/mdrp/instance.js';
import { runInstance } from '../src/mdrp/run.js';
import { instanceTexts } from './fixtures/instance-texts.js';
import { courier, restaurantsAt, serviceMinutes, travel } from './fixtures/two-restaurants.js';


/**
 * 100 m per minute. Restaurant r1 is 30 minutes from courier c1 (on 0–45). Order a (ready 35) goes
 * 20 minutes further on, so c1 must leave at once and is busy until 61. Order b of the same
 * restaurant is placed at 10, while c1 is driving there, and is ready at 40: c1 is the only
 * courier, and once a's trip ends it is past its off_time. Only c1's trip under way can take b.
 */
function enRouteInstance(): InstanceTexts {
  return instanceTexts({
    restaurants: [
      ['r1', 0, 3000],
    ],
    orders: [
      ['a', 0, 5000, 0, 'r1', 35],
      ['b', 300, 3000, 10, 'r1', 40],
    ],
    couriers: [
      ['c1', 0, 0, 0, 45],
    ],
  });
}

describe('join: an order placed while a courier drives to its restaurant rides along', () => {
  it('without joining, b is lost although c1 could have served it (no certificate)', () => {
    const run = runInstance(parseInstance('en-route', enRouteInstance()), dispatchConfig({ joinEnRoute: false }));
    expect(run.violations).toEqual([]);
    expect(run.metrics.delivered).toBe(1);
    expect(run.undelivered.avoidable.map((c) => c.orderId)).toEqual(['b']);
  });

  it('with joining, c1 picks a and b up together at b’s ready time; the solution passes every rule', () => {
    const run = runInstance(parseInstance('en-route', enRouteInstance()), dispatchConfig());
    expect(run.violations).toEqual([]);
    expect(run.metrics.delivered).toBe(2);
    expect(run.undelivered.avoidable).toEqual([]);
    const lines = run.texts.assignments.trim().split('\n').slice(1);
    expect(lines).toHaveLength(1);
    const [assignedAt, pickup, courier, ...orders] = lines[0].split(' ');
    expect(courier).toBe('c1');
    expect([...orders].sort()).toEqual(['a', 'b']);
    // dated when b joined (never before b was placed), picked up when b was ready, by the off_time
    expect(Number(assignedAt)).toBeGreaterThanOrEqual(10);
    expect(Number(pickup)).toBe(40);
    // one drive to the restaurant, then the two drop-offs: the trip was rewritten, not duplicated
    const moves = run.texts.couriers.trim().split('\n').slice(1).map((l) => l.split(' ').slice(2).join('→'));
    expect(moves).toEqual(['0→r1', ...orders.map((o, i) => `${i === 0 ? 'r1' : orders[i - 1]}→${o}`)]);
  });
});

describe('joinEnRoute (pure)', () => {
  const restaurants = restaurantsAt({ x: 0, y: 0 });
  const r1 = restaurants.get('r1')!;
  const rules = { ...serviceMinutes, rescueMaxBundleSize: 5, rescueWaitMin: 10, riskCourierValueMin: 30 };
  const order = (id: string, readyAt: number, x: number): OpenOrder => ({ id, restaurantId: 'r1', placedAt: 0, readyAt, drop: { x, y: 0 } });
  const first = order('a', 20, 1000);
  const start = { at: 0, loc: { x: 0, y: 1000 }, restaurantId: null };
  const plan = planRoute(start, 0, 'r1', r1.loc, [first], travel, rules);
  const enRoute: CourierView = {
    id: 'c1', onTime: 0, offTime: 100, freeAt: plan.endAt, freeLoc: first.drop, freeRestaurantId: null, ordersAssigned: 1,
    pendingTrip: { restaurantId: 'r1', orders: [first], start, givenAt: 0, plan },
  };
  // a second courier that can still serve anything: nothing is doomed
  const spare = courier('c2', 0, 0, { offTime: 100 });

  it('an order at no risk joins only with joinEveryOrder, and only under the courier value', () => {
    const near = order('b', 22, 1100); // same way: a little delay for a
    const off = joinEnRoute(5, [near], [enRoute, spare], restaurants, travel, rules, { risk: new Map(), courierValue: 5, everyOrder: false });
    expect(off.decisions).toEqual([]);
    const on = joinEnRoute(5, [near], [enRoute, spare], restaurants, travel, rules, { risk: new Map(), courierValue: 5, everyOrder: true });
    expect(on.decisions).toHaveLength(1);
    expect(on.decisions[0]).toMatchObject({ kind: 'join', courierId: 'c1', addedOrderIds: ['b'] });
    expect([...on.decisions[0].orderIds].sort()).toEqual(['a', 'b']);
    expect(on.couriers.find((c) => c.id === 'c1')!.freeAt).toBe(on.decisions[0].plan.endAt);
    const late = order('b', 28, 1100); // ready 8 minutes after a's pickup: a would wait for it
    const tooCostly = joinEnRoute(5, [late], [enRoute, spare], restaurants, travel, rules, { risk: new Map(), courierValue: 5, everyOrder: true });
    expect(tooCostly.decisions).toEqual([]);
  });

  it('a doomed order joins whatever the delay; none joins after the pickup or beyond the wait', () => {
    // c1 alone, off at 30: after a's trip it cannot come back, so b can only ride along
    const lastTrip = { ...enRoute, offTime: 30 };
    const far = order('b', 28, -3000);
    const doomed = joinEnRoute(5, [far], [lastTrip], restaurants, travel, rules, { risk: new Map(), courierValue: 5, everyOrder: false });
    expect(doomed.joined).toEqual(new Set(['b']));
    expect(doomed.decisions[0].plan.pickupAt).toBe(28);
    const afterPickup = joinEnRoute(plan.pickupAt, [far], [lastTrip], restaurants, travel, rules, { risk: new Map(), courierValue: 5, everyOrder: false });
    expect(afterPickup.decisions).toEqual([]);
    const tooLate = order('b', plan.pickupAt + 11, 1100);
    expect(joinEnRoute(5, [tooLate], [{ ...enRoute, offTime: 200 }], restaurants, travel, rules, { risk: new Map(), courierValue: Infinity, everyOrder: true }).decisions).toEqual([]);
  });
});
