import { describe, expect, it } from 'vitest';
import { CallInLimiter, splitByShortage } from '../src/core/call-in-requests.js';

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
