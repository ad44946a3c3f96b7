// Moved from services/rostering/test/measurement.test.ts with the closed-loop bench it checks.
import { describe, expect, it } from 'vitest';
import { gainShare, meanCi } from './loop-summary.js';

describe('closed-loop summary arithmetic', () => {
  it('95 % interval with Student t, and the share of the oracle gain', () => {
    const ci = meanCi([10, 12, 14, 16, 18]);
    expect(ci.mean).toBe(14);
    expect(ci.half).toBeCloseTo(2.776 * (Math.sqrt(10) / Math.sqrt(5)), 3);
    expect(Number.isNaN(meanCi([3]).half)).toBe(true);
    expect(gainShare(178, 130, 100, true)).toBeCloseTo(48 / 78, 10); // cancellations: lower is better
    expect(gainShare(78.8, 83.7, 85)).toBeCloseTo(4.9 / 6.2, 10);
    expect(Number.isNaN(gainShare(5, 6, 5))).toBe(true);
    // An oracle worse than off has no gain to share (a bench once printed "107 %" for that).
    expect(Number.isNaN(gainShare(124, 132, 131.5, true))).toBe(true);
    expect(Number.isNaN(gainShare(65.7, 62.8, 64.7))).toBe(true);
  });
});
