import { describe, expect, it } from 'vitest';
import { wholeMinuteTravel } from '@riderflow/geo';
import { earliestPickup, type CertCourier, type CertOrder } from '../src/core/certificate.js';
import { costLowerBound } from '../src/core/cost-bound.js';

// 100 m per minute; half a pickup service is 2 minutes; $10 per order, $15 per hour.
const travel = wholeMinuteTravel(100);
const PAY = { payPerOrder: 10, payPerHour: 15 };
const order = (id: string, x: number, readyAt: number, placedAt = 0): CertOrder => ({ id, restaurantId: `r${x}`, restaurantLoc: { x, y: 0 }, placedAt, readyAt });
const courier = (id: string, x: number, onTime: number, offTime: number): CertCourier => ({ id, start: { x, y: 0 }, onTime, offTime });
const bound = (orders: CertOrder[], couriers: CertCourier[]) => costLowerBound(orders, couriers, travel, 4, PAY);

/** The exact minimum of Σ_c max(10 n_c, g_c) over every assignment of the deliverable orders (tiny cases only). */
function bruteForce(orders: CertOrder[], couriers: CertCourier[]): number {
  const eligible = orders
    .map((o) => couriers.flatMap((c, i) => (earliestPickup(o, c, travel, 4) <= c.offTime ? [i] : [])))
    .filter((l) => l.length > 0);
  const n = couriers.map(() => 0);
  let best = Infinity;
  const go = (k: number) => {
    if (k === eligible.length) {
      best = Math.min(best, couriers.reduce((s, c, i) => s + Math.max(10 * n[i], (15 * (c.offTime - c.onTime)) / 60), 0));
      return;
    }
    for (const i of eligible[k]) {
      n[i]++;
      go(k + 1);
      n[i]--;
    }
  };
  go(0);
  return best;
}

describe('cost lower bound', () => {
  it('orders only a late courier can serve cost full pay above its guarantee, whoever else is idle', () => {
    // a: 2 h ($30, 3 orders free); b: 1 h ($15), off at 60. Five orders ready at 70: only a can serve them.
    const couriers = [courier('a', 0, 0, 120), courier('b', 0, 0, 60)];
    const late = [1, 2, 3, 4, 5].map((i) => order(`late${i}`, 0, 70));
    const b = bound(late, couriers);
    expect(b.deliverableOrders).toBe(5);
    expect(b.guarantees).toBe(45);
    // the old bound max(Σ guarantees, $10 × orders) / orders says $10; a is paid 50 and b 15 in any solution
    expect(b.naivePerOrder).toBe(10);
    expect(b.pay).toBe(65);
    expect(b.perOrder).toBe(13);
    expect(b.pay).toBe(bruteForce(late, couriers));
  });

  it('an order both can serve goes to the one under its guarantee; an undeliverable order is not counted', () => {
    const couriers = [courier('a', 0, 0, 120), courier('b', 0, 0, 60)];
    const orders = [...[1, 2, 3, 4, 5].map((i) => order(`late${i}`, 0, 70)), order('early', 0, 10), order('never', 0, 200)];
    const b = bound(orders, couriers);
    expect(b.deliverableOrders).toBe(6);
    expect(b.pay).toBe(65); // b delivers 'early' within its $15
    expect(b.perOrder).toBeCloseTo(65 / 6, 9);
  });

  it('an odd-hour guarantee is met in part by one more order: counted at $5, not $10 (the bound stays sound)', () => {
    // b alone, 1 h ($15): two orders cost max(20, 15) = 20; a capacity of ⌊15/10⌋ = 1 order at $0 and
    // the rest at $10 would claim 25, more than a real solution pays
    const couriers = [courier('b', 0, 0, 60)];
    const orders = [order('o1', 0, 10), order('o2', 0, 20)];
    const b = bound(orders, couriers);
    expect(b.pay).toBe(20);
    expect(b.pay).toBe(bruteForce(orders, couriers));
  });

  it('travel decides who can serve: a far courier cannot take an order due before it can get there', () => {
    // far (3 h, $45) starts 5 km away (earliest pickup 52); near (1 h, $15, off at 60) is at the
    // restaurant. o1 and o2 both can serve; o3–o5 (ready 170+) only far.
    const couriers = [courier('far', 5000, 0, 180), courier('near', 0, 0, 60)];
    const orders = [order('o1', 0, 10), order('o2', 0, 55), order('o3', 0, 170), order('o4', 0, 175), order('o5', 0, 176)];
    expect(bound(orders, couriers).pay).toBe(bruteForce(orders, couriers));
    // a courier 20 km away with a 1-hour shift can serve nothing: its guarantee is paid for nothing
    const stranded = [...couriers, courier('stranded', 20000, 0, 60)];
    expect(bound(orders, stranded).pay).toBe(bruteForce(orders, couriers) + 15);
  });

  it('equals the exact minimum of the relaxation on small random instances', () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let t = 0; t < 60; t++) {
      const couriers = Array.from({ length: 1 + Math.floor(rand() * 3) }, (_, i) => {
        const on = Math.floor(rand() * 120);
        return courier(`c${i}`, Math.floor(rand() * 4000), on, on + 30 * (1 + Math.floor(rand() * 6)));
      });
      const orders = Array.from({ length: 1 + Math.floor(rand() * 7) }, (_, i) => order(`o${i}`, Math.floor(rand() * 4000), Math.floor(rand() * 300), Math.floor(rand() * 100)));
      const b = bound(orders, couriers);
      if (b.deliverableOrders === 0) continue;
      expect(b.pay).toBeCloseTo(bruteForce(orders, couriers), 9);
      expect(b.perOrder).toBeGreaterThanOrEqual(b.naivePerOrder - 1e-9);
    }
  });
});
