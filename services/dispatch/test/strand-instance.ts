import type { InstanceTexts } from '../src/mdrp/instance.js';
import { instanceTexts } from './fixtures/instance-texts.js';

/**
 * A hand-made end of day (100 m per minute, so 100 m is one minute). One courier, c1, waits at
 * restaurant r1 until its off_time 40. Order a is ready at 20 and goes 15 minutes north; order b,
 * from the same restaurant and going the same way, is placed at 10 but ready only at 35 — too far
 * apart to bundle by the usual ready-time rule. A greedy dispatcher sends c1 off with a at 20; c1 is
 * back after 40 and b is stranded although c1 could have picked both up at 35. Order late is
 * ready at 60, after every off_time: nobody can deliver it.
 */
export function strandInstanceTexts(): InstanceTexts {
  return instanceTexts({
    restaurants: [
      ['r1', 0, 0],
    ],
    orders: [
      ['a', 0, 1500, 5, 'r1', 20],
      ['b', 100, 1500, 10, 'r1', 35],
      ['late', 0, -500, 50, 'r1', 60],
    ],
    couriers: [
      ['c1', 0, 0, 0, 40],
    ],
  });
}

/** The policy before issue 18: no risk, no rescue, no chains (commits greedily). */
export const GREEDY = { riskSlackMin: 0, rescueMaxBundleSize: 0, chainRescue: false } as const;
