import { describe, expect, it } from 'vitest';
import { checkSolution } from '../bench/miss-search/check.js';
import { dispatchConfig } from '../src/core/config.js';
import { planEndgame } from '../src/core/endgame.js';
import { planEndgameSequences } from '../src/core/endgame-planner.js';
import { planRoute } from '../src/core/route.js';
import type { CourierView } from '../src/core/types.js';
import { parseInstance } from '../src/mdrp/instance.js';
import { simulateInstance } from '../src/mdrp/simulate.js';
import { courier, order, restaurants, restaurantsAt, serviceMinutes, travel } from './fixtures/two-restaurants.js';
import { a, bnbRules, bundles, c1, d, ids, orders } from './four-order-instance.js';
import { lateJoinInstanceTexts } from './late-join-instance.js';

const rules = (endgameSearchIterations: number, endgameSearchMaxBundle = 8, endgameSearchWindowMin = 20) => ({ ...serviceMinutes, endgameSearchIterations, endgameSearchMaxBundle, endgameSearchWindowMin });

const plan = (iterations: number, maxBundle?: number) => {
  const seed = planEndgame(0, bundles, [c1], restaurants, travel, bnbRules);
  return { seed, result: planEndgameSequences(0, orders, [c1], restaurants, travel, rules(iterations, maxBundle), seed) };
};

describe('end-game planner (endgameSearchIterations, issue 18)', () => {
  it('delivers the order the branch and bound strands, with a bundle larger than maxBundleSize', () => {
    const { seed, result } = plan(200);
    expect(seed.delivered).toBe(3);
    expect(result.servable).toBe(4);
    expect(result.delivered).toBe(4);
    const trip = result.firstTrips.get('c1')!;
    expect(ids(trip.bundle.orders)).toEqual(['a1', 'a2', 'a3', 'd']);
    expect(trip.plan.pickupAt).toBe(17);
    // capped at 3 a trip, it cannot do better than the branch and bound
    expect(plan(200, 3).result.delivered).toBe(3);
  });

  it('is deterministic: the same input gives the same plan', () => {
    const one = plan(50).result;
    const two = plan(50).result;
    expect(two.iterations).toBe(one.iterations);
    expect(JSON.stringify([...two.firstTrips])).toBe(JSON.stringify([...one.firstTrips]));
    expect(JSON.stringify([...two.joins])).toBe(JSON.stringify([...one.joins]));
  });

  it('with no budget the plan is the branch and bound plan', () => {
    const { seed, result } = plan(0);
    expect(result.iterations).toBe(0);
    expect(result.delivered).toBe(seed.delivered);
    expect(result.firstTrips).toBe(seed.firstTrips);
    expect(result.joins.size).toBe(0);
  });

  it('adds an order to a trip whose pickup is still ahead', () => {
    // c1 was sent at 0 with a1 (pickup 5) and is free only after 20; d (ready 17) can still join
    const start = { at: 0, loc: { x: 0, y: 0 }, restaurantId: 'r1' };
    const trip = planRoute(start, 0, 'r1', restaurants.get('r1')!.loc, [a[0]], travel, serviceMinutes);
    const sent: CourierView = { ...c1, freeAt: trip.endAt, freeLoc: a[0].drop, freeRestaurantId: null, pendingTrip: { restaurantId: 'r1', orders: [a[0]], start, givenAt: 0, plan: trip } };
    const seed = planEndgame(1, [{ restaurantId: 'r1', orders: [d] }], [sent], restaurants, travel, bnbRules);
    expect(seed.delivered).toBe(0);
    const result = planEndgameSequences(1, [d], [sent], restaurants, travel, rules(100), seed);
    expect(result.delivered).toBe(1);
    const join = result.joins.get('c1')!;
    expect(join.addedOrderIds).toEqual(['d']);
    expect(ids(join.orders)).toEqual(['a1', 'd']);
    expect(join.plan.pickupAt).toBe(17);
  });

  it('in the MDRP simulation: the defaults strand b, the planner joins it to a\'s trip before the pickup', () => {
    const instance = parseInstance('late-join', lateJoinInstanceTexts());
    const before = checkSolution(instance, simulateInstance(instance, dispatchConfig()));
    expect(before.violations).toEqual([]);
    expect(before.metrics.delivered).toBe(1);
    expect(before.uncertified).toEqual(['b']);

    const run = simulateInstance(instance, dispatchConfig({ endgameSearchIterations: 100 }));
    const after = checkSolution(instance, run);
    expect(after.violations).toEqual([]);
    expect(after.metrics.delivered).toBe(2);
    expect(after.uncertified).toEqual([]);
    // one trip: given at 2 with a, b joined in the last round before its pickup at 5
    expect(run.assignments.map((x) => [x.courierId, x.assignedAt, x.pickupAt, [...x.orderIds].sort()])).toEqual([['c1', 4, 17, ['a', 'b']]]);
  });

  it('searches only the closure of the left-out order: a courier that cannot reach it keeps its plan', () => {
    // r2 is 50 min east of r1. c2 waits at r2 until 40 for e (ready 30): it can never reach r1 in
    // time, and c1 (off at 20) never r2. The branch and bound strands d as above; the closure of d
    // is c1 alone, so the search re-plans c1 (one pickup of all four at 17) and leaves c2's trip as it was.
    const far = restaurantsAt({ x: 0, y: 0 }, { x: 5000, y: 0 });
    const e = order('e', 'r2', 30, { x: 5000, y: 800 });
    const c2: CourierView = courier('c2', 5000, 0, { offTime: 40, freeRestaurantId: 'r2' });
    const seed = planEndgame(0, [...bundles, { restaurantId: 'r2', orders: [e] }], [c1, c2], far, travel, bnbRules);
    expect(seed.delivered).toBe(4);
    const result = planEndgameSequences(0, [...orders, e], [c1, c2], far, travel, rules(200), seed);
    expect(result.searchedCouriers).toEqual(['c1']);
    expect(result.delivered).toBe(5);
    expect(ids(result.firstTrips.get('c1')!.bundle.orders)).toEqual(['a1', 'a2', 'a3', 'd']);
    expect(result.firstTrips.get('c2')).toEqual(seed.firstTrips.get('c2'));
  });

  it('searches only when a left-out order\'s last chance is within endgameSearchWindowMin', () => {
    // d's last chance: c1 (at r1, off at 20) must pick up by 20, half a pickup service after it is
    // there: 18. At 0 a window of 17 min does not reach it, 18 does.
    const seed = planEndgame(0, bundles, [c1], restaurants, travel, bnbRules);
    const far = planEndgameSequences(0, orders, [c1], restaurants, travel, rules(200, 8, 17), seed);
    expect(far.iterations).toBe(0);
    expect(far.delivered).toBe(3);
    const near = planEndgameSequences(0, orders, [c1], restaurants, travel, rules(200, 8, 18), seed);
    expect(near.delivered).toBe(4);
  });
});
