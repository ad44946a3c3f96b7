import { describe, expect, it } from 'vitest';
import { wholeMinuteTravel } from '@riderflow/geo';
import { prepareJointCertificates, type JointOrder } from '../src/core/joint-certificate.js';

// 100 m per minute: 100 m is one minute; 4 minutes of service at each end (half: 2).
const travel = wholeMinuteTravel(100);
const service = { pickupServiceMin: 4, dropoffServiceMin: 4 };
const order = (id: string, rx: number, drop: [number, number], placedAt: number, readyAt: number): JointOrder => ({
  id,
  restaurantId: `r@${rx}`,
  restaurantLoc: { x: rx, y: 0 },
  drop: { x: drop[0], y: drop[1] },
  placedAt,
  readyAt,
});
const courier = (id: string, x: number, onTime: number, offTime: number) => ({ id, start: { x, y: 0 }, onTime, offTime });

/*
 * The last courier, c1 (off at 40), waits at r@0. a is ready there at 20 and goes 15 min north; b is
 * ready at 30 at r@1000, 10 min east, and goes 15 min north too. Each alone: a at 20, b at 30. Both:
 * after a (20 + 2 + 15 + 4 + 19 back to r@1000 + 2 = 62) or after b (30 + 2 + 15 + 4 + 19 + 2 = 72)
 * the second pickup is past 40. c0 is off at 15, before either is ready, so C = {c1}.
 */
const twoLate = [order('a', 0, [0, 1500], 5, 20), order('b', 1000, [1000, 1500], 10, 30)];
const lateCouriers = [courier('c0', 0, 0, 15), courier('c1', 0, 0, 40)];

describe('joint certificate', () => {
  it('two orders the one late courier can serve alone but not both: the run that delivered one is certified', () => {
    const joint = prepareJointCertificates(twoLate, lateCouriers, travel, service);
    const out = joint.certify('b', new Set(['a']));
    expect(out).toMatchObject({ kind: 'joint', orders: ['a', 'b'], couriers: ['c1'], maxDeliverable: 1, delivered: 1, missed: ['b'] });
    expect(out.nodes).toBeGreaterThan(0);
    // S = {b} alone (released from 30 on) is no proof; from 20 on it holds a too
    expect(out).toMatchObject({ closureOrders: 2, fromTime: 20 });
    expect(out.text).toMatch(/order b: only C = \{c1\} \(1\) can pick up S = \{a b\} \(2: those released from 20 on, of all 2 orders .*at most K = 1 of 2 can be delivered; the run delivered 1, so its misses \{b\} are unavoidable/);
    // the other way round too
    expect(joint.certify('a', new Set(['b']))).toMatchObject({ kind: 'joint', missed: ['a'] });
  });

  it('a run that delivered neither is not covered: the relaxation serves one', () => {
    const out = prepareJointCertificates(twoLate, lateCouriers, travel, service).certify('b', new Set());
    expect(out).toMatchObject({ kind: 'not-proven', maxDeliverable: 1, delivered: 0 });
    if (out.kind !== 'not-proven') return;
    expect([...out.plan.keys()]).toEqual(['c1']);
    expect(out.plan.get('c1')).toHaveLength(1);
  });

  it('with a longer shift the same courier serves both (a at 20, b at 62): no certificate, the plan is named', () => {
    const out = prepareJointCertificates(twoLate, [courier('c1', 0, 0, 62)], travel, service).certify('b', new Set(['a']));
    expect(out).toMatchObject({ kind: 'not-proven', maxDeliverable: 2, delivered: 1 });
    if (out.kind !== 'not-proven') return;
    expect(out.plan.get('c1')).toEqual([
      { restaurantId: 'r@0', pickupAt: 20, orderIds: ['a'] },
      { restaurantId: 'r@1000', pickupAt: 62, orderIds: ['b'] },
    ]);
    expect(out.text).toMatch(/the relaxation delivers 2 of 2, the run 1 .*relaxed plan c1: a@20, b@62/);
    // one minute less and they no longer fit
    expect(prepareJointCertificates(twoLate, [courier('c1', 0, 0, 61)], travel, service).certify('b', new Set(['a'])).kind).toBe('joint');
  });

  it('two orders of one restaurant can share a pickup: both deliverable, no certificate', () => {
    // the strand case: a ready at 20, b at 35, same restaurant and direction, courier off at 40
    const strand = [order('a', 0, [0, 1500], 5, 20), order('b', 0, [100, 1500], 10, 35)];
    const out = prepareJointCertificates(strand, [courier('c1', 0, 0, 40)], travel, service).certify('b', new Set(['a']));
    expect(out).toMatchObject({ kind: 'not-proven', maxDeliverable: 2 });
    if (out.kind === 'not-proven') expect(out.plan.get('c1')).toEqual([{ restaurantId: 'r@0', pickupAt: 35, orderIds: ['a', 'b'] }]);
  });

  it('a second courier that can reach b joins C, and then both are deliverable', () => {
    const out = prepareJointCertificates(twoLate, [...lateCouriers, courier('c2', 1000, 0, 40)], travel, service).certify('b', new Set(['a']));
    expect(out).toMatchObject({ kind: 'not-proven', orders: ['a', 'b'], couriers: ['c1', 'c2'], maxDeliverable: 2 });
  });

  it('when the closure alone is no proof, C grows by the couriers of a competing order', () => {
    // b: only c1 (at 0). d: only c2 (at 5000). a, halfway, either. Each courier serves one of its two
    // (any second pickup is past 40), so at most 2 of a, b, d; the run delivered a and d.
    const orders = [order('a', 2500, [2500, 1500], 5, 20), order('b', 0, [0, 1500], 10, 30), order('d', 5000, [5000, 1500], 5, 20)];
    const couriers = [courier('c1', 0, 0, 40), courier('c2', 5000, 0, 40)];
    const out = prepareJointCertificates(orders, couriers, travel, service).certify('b', new Set(['a', 'd']));
    expect(out).toMatchObject({ kind: 'joint', expandedBy: ['a'], orders: ['a', 'b', 'd'], couriers: ['c1', 'c2'], maxDeliverable: 2, missed: ['b'] });
    expect(out.text).toMatch(/only C = \{c1 c2\} \(2\) \(C grown by the couriers of a\) can pick up S = \{a b d\}/);
    // a run that delivered only a (by c1, say) is not covered: c2 could have taken d
    expect(prepareJointCertificates(orders, couriers, travel, service).certify('b', new Set(['a']))).toMatchObject({ kind: 'not-proven', maxDeliverable: 2, delivered: 1 });
  });

  it('an exhausted budget or a closure over the limits leaves the order uncertified, never certified', () => {
    const tiny = prepareJointCertificates(twoLate, lateCouriers, travel, service, { maxOrders: 30, maxCouriers: 12, nodeBudget: 2 }).certify('b', new Set(['a']));
    expect(tiny).toMatchObject({ kind: 'undecided', reason: 'search budget of 2 nodes spent on S of 1 orders' });
    const none = prepareJointCertificates(twoLate, lateCouriers, travel, service, { maxOrders: 0, maxCouriers: 12, nodeBudget: 1000 }).certify('b', new Set(['a']));
    expect(none).toMatchObject({ kind: 'undecided', orders: ['b'] });
    expect(none.text).toMatch(/the next S \(1 orders, 1 couriers\) is over the limits \(0, 12\)/);
    // S = {b} fits and b alone is deliverable; S = {a b}, which would prove it, does not fit
    const small = prepareJointCertificates(twoLate, lateCouriers, travel, service, { maxOrders: 1, maxCouriers: 12, nodeBudget: 1000 }).certify('b', new Set(['a']));
    expect(small).toMatchObject({ kind: 'not-proven', orders: ['b'], maxDeliverable: 1, delivered: 0 });
    expect(small.text).toMatch(/no larger S searched: the next S \(2 orders, 1 couriers\) is over the limits/);
    expect(() => prepareJointCertificates(twoLate, lateCouriers, travel, service, { maxOrders: 31, maxCouriers: 12, nodeBudget: 1000 })).toThrow(/at most 30 orders/);
  });

  it('an unknown order is an error', () => {
    expect(() => prepareJointCertificates(twoLate, lateCouriers, travel, service).certify('zz', new Set())).toThrow(/unknown order zz/);
  });
});
