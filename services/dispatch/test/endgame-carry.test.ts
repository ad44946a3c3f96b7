import { describe, expect, it } from 'vitest';
import { checkSolution } from '../bench/miss-search/check.js';
import { dispatchConfig } from '../src/core/config.js';
import { carriedPlans, type EndgameCarry } from '../src/core/endgame-carry.js';
import { planEndgame } from '../src/core/endgame.js';
import { planEndgameSequences } from '../src/core/endgame-planner.js';
import { dispatchRound } from '../src/core/policy.js';
import { parseInstance } from '../src/mdrp/instance.js';
import { simulateInstance } from '../src/mdrp/simulate.js';
import { assigns, restaurants, serviceMinutes, travel } from './fixtures/two-restaurants.js';
import { a, bnbRules, bundles, c1, d, ids, orders } from './four-order-instance.js';
import { lateJoinInstanceTexts } from './late-join-instance.js';

// The instance of four-order-instance.ts: c1 at r1 (off at 20); a1-a3 ready at 5, d at 17, all
// ~15 min north; bundles of at most 3. The branch and bound sends a1-a3 at 5 (d stranded: c1 is
// back after 20); the planner finds one pickup of all four at 17. At 2 the a1-a3 trip is due
// (c1 must leave by 3 for a pickup at 5, commitSlackMin 1), so a round that starts afresh from the
// branch and bound and does not search sends it and strands d; the carried plan keeps c1 for 17.
const rules = (endgameSearchIterations: number) => ({ ...serviceMinutes, endgameSearchIterations, endgameSearchMaxBundle: 8, endgameSearchWindowMin: 20 });
const empty: EndgameCarry = { plans: new Map() };
const round = (now: number, iterations: number, carry: EndgameCarry | null) =>
  planEndgameSequences(now, orders, [c1], restaurants, travel, rules(iterations), planEndgame(now, bundles, [c1], restaurants, travel, bnbRules), carry);

describe('end-game planner carried from round to round (endgameCarryPlan, issue 18)', () => {
  it('a round that does not search keeps the plan an earlier round found; afresh it strands d', () => {
    const first = round(0, 200, empty);
    expect(first.delivered).toBe(4);
    expect(first.carry).not.toBeNull();
    expect(ids(first.carry!.plans.get('c1')!.trips[0].orders)).toEqual(['a1', 'a2', 'a3', 'd']);

    const fresh = round(2, 0, null);
    expect(fresh.delivered).toBe(3);
    expect(ids(fresh.firstTrips.get('c1')!.bundle.orders)).toEqual(['a1', 'a2', 'a3']);
    expect(fresh.firstTrips.get('c1')!.plan.pickupAt).toBe(5);

    const carried = round(2, 0, first.carry);
    expect(carried.fromCarry).toBe(true);
    expect(carried.delivered).toBe(4);
    expect(ids(carried.firstTrips.get('c1')!.bundle.orders)).toEqual(['a1', 'a2', 'a3', 'd']);
    expect(carried.firstTrips.get('c1')!.plan.pickupAt).toBe(17);
  });

  it('is deterministic: the same input and carry give the same plan and carry', () => {
    const one = round(0, 50, empty);
    const two = round(0, 50, empty);
    const json = (p: typeof one) => JSON.stringify([[...p.firstTrips], [...p.joins], [...p.carry!.plans], p.iterations, p.delivered]);
    expect(json(two)).toBe(json(one));
    expect(json(round(2, 50, two.carry))).toBe(json(round(2, 50, one.carry)));
  });

  it('brings a carried plan up to now: orders no longer open leave it, a plan that no longer fits is cut back', () => {
    const ctx = { now: 2, restaurants, travel, service: serviceMinutes };
    const plan = { pending: null, trips: [{ restaurantId: 'r1', orders: [a[0], a[1]] }, { restaurantId: 'r1', orders: [a[2], d] }] };
    const c = { id: 'c1', offTime: 20, start: { at: 0, loc: { x: 0, y: 0 }, restaurantId: 'r1' }, pending: null };
    // a1 was given elsewhere: it leaves the first trip; the second trip (after a ~30-min round trip) is past the off_time
    const [kept] = carriedPlans([c], { plans: new Map([['c1', plan]]) }, [a[1], a[2], d], ctx);
    expect(kept.trips.map((t) => ids(t.orders))).toEqual([['a2']]);
    // an order planned twice (by two couriers' carried plans) is kept by the first only
    const c2 = { ...c, id: 'c2' };
    const twice = carriedPlans([c, c2], { plans: new Map([['c1', { pending: null, trips: [{ restaurantId: 'r1', orders: [d] }] }], ['c2', { pending: null, trips: [{ restaurantId: 'r1', orders: [d] }] }]]) }, [d], ctx);
    expect(twice.map((p) => p.trips.length)).toEqual([1, 0]);
  });

  it('through dispatchRound: the round returns the plan, and the next round given it does not send a1-a3', () => {
    const cfg = (endgameSearchIterations: number) => dispatchConfig({ endgameCarryPlan: true, endgameSearchIterations, prepositionEnabled: false });
    const input = (now: number) => ({ now, couriers: [c1], openOrders: orders, restaurants, recentOrders: [] });
    const r0 = dispatchRound(input(0), cfg(200), travel);
    expect(r0.endgameCarry).not.toBeNull();
    expect(assigns(r0.decisions)).toEqual([]);
    // the config's pickup service is 2 min (half: 1), so the a1-a3 trip is due at 3, not 2.
    // At 3 without a search: afresh (the branch and bound), a1-a3 are sent (d stranded); carried,
    // nothing is sent yet. (Afresh with endgameCarryPlan on would insert the orders into an empty
    // carry, completePlans, which here finds the four-order pickup too.)
    const fresh = dispatchConfig({ endgameSearchIterations: 0, prepositionEnabled: false });
    expect(assigns(dispatchRound(input(3), fresh, travel).decisions).map((x) => [...x.orderIds].sort())).toEqual([['a1', 'a2', 'a3']]);
    const r3 = dispatchRound(input(3), cfg(0), travel, { endgameCarry: r0.endgameCarry });
    expect(assigns(r3.decisions)).toEqual([]);
    expect(ids(r3.matches[0].bundle.orders)).toEqual(['a1', 'a2', 'a3', 'd']);
    expect(r3.matches[0].plan.pickupAt).toBe(17);
    // the defaults carry nothing
    expect(dispatchRound(input(0), dispatchConfig({ prepositionEnabled: false }), travel).endgameCarry).toBeNull();
  });

  it('in the MDRP simulation the carried planner still joins b to a\'s trip (validator clean)', () => {
    const instance = parseInstance('late-join', lateJoinInstanceTexts());
    const run = simulateInstance(instance, dispatchConfig({ endgameSearchIterations: 100, endgameCarryPlan: true }));
    const after = checkSolution(instance, run);
    expect(after.violations).toEqual([]);
    expect(after.metrics.delivered).toBe(2);
    expect(after.uncertified).toEqual([]);
  });
});
