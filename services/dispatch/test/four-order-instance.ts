import type { Bundle } from '../src/core/bundling.js';
import type { CourierView, OpenOrder } from '../src/core/types.js';
import { courier, order, serviceMinutes } from './fixtures/two-restaurants.js';

// The end-game planner's hand-made instance (endgame-planner.test.ts, endgame-carry.test.ts);
// 100 m per minute, r1 at the origin (fixtures/two-restaurants.ts). One courier at r1, off at 20.
// a1-a3 are ready at 5, d at 17, all going ~15 min north. The bundling caps a pickup at 3 orders
// (maxBundleSize), so the branch and bound can serve a1-a3 (then c1 is back after 20) or d, not
// both: 3 orders. One pickup of all four at 17 delivers 4.
const north = (id: string, readyAt: number, dx: number) => order(id, 'r1', readyAt, { x: dx, y: 1500 });
export const a = [north('a1', 5, 0), north('a2', 5, 50), north('a3', 5, 100)];
export const d = north('d', 17, 150);
export const bundles: Bundle[] = [
  { restaurantId: 'r1', orders: a },
  { restaurantId: 'r1', orders: [d] },
];
export const c1: CourierView = courier('c1', 0, 0, { offTime: 20, freeRestaurantId: 'r1' });
export const orders = [...a, d];
export const bnbRules = { ...serviceMinutes, endgameNodeBudget: 10_000 };
export const ids = (list: readonly OpenOrder[]) => list.map((o) => o.id).sort();
