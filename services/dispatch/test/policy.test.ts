import { describe, expect, it } from 'vitest';
import { dispatchConfig } from '../src/core/config.js';
import { dispatchRound, expectedUnearned, poissonExcess } from '../src/core/policy.js';
import type { CourierView, DispatchInput, OpenOrder } from '../src/core/types.js';
import { assigns, courier, order, restaurantsAt, travel } from './fixtures/two-restaurants.js';

// 100 m per minute (fixtures/two-restaurants.ts); here r2 is 15 minutes east of r1, not north.
const restaurants = restaurantsAt({ x: 0, y: 0 }, { x: 1500, y: 0 });

function input(now: number, couriers: CourierView[], openOrders: OpenOrder[], recentOrders: DispatchInput['recentOrders'] = []): DispatchInput {
  return { now, couriers, openOrders, restaurants, recentOrders };
}

const noPreposition = dispatchConfig({ prepositionEnabled: false });

describe('dispatchRound: bundling', () => {
  it('bundles two orders of one restaurant going the same way when couriers are short', () => {
    const round = dispatchRound(
      input(20, [courier('c1', 0, 100)], [order('o1', 'r1', 20, { x: 0, y: 1000 }), order('o2', 'r1', 20, { x: 100, y: 1000 })]),
      noPreposition,
      travel,
    );
    const a = assigns(round.decisions);
    expect(a).toHaveLength(1);
    expect(a[0].courierId).toBe('c1');
    expect([...a[0].orderIds].sort()).toEqual(['o1', 'o2']);
    // one pickup, then the drop-offs in sequence at least a service time apart
    expect(a[0].plan.dropoffs[1] - a[0].plan.dropoffs[0]).toBeGreaterThanOrEqual(noPreposition.dropoffServiceMin);
  });

  it('does not bundle orders going opposite ways when there are couriers for both', () => {
    const round = dispatchRound(
      input(20, [courier('c1', 0, 100), courier('c2', 100, 0)], [order('o1', 'r1', 20, { x: 0, y: 2000 }), order('o2', 'r1', 20, { x: 0, y: -2000 })]),
      noPreposition,
      travel,
    );
    const a = assigns(round.decisions);
    expect(a).toHaveLength(2);
    expect(a.every((d) => d.orderIds.length === 1)).toBe(true);
    expect(new Set(a.map((d) => d.courierId)).size).toBe(2);
  });

  it('does not bundle orders whose ready times are far apart', () => {
    const round = dispatchRound(input(20, [courier('c1', 0, 100)], [order('o1', 'r1', 20, { x: 0, y: 1000 }), order('o2', 'r1', 45, { x: 100, y: 1000 })]), noPreposition, travel);
    expect(round.bundles.every((b) => b.orders.length === 1)).toBe(true);
  });
});

describe('dispatchRound: rolling horizon and shifts', () => {
  it('never plans a pickup after the courier’s off time, even for the nearest courier', () => {
    // c1 is at the restaurant but its shift ends before the food is ready; c2 is farther away.
    const round = dispatchRound(
      input(10, [courier('c1', 0, 0, { offTime: 15 }), courier('c2', 0, 800)], [order('o1', 'r1', 20, { x: 0, y: 1000 })]),
      noPreposition,
      travel,
    );
    expect(round.matches).toHaveLength(1);
    expect(round.matches[0].courier.id).toBe('c2');
    for (const m of round.matches) expect(m.plan.pickupAt).toBeLessThanOrEqual(m.courier.offTime);
  });

  it('leaves an order unassigned when no courier can pick it up before its shift ends', () => {
    const round = dispatchRound(input(10, [courier('c1', 0, 0, { offTime: 15 })], [order('o1', 'r1', 20, { x: 0, y: 1000 })]), noPreposition, travel);
    expect(round.matches).toHaveLength(0);
    expect(round.decisions).toHaveLength(0);
  });

  it('keeps a match provisional until the courier must leave, then commits it', () => {
    // courier 5 min away, food ready at 30: it must leave by 30 - 2 (half pickup service) - 5 = 23
    const c = courier('c1', 0, 500);
    const early = dispatchRound(input(10, [c], [order('o1', 'r1', 30, { x: 0, y: 1000 })]), noPreposition, travel);
    expect(early.matches).toHaveLength(1);
    expect(early.matches[0].committed).toBe(false);
    expect(early.decisions).toHaveLength(0);
    const onTime = dispatchRound(input(23, [c], [order('o1', 'r1', 30, { x: 0, y: 1000 })]), noPreposition, travel);
    expect(assigns(onTime.decisions)).toHaveLength(1);
    expect(assigns(onTime.decisions)[0].plan.pickupAt).toBe(30);
  });

  it('commits an order that has waited commitByAgeMin since its click, though its courier could leave later', () => {
    // food ready at 40, courier 5 min away: it must leave only at 33, but a platform cancels orders
    // unassigned for 20 min; at age 15 the match is sent
    const c = courier('c1', 0, 500);
    const at = (now: number, config = noPreposition) => assigns(dispatchRound(input(now, [c], [order('o1', 'r1', 40, { x: 0, y: 1000 })]), config, travel).decisions);
    expect(at(14)).toHaveLength(0);
    expect(at(15)).toHaveLength(1);
    expect(at(15)[0].plan.pickupAt).toBe(40);
    expect(at(15, dispatchConfig({ prepositionEnabled: false, commitByAgeMin: 0 }))).toHaveLength(0);
    // a busy courier is not sent early: it would start only after its current trip
    const busy = courier('c1', 0, 500, { freeAt: 20 });
    expect(assigns(dispatchRound(input(15, [busy], [order('o1', 'r1', 40, { x: 0, y: 1000 })]), noPreposition, travel).decisions)).toHaveLength(0);
  });

  it('solves an assignment, not first come first served: the first order does not take the courier the second needs', () => {
    // c1 is between the restaurants (8 min from r1, 7 from r2); c2 is 9 min from r1 and 24 from
    // r2. Greedy in order of arrival gives o1 its nearest courier c1 and leaves o2 a 24-minute
    // wait; the assignment sends c2 to r1 and c1 to r2.
    const couriers = [courier('c1', 800, 0), courier('c2', -900, 0)];
    const orders = [order('o1', 'r1', 10, { x: 0, y: 1000 }), order('o2', 'r2', 10, { x: 1500, y: 1000 })];
    const round = dispatchRound(input(10, couriers, orders), noPreposition, travel);
    const byOrder = new Map(round.matches.map((m) => [m.bundle.orders[0].id, m.courier.id]));
    expect(byOrder.get('o1')).toBe('c2');
    expect(byOrder.get('o2')).toBe('c1');
  });
});

describe('dispatchRound: prepositioning', () => {
  const demand = Array.from({ length: 6 }, (_, i) => ({ restaurantId: 'r2', placedAt: 50 + i }));

  it('moves an idle courier toward the restaurant with recent demand', () => {
    const round = dispatchRound(input(60, [courier('c1', 800, 0)], [], demand), dispatchConfig(), travel);
    expect(round.decisions).toEqual([{ kind: 'reposition', courierId: 'c1', restaurantId: 'r2', departAt: 60, arriveAt: 67 }]);
  });

  it('leaves a courier that is already at the demand where it is, and moves none without demand', () => {
    const there = dispatchRound(input(60, [courier('c1', 1500, 0, { freeRestaurantId: 'r2' })], [], demand), dispatchConfig(), travel);
    expect(there.decisions).toEqual([]);
    const noDemand = dispatchRound(input(60, [courier('c1', 800, 0)], [], []), dispatchConfig(), travel);
    expect(noDemand.decisions).toEqual([]);
  });

  it('does not move a courier whose shift is about to end, nor one that is busy', () => {
    const ending = dispatchRound(input(60, [courier('c1', 800, 0, { offTime: 70 })], [], demand), dispatchConfig(), travel);
    expect(ending.decisions).toEqual([]);
    const busy = dispatchRound(input(60, [courier('c1', 800, 0, { freeAt: 75 })], [], demand), dispatchConfig(), travel);
    expect(busy.decisions).toEqual([]);
  });
});

describe('dispatchRound: pay forecast (payForecastWeight)', () => {
  // 6 orders placed in the last hour, 2 couriers on shift: 3 orders per courier-hour.
  const recent = Array.from({ length: 6 }, (_, i) => ({ restaurantId: 'r1', placedAt: 5 + 5 * i }));
  // a: a long shift (guarantee $60 = 6 orders) with hours to go: it will pass its guarantee anyway.
  // b: 70 min left of a 2-hour shift (guarantee $30 = 3 orders) with 1 order: it ends under it.
  // a is 1 min nearer, and the order is ready now, so a delivers 1 min sooner. (The end game, which
  // two couriers would start, plans for orders delivered, not pay: off here.)
  const couriers = () => [courier('a', 0, 500, { offTime: 240, ordersAssigned: 2 }), courier('b', 0, 600, { offTime: 120, ordersAssigned: 1 })];
  const run = (payForecastWeight: number, payForecastMinCouriers = 0) =>
    assigns(
      dispatchRound(
        input(50, couriers(), [order('o1', 'r1', 50, { x: 0, y: -1000 })], recent),
        dispatchConfig({ prepositionEnabled: false, endgameMaxCouriers: 0, minutesPerDollar: 1, payForecastWeight, payForecastMinCouriers }),
        travel,
      ).decisions,
    );

  it('without the forecast both are under their guarantee so far: the nearer courier takes the order', () => {
    const a = run(0);
    expect(a).toHaveLength(1);
    expect(a[0].courierId).toBe('a');
  });

  it('with it, the order goes to the courier that would otherwise be paid its guarantee for nothing', () => {
    // a expects 2 + 0.5 × 3 × 190/60 ≈ 6.75 orders (over $60: this one costs $10); b 1 + 1.75 = 2.75
    // (under $30: this one costs $7.50); $2.50 at 1 min per dollar outweighs a's 1 min
    const a = run(0.5);
    expect(a).toHaveLength(1);
    expect(a[0].courierId).toBe('b');
  });

  it('not once only payForecastMinCouriers or fewer couriers are left on shift', () => {
    const a = run(0.5, 2);
    expect(a).toHaveLength(1);
    expect(a[0].courierId).toBe('a');
  });

  it('payForecastPoisson: an order costs its expected extra pay, so a likely (not certain) pass of the guarantee costs less', () => {
    const runWith = (payForecastPoisson: boolean) =>
      assigns(
        dispatchRound(
          input(50, couriers(), [order('o1', 'r1', 50, { x: 0, y: -1000 })], recent),
          dispatchConfig({ prepositionEnabled: false, endgameMaxCouriers: 0, minutesPerDollar: 1, payForecastWeight: 1, payForecastMinCouriers: 0, payForecastPoisson }),
          travel,
        ).decisions,
      );
    // the mean at weight 1: a expects 2 + 9.5 orders, b 1 + 3.5, both over their guarantee: $10 each, a is nearer
    expect(runWith(false).map((d) => d.courierId)).toEqual(['a']);
    // Poisson: b passes $30 only if it gets 2 more of mean 3.5 (P 0.86: $8.64); a almost surely ($9.90)
    expect(runWith(true).map((d) => d.courierId)).toEqual(['b']);
  });

  it('poissonExcess is E[max(0, F − a)]', () => {
    const direct = (lambda: number, a: number) => {
      let sum = 0;
      let pmf = Math.exp(-lambda);
      for (let f = 0; f < 200; f++) {
        sum += Math.max(0, f - a) * pmf;
        pmf *= lambda / (f + 1);
      }
      return sum;
    };
    for (const [lambda, a] of [[0.5, 0], [3.5, 2], [3.5, 1.5], [9.5, 4], [2, -1], [0.01, 3]]) expect(poissonExcess(lambda, a)).toBeCloseTo(direct(lambda, a), 9);
    // no forecast: the deterministic rule
    expect(poissonExcess(0, 1.5)).toBe(0);
    expect(poissonExcess(0, -0.5)).toBe(0.5);
  });
});

describe('dispatchRound: the pay term off at the end of the day or at risk (payBlindMinCouriers, payBlindAtRisk)', () => {
  // a: already 4 orders against a $37.50 guarantee, so one more costs $10; b: 1 order against $30,
  // one more costs nothing. a is 1 min nearer. At 1 min per dollar the pay term sends the order to b.
  // The best margin is a's 150 − 55 min, under riskCapableMarginMin with only two couriers: at risk.
  const couriers = () => [courier('a', 0, 500, { offTime: 150, ordersAssigned: 4 }), courier('b', 0, 600, { offTime: 120, ordersAssigned: 1 })];
  const who = (extra: Parameters<typeof dispatchConfig>[0]) =>
    assigns(
      dispatchRound(
        input(50, couriers(), [order('o1', 'r1', 50, { x: 0, y: -1000 })]),
        dispatchConfig({ prepositionEnabled: false, endgameMaxCouriers: 0, minutesPerDollar: 1, ...extra }),
        travel,
      ).decisions,
    ).map((d) => d.courierId);

  it('payBlindMinCouriers: with at most that many couriers on shift the nearer courier takes it, whatever the pay', () => {
    // risk off here (two capable couriers would make the order at risk)
    expect(who({ riskCapableCouriers: 0 })).toEqual(['b']);
    expect(who({ riskCapableCouriers: 0, payBlindMinCouriers: 1 })).toEqual(['b']);
    expect(who({ riskCapableCouriers: 0, payBlindMinCouriers: 2 })).toEqual(['a']);
  });

  it('payBlindAtRisk: an order at risk (only two couriers can serve it) goes to the nearer courier', () => {
    expect(who({})).toEqual(['b']);
    expect(who({ payBlindAtRisk: true })).toEqual(['a']);
    // not at risk: the pay term counts
    expect(who({ payBlindAtRisk: true, riskCapableCouriers: 0 })).toEqual(['b']);
  });
});

describe('expectedUnearned', () => {
  it('expectedUnearned: the guarantee not covered by the orders so far and the expected ones', () => {
    const config = dispatchConfig({ payForecastWeight: 1 });
    expect(expectedUnearned(courier('x', 0, 0, { ordersAssigned: 20 }), config, 60, 1)).toBe(0);
    // no forecast: $150 − $10 × 3
    expect(expectedUnearned(courier('y', 0, 0, { ordersAssigned: 3 }), config, 60, 0)).toBeCloseTo(120, 9);
    const y = expectedUnearned(courier('y', 0, 0), config, 60, 1);
    expect(y).toBeGreaterThan(60); // more than $10 × (15 − 9): the Poisson spread
    expect(y).toBeLessThan(70);
  });
});
