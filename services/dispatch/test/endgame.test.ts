import { describe, expect, it } from 'vitest';
import type { Bundle } from '../src/core/bundling.js';
import { planEndgame } from '../src/core/endgame.js';
import type { CourierView, Restaurant } from '../src/core/types.js';
import { courier, order, restaurants, serviceMinutes, travel } from './fixtures/two-restaurants.js';

// 100 m per minute; r1 at the origin, r2 3 minutes north (fixtures/two-restaurants.ts).
const rules = { ...serviceMinutes, endgameNodeBudget: 1000 };
/** a courier free now at r1 until its off time */
const until = (id: string, offTime: number): CourierView => courier(id, 0, 0, { offTime });

// a is ready at 10 and goes 20 min away; b is ready at 20, 3 min from the couriers.
// c1 (off 30) and c2 (off 15) can both pick a up at 10; only c1 can pick b up (c2 is off at 15).
// Greedy by earliest pickup gives a to c1 (the tie goes to the first courier), and after a c1 is
// back too late for b (free at 36 > off 30): one order. The search gives a to c2 and b to c1.
const a: Bundle = { restaurantId: 'r1', orders: [order('a', 'r1', 10, { x: 2000, y: 0 })] };
const b: Bundle = { restaurantId: 'r2', orders: [order('b', 'r2', 20, { x: 0, y: 600 })] };

describe('end game: trip sequences searched, not one trip per courier', () => {
  it('delivers both orders where greedy commitment strands one', () => {
    const greedy = planEndgame(0, [a, b], [until('c1', 30), until('c2', 15)], restaurants, travel, { ...rules, endgameNodeBudget: 2 });
    expect(greedy.delivered).toBe(1);
    const r = planEndgame(0, [a, b], [until('c1', 30), until('c2', 15)], restaurants, travel, rules);
    expect(r.delivered).toBe(2);
    expect(r.firstTrips.get('c2')?.bundle.orders.map((o) => o.id)).toEqual(['a']);
    expect(r.firstTrips.get('c1')?.bundle.orders.map((o) => o.id)).toEqual(['b']);
    expect(r.firstTrips.get('c1')!.plan.pickupAt).toBeLessThanOrEqual(30);
    expect(r.firstTrips.get('c2')!.plan.pickupAt).toBeLessThanOrEqual(15);
  });

  it('is deterministic and leaves out what nobody can reach', () => {
    const never: Bundle = { restaurantId: 'r1', orders: [order('never', 'r1', 40, { x: 100, y: 0 })] };
    const run = () => planEndgame(0, [never, b, a], [until('c1', 30), until('c2', 15)], restaurants, travel, rules);
    const r = run();
    expect(r.delivered).toBe(2);
    expect([...r.firstTrips.values()].flatMap((t) => t.bundle.orders.map((o) => o.id)).sort()).toEqual(['a', 'b']);
    expect(run().clickToDoor).toBe(r.clickToDoor);
  });
});

describe('end game options (issue 18, off by default)', () => {
  it('endgameInsertion: a bundle may go before a planned trip, so trips need not follow ready order', () => {
    // one courier (off 30) at r1. A (r1, ready 0) goes 20 min south; B (r2, 3 min north, ready 1)
    // goes 1 min further. In ready order (A then B) c1 is back at r2 long after 30: one order.
    // B first (pickup 5), then A (pickup 11): both.
    const A: Bundle = { restaurantId: 'r1', orders: [order('A', 'r1', 0, { x: 0, y: -2000 })] };
    const B: Bundle = { restaurantId: 'r2', orders: [order('B', 'r2', 1, { x: 0, y: 400 })] };
    expect(planEndgame(0, [A, B], [until('c1', 30)], restaurants, travel, rules).delivered).toBe(1);
    const r = planEndgame(0, [A, B], [until('c1', 30)], restaurants, travel, { ...rules, endgameInsertion: true });
    expect(r.delivered).toBe(2);
    expect(r.firstTrips.get('c1')?.bundle.orders.map((o) => o.id)).toEqual(['B']);
  });

  it('endgameDiscrepancySearch: a spent budget revises the first choice, not only the last ones', () => {
    // the two-courier trap above (greedy gives a to c1 and strands b), followed by 8 orders at a
    // far restaurant r3 that three other couriers share: depth-first spends its budget on the
    // r3 orders' choices and never revisits a's; by discrepancy the second pass tries a → c2.
    const R3: Restaurant = { id: 'r3', loc: { x: 10000, y: 0 } };
    const all = new Map([...restaurants, [R3.id, R3]]);
    const far = (id: string, x: number, offTime: number): CourierView => courier(id, x, 0, { offTime });
    const fill: Bundle[] = Array.from({ length: 8 }, (_, n) => ({
      restaurantId: 'r3',
      orders: [{ ...order(`f${n}`, 'r3', 30 + 3 * n, { x: 10000 + 200 * ((n % 3) - 1), y: 300 * (n % 2) }), placedAt: n }],
    }));
    const couriers = [until('c1', 30), until('c2', 15), far('c3', 10000, 90), far('c4', 10100, 90), far('c5', 9900, 90)];
    const budget = { ...rules, endgameNodeBudget: 500 };
    expect(planEndgame(0, [a, b, ...fill], couriers, all, travel, budget).delivered).toBe(9);
    const r = planEndgame(0, [a, b, ...fill], couriers, all, travel, { ...budget, endgameDiscrepancySearch: true });
    expect(r.delivered).toBe(10);
    expect(r.firstTrips.get('c2')?.bundle.orders.map((o) => o.id)).toEqual(['a']);
    // with budget for the whole tree both searches find the same plan
    const full = { ...rules, endgameNodeBudget: 100000 };
    expect(planEndgame(0, [a, b, ...fill], couriers, all, travel, { ...full, endgameDiscrepancySearch: true }).clickToDoor).toBe(
      planEndgame(0, [a, b, ...fill], couriers, all, travel, full).clickToDoor,
    );
  });
});
