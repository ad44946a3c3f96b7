import { describe, expect, it } from 'vitest';
import { wholeMinuteTravel } from '@riderflow/geo';
import { dispatchConfig } from '../src/core/config.js';
import { dispatchRound } from '../src/core/policy.js';
import type { AssignDecision, CourierView, DispatchInput, OpenOrder, Restaurant } from '../src/core/types.js';

// 100 m per minute
const travel = wholeMinuteTravel(100);
const R1: Restaurant = { id: 'r1', loc: { x: 0, y: 0 } };
const R2: Restaurant = { id: 'r2', loc: { x: 0, y: 300 } };
const restaurants = new Map([
  [R1.id, R1],
  [R2.id, R2],
]);

function courier(id: string, x: number, y: number, extra: Partial<CourierView> = {}): CourierView {
  return { id, onTime: 0, offTime: 600, freeAt: 0, freeLoc: { x, y }, freeRestaurantId: null, ordersAssigned: 0, ...extra };
}

function order(id: string, restaurantId: string, dropX: number, dropY: number, readyAt: number): OpenOrder {
  return { id, restaurantId, placedAt: 0, readyAt, drop: { x: dropX, y: dropY } };
}

const assigns = (decisions: ReturnType<typeof dispatchRound>['decisions']) => decisions.filter((d): d is AssignDecision => d.kind === 'assign');

describe('dispatchRound: multi-trip planning (multiTripSlots)', () => {
  // c1 waits at r1; r2 is 3 min from it. c2 is 50 min away. o1 (r1) and o2 (r2) are ready now.
  // One trip per courier sends c2 on a 50-minute drive for one of them (pickup at 62); planning two
  // trips sees that c1 can deliver o1 by 18 and pick o2 up at 23, so c2 is not sent.
  const input: DispatchInput = {
    now: 10,
    couriers: [courier('c1', 0, 0, { freeRestaurantId: 'r1' }), courier('c2', 5000, 0)],
    openOrders: [order('o1', 'r1', 0, 200, 10), order('o2', 'r2', 0, 500, 10)],
    restaurants,
    recentOrders: [],
  };
  const base = { prepositionEnabled: false, endgameMaxCouriers: 0 };

  it('off (the default): each courier gets one trip, the far courier is sent for the second order', () => {
    const round = dispatchRound(input, dispatchConfig(base), travel);
    const sent = assigns(round.decisions).map((d) => d.courierId).sort();
    expect(sent).toEqual(['c1', 'c2']);
  });

  it('on: the near courier takes both orders one after the other; only its first trip is used, the far one is not sent', () => {
    const round = dispatchRound(input, dispatchConfig({ ...base, multiTripSlots: 2, multiTripMinScarcity: 0 }), travel);
    const sent = assigns(round.decisions);
    expect(sent.map((d) => d.courierId)).toEqual(['c1']);
    expect(round.matches.map((m) => m.courier.id)).toEqual(['c1']);
  });

  it('not below multiTripMinScarcity (orders ready soon per courier free soon)', () => {
    const round = dispatchRound(input, dispatchConfig({ ...base, multiTripSlots: 2, multiTripMinScarcity: 1.5 }), travel);
    expect(assigns(round.decisions).map((d) => d.courierId).sort()).toEqual(['c1', 'c2']);
  });
});
