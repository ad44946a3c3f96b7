import { describe, expect, it } from 'vitest';
import { dispatchConfig } from '../src/core/config.js';
import { planEndgame } from '../src/core/endgame.js';
import { PHANTOM_PREFIX, phantomOrders } from '../src/core/phantoms.js';
import type { CourierView, DemandSample, OpenOrder, Restaurant } from '../src/core/types.js';
import { parseInstance, type InstanceTexts } from '../src/mdrp/instance.js';
import { runInstance } from '../src/mdrp/run.js';

const tsv = (rows: (string | number)[][]) => rows.map((r) => r.join('\t')).join('\n') + '\n';

/**
 * The end-of-day race of issue 18 with demand that could be seen coming, by hand: 100 m per
 * minute, service 4 + 4. r2 is 40 minutes south of r1 and had two orders early on (h1 at 0, h2 at
 * 10), delivered by c0 (off at 25). At 30 order a is placed at r1 (ready 40); c1 waits at r1 until
 * 95, c2 is 10 minutes east until 50: c1 would pick a up at 40, c2 at 42. Order b is placed at 45 at
 * r2, ready 60: only c1 can still reach it (c2 is off at 50), from r1 (pickup 87), but not after
 * a's drop-off 10 minutes north (at r2 at 106 > 95). The plain end game plans only placed orders
 * and gives a to c1 (2 min sooner): b is lost although c1 could have served it. With phantoms, r2's
 * rate (2 orders in the last 60 min) over the 65 min left expects a phantom there (placed 60, ready
 * 65), which only c1 from r1 can reach: a goes to c2, and c1 is still free when b is placed.
 */
function phantomInstance(): InstanceTexts {
  return {
    restaurants: tsv([
      ['restaurant', 'x', 'y'],
      ['r1', 0, 0],
      ['r2', 0, -4000],
    ]),
    orders: tsv([
      ['order', 'x', 'y', 'placement_time', 'restaurant', 'ready_time'],
      ['h1', 300, -4000, 0, 'r2', 5],
      ['h2', -300, -4000, 10, 'r2', 15],
      ['a', 0, 1000, 30, 'r1', 40],
      ['b', 300, -4000, 45, 'r2', 60],
    ]),
    couriers: tsv([
      ['courier', 'x', 'y', 'on_time', 'off_time'],
      ['c0', 0, -4000, 0, 25],
      ['c1', 0, 0, 0, 95],
      ['c2', 1000, 0, 0, 50],
    ]),
    params: tsv([
      ['meters_per_minute', 'pickup service minutes', 'dropoff service minutes', 'target click-to-door', 'maximum click-to-door', 'pay per order', 'guaranteed pay per hour'],
      [100, 4, 4, 40, 90, 10, 15],
    ]),
  };
}

const courierOf = (ordersText: string) =>
  new Map(
    ordersText
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => {
        const f = l.split(' ');
        return [f[0], f[f.length - 1]] as const;
      }),
  );

describe('end game with phantom orders: capacity kept where demand is expected', () => {
  it('without endgamePhantomWeight, a goes to c1 and b is lost although c1 could have served it', () => {
    const run = runInstance(parseInstance('phantom', phantomInstance()), dispatchConfig({ endgamePhantomWeight: 0 }));
    expect(run.violations).toEqual([]);
    expect(courierOf(run.texts.orders).get('a')).toBe('c1');
    expect(run.undelivered.avoidable.map((c) => c.orderId)).toEqual(['b']);
  });

  it('with it, a goes to c2 and c1 delivers b: every order delivered', () => {
    const run = runInstance(parseInstance('phantom', phantomInstance()), dispatchConfig({ endgamePhantomWeight: 0.5 }));
    expect(run.violations).toEqual([]);
    expect(run.metrics.delivered).toBe(4);
    expect(run.undelivered.avoidable).toEqual([]);
    const byOrder = courierOf(run.texts.orders);
    expect(byOrder.get('a')).toBe('c2');
    expect(byOrder.get('b')).toBe('c1');
  });

  it('the softer form (endgamePhantomMissMin: leaving the phantom out costs 10 min, a to c2 costs 2) saves b too', () => {
    const run = runInstance(parseInstance('phantom', phantomInstance()), dispatchConfig({ endgamePhantomMissMin: 10 }));
    expect(run.violations).toEqual([]);
    expect(run.undelivered.avoidable).toEqual([]);
    expect(courierOf(run.texts.orders).get('a')).toBe('c2');
    // ...but not when keeping c1 for the phantom is worth less than the 2 minutes a costs on c2
    const cheap = runInstance(parseInstance('phantom', phantomInstance()), dispatchConfig({ endgamePhantomMissMin: 1 }));
    expect(cheap.undelivered.avoidable.map((c) => c.orderId)).toEqual(['b']);
  });

  it('endgamePhantomMaxCover 1 keeps r2 (only c1 can serve it) and still saves b', () => {
    const run = runInstance(parseInstance('phantom', phantomInstance()), dispatchConfig({ endgamePhantomWeight: 0.5, endgamePhantomMaxCover: 1 }));
    expect(run.undelivered.avoidable).toEqual([]);
  });
});

describe('phantomOrders', () => {
  const restaurants = new Map<string, Restaurant>([
    ['r1', { id: 'r1', loc: { x: 0, y: 0 } }],
    ['r2', { id: 'r2', loc: { x: 1000, y: 0 } }],
  ]);
  const rules = { endgamePhantomWindowMin: 60, endgamePhantomMinExpected: 1, endgamePhantomMax: 3, endgamePhantomMaxCover: 0, endgamePhantomPerRestaurant: 1 };
  const samples: DemandSample[] = [
    { restaurantId: 'r1', placedAt: 50, readyAt: 60, drop: { x: 0, y: 100 } },
    { restaurantId: 'r1', placedAt: 70, readyAt: 80, drop: { x: 0, y: 300 } },
    { restaurantId: 'r1', placedAt: 90, readyAt: 110, drop: { x: 0, y: 200 } },
    { restaurantId: 'r2', placedAt: 95, readyAt: 105 },
    { restaurantId: 'r2', placedAt: 20, readyAt: 30 }, // outside the window
  ];

  it('one phantom per restaurant whose rate over the time left reaches the threshold, a mean gap from now', () => {
    // r1: 3 orders in 60 min, 40 min left → 2 expected; r2: 1 → 0.67, under 1
    const ph = phantomOrders(100, samples, restaurants, 140, rules);
    expect(ph).toEqual([{ id: `${PHANTOM_PREFIX}r1#1`, restaurantId: 'r1', placedAt: 120, readyAt: 130, drop: { x: 0, y: 200 } }]);
    // with 90 min left, r2 expects 1.5 but its mean gap (60) still ends before the last off_time
    expect(phantomOrders(100, samples, restaurants, 190, rules).map((o) => o.restaurantId)).toEqual(['r1', 'r2']);
    expect(phantomOrders(100, samples, restaurants, 190, { ...rules, endgamePhantomMax: 1 }).map((o) => o.restaurantId)).toEqual(['r1']);
    expect(phantomOrders(100, samples, restaurants, 100, rules)).toEqual([]);
  });

  it('endgamePhantomPerRestaurant: the j-th phantom j mean gaps from now, first ones first, none after the last off_time', () => {
    // r1's gap is 20 min: with 70 min left, phantoms at 120, 140, 160 (180 is not before 170); r2's gap is 60: at 160
    const ph = phantomOrders(100, samples, restaurants, 170, { ...rules, endgamePhantomPerRestaurant: 4, endgamePhantomMax: 10 });
    expect(ph.map((o) => `${o.id.slice(PHANTOM_PREFIX.length)}@${o.placedAt}`)).toEqual(['r1#1@120', 'r2#1@160', 'r1#2@140', 'r1#3@160']);
    expect(phantomOrders(100, samples, restaurants, 170, { ...rules, endgamePhantomPerRestaurant: 4, endgamePhantomMax: 2 }).map((o) => o.id.slice(PHANTOM_PREFIX.length))).toEqual(['r1#1', 'r2#1']);
  });

  it('endgamePhantomMaxCover: only restaurants that at most that many couriers could serve', () => {
    const cover = (rid: string) => (rid === 'r1' ? 2 : 1);
    expect(phantomOrders(100, samples, restaurants, 190, { ...rules, endgamePhantomMaxCover: 1 }, cover).map((o) => o.restaurantId)).toEqual(['r2']);
    expect(phantomOrders(100, samples, restaurants, 190, { ...rules, endgamePhantomMaxCover: 2 }, cover).map((o) => o.restaurantId)).toEqual(['r1', 'r2']);
    expect(phantomOrders(100, samples, restaurants, 190, rules, cover).map((o) => o.restaurantId)).toEqual(['r1', 'r2']);
  });

  it('the end game never sends a phantom, and a plan counts only real orders as delivered', () => {
    const [p] = phantomOrders(100, samples, restaurants, 140, rules);
    const c: CourierView = { id: 'c1', onTime: 0, offTime: 140, freeAt: 100, freeLoc: { x: 0, y: 0 }, freeRestaurantId: 'r1', ordersAssigned: 0 };
    const real: OpenOrder = { id: 'o1', restaurantId: 'r2', placedAt: 99, readyAt: 100, drop: { x: 2000, y: 0 } };
    const rules2 = { ...dispatchConfig({ endgamePhantomWeight: 0.5 }), pickupServiceMin: 4, dropoffServiceMin: 4 };
    const travel = (a: { x: number; y: number }, b: { x: number; y: number }) => Math.ceil(Math.hypot(a.x - b.x, a.y - b.y) / 100);
    const only = planEndgame(100, [], [c], restaurants, travel, rules2, undefined, [{ restaurantId: 'r1', orders: [p] }]);
    expect(only.firstTrips.size).toBe(0);
    expect(only.delivered).toBe(0);
    expect(only.plan.size).toBe(0);
    const both = planEndgame(100, [{ restaurantId: 'r2', orders: [real] }], [c], restaurants, travel, rules2, undefined, [{ restaurantId: 'r1', orders: [p] }]);
    expect(both.delivered).toBe(1);
    expect(both.firstTrips.get('c1')?.bundle.orders.map((o) => o.id)).toEqual(['o1']);
  });
});
