import { describe, expect, it } from 'vitest';
import { erlangBWorth, needWorth } from '../src/core/booking-worth.js';

describe('what one more booked rider is worth', () => {
  it('the rule\'s worth is n / (k + 1)', () => {
    const g = needWorth([0, 6]);
    expect(g(0, 0)).toBe(0);
    expect([0, 1, 2].map((k) => g(1, k))).toEqual([6, 3, 2]);
  });

  it('Erlang B: orders saved fall with every rider, add up to the orders served, and follow the fluid model past capacity', () => {
    // 30 orders in 15 minutes at 15 rider-minutes each: 30 riders' worth of work.
    const g = erlangBWorth([30, 0], 15, 15, 80);
    const gains = Array.from({ length: 80 }, (_, k) => g(0, k));
    for (let k = 1; k < gains.length; k++) expect(gains[k]).toBeLessThanOrEqual(gains[k - 1] + 1e-12);
    // Far below capacity each rider saves about one order (15 of the 15 minutes busy).
    expect(gains[0]).toBeCloseTo(30 * (1 - 30 / 31), 9);
    expect(gains[5]).toBeGreaterThan(0.95);
    // All riders together save (almost) every order; far past capacity the next saves ~nothing.
    expect(gains.reduce((a, b) => a + b, 0)).toBeGreaterThan(29.99);
    expect(gains[79]).toBeLessThan(1e-6);
    expect(g(1, 0)).toBe(0);
    expect(g(0, 1000)).toBe(0);
  });
});
