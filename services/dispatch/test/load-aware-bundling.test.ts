import { describe, expect, it } from 'vitest';
import { dispatchConfig } from '../src/core/config.js';
import { dispatchRound } from '../src/core/policy.js';
import { planRoute } from '../src/core/route.js';
import type { CourierView, DispatchInput, JoinDecision, OpenOrder } from '../src/core/types.js';
import { assigns, courier, restaurantsAt, travel } from './fixtures/two-restaurants.js';

// Issue 18, twelfth stop: bundling that knows the load. 100 m per minute (fixtures/two-restaurants.ts).
const restaurants = restaurantsAt({ x: 0, y: 0 }, { x: 0, y: -3000 });
const placedAt = (o: OpenOrder, t: number): OpenOrder => ({ ...o, placedAt: t });
const order = (id: string, restaurantId: string, readyAt: number, x: number, y: number): OpenOrder => ({ id, restaurantId, placedAt: 0, readyAt, drop: { x, y } });
const input = (now: number, couriers: CourierView[], openOrders: OpenOrder[]): DispatchInput => ({ now, couriers, openOrders, restaurants, recentOrders: [] });
// the end game (at most 10 couriers on shift) would take these one- and two-courier rounds over
const base = { prepositionEnabled: false, endgameMaxCouriers: 0, pickupServiceMin: 4, dropoffServiceMin: 4 };

describe('bundleReadyFromArrival: an order counts as ready no earlier than any courier can pick it up', () => {
  // At 20, o1 (ready 20) and o2 (ready 35) wait at r1. The only courier is 20 minutes away: no
  // pickup can be before 20 + 20 + 2 (half the pickup service) = 42, when both are ready. Their
  // ready times are 15 minutes apart, over bundleReadySpreadMin (10), so by ready times they are
  // never bundled: c1 carries o1 (drop-off 56), comes back and picks o2 up at 70 (drop-off 85).
  const orders = [order('o1', 'r1', 20, 1000, 0), order('o2', 'r1', 35, 1000, 100)];
  const far = courier('c1', 0, 2000);

  it('without it, o1 and o2 are two trips', () => {
    const round = dispatchRound(input(20, [far], orders), dispatchConfig(base), travel);
    expect(round.bundles.map((b) => b.orders.map((o) => o.id))).toEqual([['o1'], ['o2']]);
  });

  it('with it, c1 picks both up at 42 and drops o2 at 61 instead of 85', () => {
    const round = dispatchRound(input(20, [far], orders), dispatchConfig({ ...base, bundleReadyFromArrival: true }), travel);
    expect(round.bundles.map((b) => b.orders.map((o) => o.id))).toEqual([['o1', 'o2']]);
    const [a] = assigns(round.decisions);
    expect(a).toMatchObject({ courierId: 'c1', orderIds: ['o1', 'o2'] });
    expect(a.plan.pickupAt).toBe(42);
    expect(a.plan.dropoffs).toEqual([56, 61]);
  });

  it('not once at most bundleReadyFromArrivalMinCouriers couriers are on shift', () => {
    const round = dispatchRound(input(20, [far], orders), dispatchConfig({ ...base, bundleReadyFromArrival: true, bundleReadyFromArrivalMinCouriers: 1 }), travel);
    expect(round.bundles.map((b) => b.orders.map((o) => o.id))).toEqual([['o1'], ['o2']]);
  });

  it('a courier waiting at the restaurant can pick o1 up at once: the ready times count, no bundle', () => {
    const here = courier('c1', 0, 0, { freeRestaurantId: 'r1' });
    const round = dispatchRound(input(20, [here], orders), dispatchConfig({ ...base, bundleReadyFromArrival: true }), travel);
    expect(round.bundles.map((b) => b.orders.map((o) => o.id))).toEqual([['o1'], ['o2']]);
  });
});

describe('joinEveryOrderMinScarcity: every order may join a trip under way in overloaded rounds', () => {
  // c1 left (0, 1000) at 0 for r1 with a (ready 20, drop-off 1 km east): there at 10, pickup 20.
  // At 10, b is placed at r1 (ready 18, drop-off next to a's): c1 could take it at no delay to a.
  // b is not doomed (c1 can come back for it by its off_time), so by default it waits for a trip of
  // its own. Two orders at r2 are ready too and no courier is free before 20: scarcity 3.
  const a = order('a', 'r1', 20, 1000, 0);
  const start = { at: 0, loc: { x: 0, y: 1000 }, restaurantId: null };
  const plan = planRoute(start, 0, 'r1', { x: 0, y: 0 }, [a], travel, base);
  const c1: CourierView = { ...courier('c1'), freeAt: plan.endAt, freeLoc: a.drop, ordersAssigned: 1, pendingTrip: { restaurantId: 'r1', orders: [a], start, givenAt: 0, plan } };
  const open = [placedAt(order('b', 'r1', 18, 1000, 100), 10), order('x', 'r2', 15, 0, -4000), order('y', 'r2', 15, 0, -4100)];
  const joinOf = (config: object) => dispatchRound(input(10, [c1], open), dispatchConfig({ ...base, ...config }), travel).decisions.filter((d): d is JoinDecision => d.kind === 'join');

  it('by default b does not join', () => {
    expect(plan.pickupAt).toBe(20);
    expect(joinOf({})).toEqual([]);
  });

  it('at a threshold the round reaches (2), b rides along with a at the same pickup', () => {
    const joins = joinOf({ joinEveryOrderMinScarcity: 2 });
    expect(joins).toHaveLength(1);
    expect(joins[0]).toMatchObject({ courierId: 'c1', addedOrderIds: ['b'] });
    expect([...joins[0].orderIds].sort()).toEqual(['a', 'b']);
    expect(joins[0].plan.pickupAt).toBe(20);
  });

  it('above the round’s scarcity (4), it does not', () => {
    expect(joinOf({ joinEveryOrderMinScarcity: 4 })).toEqual([]);
  });
});
