import { describe, expect, it } from 'vitest';
import { CallInLimiter, splitByShortage, trimRequests } from '../src/core/call-in-requests.js';
import { worthwhileCallIns } from '../src/core/call-in-worth.js';

const H = 3_600_000;
const zones = [
  { zoneId: 'z1', ridersNeeded: 4, ridersPresent: 1 }, // 3 short
  { zoneId: 'z2', ridersNeeded: 2, ridersPresent: 2 }, // none short
  { zoneId: 'z3', ridersNeeded: 3, ridersPresent: 1 }, // 2 short
];

describe('call-in requests', () => {
  it('splits the riders over the zones most short of riders, the rest without a zone', () => {
    expect(splitByShortage(4, zones)).toEqual([{ riders: 3, zoneId: 'z1' }, { riders: 1, zoneId: 'z3' }]); // largest remaining shortage first, ties by zone id
    expect(splitByShortage(7, zones)).toEqual([{ riders: 3, zoneId: 'z1' }, { riders: 2, zoneId: 'z3' }, { riders: 2 }]);
    expect(splitByShortage(1, [])).toEqual([{ riders: 1 }]);
  });

  it('asks for the coming hour only, never more than the plan says, at most once per interval', () => {
    const lim = new CallInLimiter({ intervalMin: 30, maxPerRound: 10 });
    const t = 100 * H;
    // Only the hour that starts now counts; the next hour's bigger need waits for its own plans.
    const sent = lim.next(t, [{ hourStart: t, riders: 3 }, { hourStart: t + H, riders: 9 }], zones);
    expect(sent.reduce((s, r) => s + r.riders, 0)).toBe(3);
    expect(lim.next(t + 15 * 60_000, [{ hourStart: t + 15 * 60_000, riders: 5 }], zones)).toEqual([]); // rate-limited
    expect(lim.next(t + 30 * 60_000, [{ hourStart: t + 30 * 60_000, riders: 0 }], zones)).toEqual([]); // nobody short
    expect(lim.next(t + 45 * 60_000, [{ hourStart: t + 45 * 60_000, riders: 25 }], zones).reduce((s, r) => s + r.riders, 0)).toBe(10); // capped
    expect(lim.next(t + 2 * H, [], zones)).toEqual([]);
  });
});

describe('call-ins against a day plan', () => {
  const HOUR = 3_600_000;
  const DAY = Date.UTC(2025, 2, 17);
  const b = (h: number) => h * 4;
  /** Need: 4 riders 12–14 h, 6 riders 18–21 h, 1 otherwise from 8 to 23 h. */
  const need = Array.from({ length: 96 }, (_, i) => (i >= b(12) && i < b(14) ? 4 : i >= b(18) && i < b(21) ? 6 : i >= b(8) && i < b(23) ? 1 : 0));
  const cover = (shifts: { start: number; end: number }[]) => {
    const c = new Array<number>(96).fill(0);
    for (const s of shifts) for (let i = (s.start - DAY) / (HOUR / 4); i < (s.end - DAY) / (HOUR / 4); i++) c[i]++;
    return c;
  };

  it('calls a rider in when the hours gained now are worth more than those given up at the end of its shift', () => {
    // Lunch is uncovered; the rider booked 14–18 h gives up 16–18 h (need 1 each) for 12–14 h (need 4 each).
    const shifts = [{ riderId: 'quiet', start: DAY + 14 * HOUR, end: DAY + 18 * HOUR }];
    const roster = { day: DAY, need, booked: cover(shifts), shifts };
    const res = worthwhileCallIns(roster, DAY + 12 * HOUR, 3);
    expect(res.riders).toBe(1);
    expect(res.roster.shifts[0]).toEqual({ riderId: 'quiet', start: DAY + 12 * HOUR, end: DAY + 16 * HOUR });
    expect(res.roster.booked).toEqual(cover(res.roster.shifts));
    expect(roster.shifts[0].start).toBe(DAY + 14 * HOUR); // the input is not changed
  });

  it('keeps a dinner rider for dinner: moving it to lunch would cost more than it gains', () => {
    // Lunch has 3 of its 4 riders; dinner only 4 of its 6.
    const shifts = [
      ...Array.from({ length: 3 }, (_, i) => ({ riderId: `l${i}`, start: DAY + 11 * HOUR, end: DAY + 15 * HOUR })),
      ...Array.from({ length: 4 }, (_, i) => ({ riderId: `d${i}`, start: DAY + 17 * HOUR, end: DAY + 21 * HOUR })),
    ];
    const roster = { day: DAY, need, booked: cover(shifts), shifts };
    const res = worthwhileCallIns(roster, DAY + 13 * HOUR, 5);
    expect(res.riders).toBe(0);
    expect(res.roster.booked).toEqual(roster.booked);
    expect(trimRequests([{ riders: 3, zoneId: 'z1' }, { riders: 2, zoneId: 'z2' }, { riders: 1 }], 4)).toEqual([{ riders: 3, zoneId: 'z1' }, { riders: 1, zoneId: 'z2' }]);
    expect(trimRequests([{ riders: 3, zoneId: 'z1' }], 0)).toEqual([]);
  });
});
