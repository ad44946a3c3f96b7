import { describe, expect, it } from 'vitest';
import { dispatchConfig } from '../src/core/config.js';
import { dispatchRound } from '../src/core/policy.js';
import type { DispatchInput } from '../src/core/types.js';
import { assigns, courier, order, restaurants, travel } from './fixtures/two-restaurants.js';

// 100 m per minute; r1 at the origin, r2 3 minutes north (fixtures/two-restaurants.ts).


describe('dispatchRound: multi-trip planning (multiTripSlots)', () => {
  // c1 waits at r1; r2 is 3 min from it. c2 is 50 min away. o1 (r1) and o2 (r2) are ready now.
  // One trip per courier sends c2 on a 50-minute drive for one of them (pickup at 62); planning two
  // trips sees that c1 can deliver o1 by 18 and pick o2 up at 23, so c2 is not sent.
  const input: DispatchInput = {
    now: 10,
    couriers: [courier('c1', 0, 0, { freeRestaurantId: 'r1' }), courier('c2', 5000, 0)],
    openOrders: [order('o1', 'r1', 10, { x: 0, y: 200 }), order('o2', 'r2', 10, { x: 0, y: 500 })],
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
