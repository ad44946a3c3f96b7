import { describe, expect, it } from 'vitest';
import { dispatchConfig } from '../src/core/config.js';
import { parseInstance, type InstanceTexts } from '../src/mdrp/instance.js';
import { runInstance } from '../src/mdrp/run.js';
import type { SolutionTexts } from '../src/mdrp/solution.js';
import { validateSolution, type Rule } from '../src/mdrp/validate.js';
import { tinyInstanceTexts } from './tiny-instance.js';

/*
 * The tiny instance's solution (asserted below) is:
 *   assignments: 14 20 c1 o1 o2 | 24 30 c2 o3 | 46 58 c2 o4 | 67 70 c1 o6 o5
 *   c1 moves:    c1 14 0 r1 | c1 22 r1 o1 | c1 36 o1 o2 | ...
 *   c2 moves:    c2 24 0 r2 | c2 32 r2 o3 | c2 46 o3 r2 | ...
 * Each test corrupts the solution (or the instance) in one way and expects that rule to be named.
 */
const baseInstanceTexts = tinyInstanceTexts();
const baseRun = runInstance(parseInstance('tiny', baseInstanceTexts), dispatchConfig());
const base = baseRun.texts;

function replace(text: string, from: string, to: string): string {
  const lines = text.split('\n');
  const i = lines.indexOf(from);
  if (i < 0) throw new Error(`test setup: line '${from}' not found in:\n${text}`);
  lines[i] = to;
  return lines.join('\n');
}

function rulesFor(texts: Partial<SolutionTexts>, instance: Partial<InstanceTexts> = {}): Rule[] {
  const inst = parseInstance('tiny', { ...baseInstanceTexts, ...instance });
  return [...new Set(validateSolution(inst, { ...base, ...texts }).violations.map((v) => v.rule))];
}

describe('validateSolution', () => {
  it('accepts the simulated solution, which bundles o1 and o2', () => {
    expect(baseRun.violations).toEqual([]);
    expect(base.assignments.split('\n')).toContain('14 20 c1 o1 o2');
    expect(base.couriers.split('\n')).toEqual(expect.arrayContaining(['c1 14 0 r1', 'c1 22 r1 o1', 'c1 36 o1 o2', 'c2 24 0 r2', 'c2 32 r2 o3', 'c2 46 o3 r2']));
    expect(base.orders.split('\n')).toEqual(expect.arrayContaining(['o1 10 20 20 34 c1', 'o2 12 20 20 39 c1', 'o3 15 30 30 44 c2']));
  });

  it('each order in at most one assignment', () => {
    expect(rulesFor({ assignments: base.assignments + '24 30 c2 o1\n' })).toContain('order-once');
  });

  it('assignment time at or after every placement time', () => {
    expect(rulesFor({ assignments: replace(base.assignments, '14 20 c1 o1 o2', '9 20 c1 o1 o2') })).toEqual(['assigned-before-placement']);
  });

  it("pickup no later than the courier's off time", () => {
    const couriers = baseInstanceTexts.couriers.replace('c1\t0\t300\t0\t200', 'c1\t0\t300\t0\t19');
    expect(rulesFor({}, { couriers })).toContain('pickup-after-off-time');
  });

  it('pickup no earlier than every ready time', () => {
    const orders = baseInstanceTexts.orders.replace('o2\t100\t1000\t12\tr1\t20', 'o2\t100\t1000\t12\tr1\t21');
    expect(rulesFor({}, { orders })).toContain('pickup-before-ready');
  });

  it('pickup no earlier than arrival plus half the pickup service', () => {
    // leaving 2 minutes later, c1 arrives at 19 and cannot pick up at 20
    expect(rulesFor({ couriers: replace(base.couriers, 'c1 14 0 r1', 'c1 16 0 r1') })).toEqual(['pickup-before-arrival-service']);
  });

  it('the courier stays half a service after the pickup', () => {
    expect(rulesFor({ couriers: replace(base.couriers, 'c1 22 r1 o1', 'c1 21 r1 o1') })).toEqual(['left-during-service']);
  });

  it('consecutive drop-offs at least the drop-off service apart', () => {
    expect(rulesFor({ orders: replace(base.orders, 'o2 12 20 20 39 c1', 'o2 12 20 20 37 c1') })).toContain('dropoff-spacing');
  });

  it("every order of a pickup dropped off before the courier's next pickup", () => {
    // c1 picks o6 and o5 up at 70: o2 dropped off at 75 would still be on board
    expect(rulesFor({ orders: replace(base.orders, 'o2 12 20 20 39 c1', 'o2 12 20 20 75 c1') })).toContain('pickup-before-dropoffs');
    expect(rulesFor({})).toEqual([]);
  });

  it('drop-off no earlier than arrival plus half the drop-off service', () => {
    // c2 reaches o3 at 32 + 10 = 42
    expect(rulesFor({ orders: replace(base.orders, 'o3 15 30 30 44 c2', 'o3 15 30 30 43 c2') })).toEqual(['dropoff-before-arrival-service']);
  });

  it('moves chain from the start: each leaves from where the last one ended', () => {
    expect(rulesFor({ couriers: replace(base.couriers, 'c1 36 o1 o2', 'c1 36 o3 o2') })).toContain('move-chain');
    const split = base.couriers.trimEnd().split('\n');
    const c1 = split.filter((l) => l.startsWith('c1 '));
    const c2 = split.filter((l) => l.startsWith('c2 '));
    const interleaved = [split[0], c1[0], c2[0], ...c1.slice(1), ...c2.slice(1)].join('\n') + '\n';
    expect(rulesFor({ couriers: interleaved })).toContain('move-chain');
  });

  it('moves never go back in time, and the first leaves no earlier than on_time', () => {
    expect(rulesFor({ couriers: replace(base.couriers, 'c2 46 o3 r2', 'c2 40 o3 r2') })).toContain('move-back-in-time');
    const couriers = baseInstanceTexts.couriers.replace('c1\t0\t300\t0\t200', 'c1\t0\t300\t15\t200');
    expect(rulesFor({}, { couriers })).toContain('move-back-in-time');
  });

  it('the courier is at the restaurant (strictly after arriving) when it picks up', () => {
    // at 24 c2 is still at its start
    expect(rulesFor({ assignments: replace(base.assignments, '24 30 c2 o3', '24 24 c2 o3') })).toContain('courier-not-at-restaurant');
  });

  it('the courier is at the customer when it drops off', () => {
    // at 38 c1 has moved on to o2
    expect(rulesFor({ orders: replace(base.orders, 'o1 10 20 20 34 c1', 'o1 10 20 20 38 c1') })).toContain('courier-not-at-customer');
  });

  it('travel times are ceil(distance / metres per minute)', () => {
    // o1 → o2 is 100 m: 1 minute at 100 m/min, but ceil(100/99) = 2 at 99 m/min, so c1 reaches
    // o2 at 38 and cannot drop off at 39
    const params = baseInstanceTexts.params.replace('100\t4\t4', '99\t4\t4');
    expect(rulesFor({}, { params })).toContain('dropoff-before-arrival-service');
  });

  it('the orders file agrees with the assignments and the instance', () => {
    expect(rulesFor({ orders: replace(base.orders, 'o3 15 30 30 44 c2', 'o3 15 30 30 44 c1') })).toContain('orders-file-mismatch');
    expect(rulesFor({ orders: base.orders + 'o4 40 50 58 72 c2\n' })).toContain('order-once');
  });

  it('a bundle holds orders of one restaurant only', () => {
    expect(rulesFor({ assignments: replace(base.assignments, '14 20 c1 o1 o2', '14 20 c1 o1 o2 o3') })).toContain('bundle-restaurant');
  });

  it('names unknown ids and malformed lines', () => {
    expect(rulesFor({ assignments: replace(base.assignments, '24 30 c2 o3', '24 30 c9 o3') })).toContain('unknown-id');
    expect(rulesFor({ couriers: base.couriers + 'c1 x\n' })).toContain('format');
  });
});
