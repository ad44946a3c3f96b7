import { describe, expect, it } from 'vitest';
import { dispatchConfig } from '../src/core/config.js';
import { netDemand } from '../src/core/net-demand.js';
import { dispatchRound } from '../src/core/policy.js';
import type { CourierView, DispatchInput, OpenOrder } from '../src/core/types.js';
import { courier, restaurantsAt, travel } from './fixtures/two-restaurants.js';

// Issue 18, thirteenth stop: prepositioning by a forecast net of the backlog and of the couriers
// already coming (prepositionNetDemand). 100 m per minute; r1 at the origin, r2 15 min east.
const restaurants = restaurantsAt({ x: 0, y: 0 }, { x: 1500, y: 0 });
// two orders at each restaurant in the last hour: one slot each by the plain rule
const recent = [
  { restaurantId: 'r1', placedAt: 30 },
  { restaurantId: 'r1', placedAt: 40 },
  { restaurantId: 'r2', placedAt: 35 },
  { restaurantId: 'r2', placedAt: 45 },
];
const input = (couriers: CourierView[], openOrders: OpenOrder[] = []): DispatchInput => ({ now: 60, couriers, openOrders, restaurants, recentOrders: recent });
const plain = dispatchConfig({ endgameMaxCouriers: 0 });
const net = dispatchConfig({ endgameMaxCouriers: 0, prepositionNetDemand: true });
const moves = (cfg: typeof plain, couriers: CourierView[]) =>
  dispatchRound(input(couriers), cfg, travel).decisions.filter((d) => d.kind === 'reposition').map((d) => [d.courierId, d.restaurantId]);

describe('prepositioning by net demand (prepositionNetDemand)', () => {
  // c1 is on its way to r1 (a move sent earlier: its plan ends at r1 at 64); c2 is idle 5 min from
  // r1 and 10 from r2. r1's one expected order is already covered by c1, r2's by nobody.
  const couriers = () => [
    courier('c1', 0, 0, { freeAt: 64, freeRestaurantId: 'r1' }),
    courier('c2', 500, 0),
  ];

  it('by recent demand alone, the idle courier goes to the nearest slot, where another courier is already heading', () => {
    expect(moves(plain, couriers())).toEqual([['c2', 'r1']]);
  });

  it('net of the couriers already coming, it goes where no one is', () => {
    expect(moves(net, couriers())).toEqual([['c2', 'r2']]);
  });

  it('counts placed orders nobody is matched to as demand now, and nets the couriers that will be free there', () => {
    // o1 at r2 is placed but ready only at 120, outside the round's 30-min horizon: no match
    const o1: OpenOrder = { id: 'o1', restaurantId: 'r2', placedAt: 55, readyAt: 120, drop: { x: 1500, y: 1000 } };
    const d = netDemand(60, restaurants, recent, [o1], [courier('c1', 0, 0, { freeAt: 64, freeRestaurantId: 'r1' })], travel, net);
    expect(d).toEqual([
      { restaurantId: 'r2', forecast: 1, backlog: 1, supply: 0, slots: 2 },
      { restaurantId: 'r1', forecast: 1, backlog: 0, supply: 1, slots: 0 },
    ]);
    // a courier free only after the horizon, or with too little shift left, is no supply
    const late = netDemand(60, restaurants, recent, [], [courier('c1', 0, 0, { freeAt: 95, freeRestaurantId: 'r1' }), courier('c3', 0, 0, { offTime: 70 })], travel, net);
    expect(late.find((x) => x.restaurantId === 'r1')?.supply).toBe(0);
  });

  it('heading only: nets the couriers on their way there, not the ones finishing nearby, and adds no backlog', () => {
    const heading = dispatchConfig({ prepositionNetDemand: true, prepositionNetHeadingOnly: true });
    const o1: OpenOrder = { id: 'o1', restaurantId: 'r2', placedAt: 55, readyAt: 120, drop: { x: 1500, y: 1000 } };
    // c1 on its way to r1; c4 drops off 1 min from r2 at 62 (busy, its plan ends at a customer)
    const supply = [courier('c1', 0, 0, { freeAt: 64, freeRestaurantId: 'r1' }), courier('c4', 1500, 100, { freeAt: 62 })];
    expect(netDemand(60, restaurants, recent, [o1], supply, travel, heading).map((x) => [x.restaurantId, x.backlog, x.supply, x.slots])).toEqual([
      ['r2', 0, 0, 1],
      ['r1', 0, 1, 0],
    ]);
    expect(moves(heading, couriers())).toEqual([['c2', 'r2']]);
  });

  it('is deterministic', () => {
    expect(moves(net, couriers())).toEqual(moves(net, couriers()));
  });
});
