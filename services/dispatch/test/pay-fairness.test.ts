import { describe, expect, it } from 'vitest';
import { wholeMinuteTravel } from '@riderflow/geo';
import { dispatchConfig } from '../src/core/config.js';
import { dispatchRound } from '../src/core/policy.js';
import type { CourierView, DispatchInput, OpenOrder, Restaurant } from '../src/core/types.js';

// 100 m per minute: every 100 m of distance is one minute of travel.
const travel = wholeMinuteTravel(100);
const R: Restaurant = { id: 'r1', loc: { x: 0, y: 0 } };
const restaurants = new Map([[R.id, R]]);
const NOW = 10;

// Both couriers are under their guarantee ($60: six orders) by the orders given so far, so the plain
// pay term sees no difference. c-fresh is 1 min nearer but has almost four hours of a busy shift
// left (it will pass its guarantee anyway); c-late is off in 20 min with two orders: it is expected
// to be paid for about four orders it never carries, so this order is free only with it.
const couriers: CourierView[] = [
  { id: 'c-fresh', onTime: 0, offTime: 240, freeAt: 0, freeLoc: { x: 300, y: 0 }, freeRestaurantId: null, ordersAssigned: 0 },
  { id: 'c-late', onTime: -210, offTime: 30, freeAt: 0, freeLoc: { x: 400, y: 0 }, freeRestaurantId: null, ordersAssigned: 2 },
];
// ready now: c-fresh picks up 1 min before c-late (3 vs 4 min away), so it is 1 min sooner at the door
const order: OpenOrder = { id: 'o1', restaurantId: R.id, placedAt: NOW, readyAt: NOW, drop: { x: 0, y: 1000 } };
// ten orders in the last hour for two couriers: five per courier-hour
const recentOrders: DispatchInput['recentOrders'] = Array.from({ length: 10 }, (_, i) => ({ restaurantId: R.id, placedAt: NOW - 5 * i }));
const tight: DispatchInput = { now: NOW, couriers, openOrders: [order], restaurants, recentOrders };
const hp = dispatchConfig().pickupServiceMin / 2;

const base = { prepositionEnabled: false, endgameMaxCouriers: 0, payFairnessMinCouriers: 0 };
const courierOf = (i: DispatchInput, cfg: ReturnType<typeof dispatchConfig>) => {
  const round = dispatchRound(i, cfg, travel);
  expect(round.matches).toHaveLength(1);
  return { courier: round.matches[0].courier.id, pickupAt: round.matches[0].plan.pickupAt };
};

describe('dispatchRound: courier-level fairness band (payFairnessBandMin)', () => {
  it('without the band the nearer courier takes the order (1 min sooner at the door)', () => {
    expect(courierOf(tight, dispatchConfig(base))).toEqual({ courier: 'c-fresh', pickupAt: NOW + 3 + hp });
  });

  it('with a 2-min band the courier furthest under its guarantee takes it, 1 min later', () => {
    expect(courierOf(tight, dispatchConfig({ ...base, payFairnessBandMin: 2 }))).toEqual({ courier: 'c-late', pickupAt: NOW + 4 + hp });
  });

  it('a band narrower than the difference keeps the nearer courier', () => {
    expect(courierOf(tight, dispatchConfig({ ...base, payFairnessBandMin: 0.5 }))).toEqual({ courier: 'c-fresh', pickupAt: NOW + 3 + hp });
  });

  it('is off once at most payFairnessMinCouriers couriers are on shift', () => {
    expect(courierOf(tight, dispatchConfig({ ...base, payFairnessBandMin: 2, payFairnessMinCouriers: 2 }))).toEqual({ courier: 'c-fresh', pickupAt: NOW + 3 + hp });
  });

  it('is off for an order at risk (it goes where it is surest)', () => {
    // an order only these two couriers can serve, with c-fresh's margin under riskCapableMarginMin
    const risky = dispatchConfig({ ...base, payFairnessBandMin: 2, riskCapableMarginMin: 300 });
    expect(courierOf(tight, risky)).toEqual({ courier: 'c-fresh', pickupAt: NOW + 3 + hp });
    // the same order, not at risk (risk off): the band applies
    expect(courierOf(tight, dispatchConfig({ ...base, payFairnessBandMin: 2, riskCapableMarginMin: 300, riskCapableCouriers: 0 }))).toEqual({ courier: 'c-late', pickupAt: NOW + 4 + hp });
  });
});

describe('dispatchRound: the band forecasts each courier (payFairnessForecastWeight)', () => {
  it('with no forecast every courier with orders still to earn looks alike, so the nearer one takes the order', () => {
    // weight 0: c-fresh is owed its whole $60 as much as c-late its $40 (both over one order's pay)
    expect(courierOf(tight, dispatchConfig({ ...base, payFairnessBandMin: 2, payFairnessForecastWeight: 0 }))).toEqual({ courier: 'c-fresh', pickupAt: NOW + 3 + hp });
  });
});
