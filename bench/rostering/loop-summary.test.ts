// Moved from services/rostering/test/measurement.test.ts with the closed-loop bench it checks.
import { describe, expect, it } from 'vitest';
import { formatArmSummary, formatRiderHours, gainShare, idleTimeCeiling, meanCi, riderHoursCheck } from './loop-summary.js';
import { LoopTally, type LoopArm, type LoopResult } from './loop-result.js';

const H = 3_600_000;
const run = { simStartMs: 0, simEndMs: 24 * H, ridersCalledIn: 0, shiftsBooked: 0, shiftBookingsRefused: 0, wallSeconds: 0, simLagNote: '' };

/** An arm's result from a few real-shaped events: one rider per shift [start, plannedEnd), ended at `endedAt` (undefined: still on shift). */
function armWithShifts(arm: LoopArm, shifts: { start: number; plannedEnd: number; endedAt?: number }[]): LoopResult {
  const tally = new LoopTally(0);
  shifts.forEach((s, i) => {
    const riderId = `r${i + 1}`;
    tally.add({ type: 'rider.shift_started', v: 1, id: `${riderId}:shift:${s.start}`, ts: s.start, riderId, zoneId: 'z1', lat: 52.5, lon: 13.4, shiftEnd: s.plannedEnd });
    if (s.endedAt !== undefined) tally.add({ type: 'rider.shift_ended', v: 1, id: `${riderId}:end`, ts: s.endedAt, riderId });
  });
  return tally.result(arm, run);
}

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

  it('counts worked hours (overtime included, open shifts cut at the window end) apart from rostered hours', () => {
    const r = armWithShifts('off', [
      { start: 10 * H, plannedEnd: 15 * H, endedAt: 15.5 * H }, // half an hour of overtime delivering
      { start: 20 * H, plannedEnd: 28 * H }, // still on shift when the window ends at 24:00
    ]);
    expect(r.riderHoursInWindow).toBeCloseTo(5.5 + 4, 10);
    expect(r.rosteredHoursInWindow).toBeCloseTo(5 + 4, 10);
  });

  it('checks each seed\'s rider-hours against its off arm within ±1 %', () => {
    const off = armWithShifts('off', [{ start: 0, plannedEnd: 100 * H, endedAt: 100 * H }]);
    const ml = armWithShifts('ml', [{ start: 0, plannedEnd: 100 * H, endedAt: 100.9 * H }]);
    const oracle = armWithShifts('oracle', [{ start: 0, plannedEnd: 100 * H, endedAt: 101.2 * H }]);
    const checks = riderHoursCheck([off, ml, oracle]);
    expect(checks.map((c) => c.arm)).toEqual(['ml', 'oracle']);
    expect(checks[0].diff).toBeCloseTo(0.009, 10);
    expect(checks[0].within).toBe(true);
    expect(checks[1].diff).toBeCloseTo(0.012, 10);
    expect(checks[1].within).toBe(false);
    expect(checks[1].rosteredDiff).toBe(0);
    // A seed without an off arm has nothing to compare with: never "within".
    expect(riderHoursCheck([ml]).every((c) => Number.isNaN(c.diff) && !c.within)).toBe(true);
    expect(formatRiderHours(new Map([['a', [off, ml]]]))).toMatch(/on every seed: MET$/);
    // `--arms ml` alone: no NOT MET against arms that did not run, but what the comparison needs.
    const mlOnly = formatRiderHours(new Map([['a', [ml]]]));
    expect(mlOnly).not.toMatch(/NOT MET/);
    expect(mlOnly).toMatch(/not compared: the comparison needs the off arm, which did not run for seed a \(run with --arms off,ml\)$/);
    expect(formatRiderHours(new Map([['a', [off, ml]], ['b', [off, oracle]]]))).toMatch(/on every seed: NOT MET$/);
  });

  it('says which arms a comparison needs when only the ML arm ran (bench.ts --arms ml)', () => {
    const ml = armWithShifts('ml', [{ start: 0, plannedEnd: 10 * H, endedAt: 10 * H }]);
    const summary = formatArmSummary([ml], ['ml'], 1);
    expect(summary).not.toMatch(/NOT MET/);
    expect(summary).toMatch(/share of the oracle's gain not computed: it needs the off and oracle arms too/);
  });

  it('bounds what any timing of the same rider-hours can save by the idle time', () => {
    // 900 delivered with riders busy 75 % of the time: 1200 deliverable had they never idled;
    // 1300 created, so at least 100 are lost whatever the booking: 200 cancelled → at most 50 % fewer.
    const c = idleTimeCeiling({ created: 1300, delivered: 900, cancelled: 200, busyShare: 0.75 });
    expect(c.lostFloor).toBeCloseTo(100, 10);
    expect(c.maxCut).toBeCloseTo(0.5, 10);
    // Idle time enough to serve every order: nothing need be lost.
    expect(idleTimeCeiling({ created: 1000, delivered: 800, cancelled: 200, busyShare: 0.5 })).toEqual({ lostFloor: 0, maxCut: 1 });
  });
});
