import type { InstanceTexts } from '../src/mdrp/instance.js';

/**
 * A hand-made end of day (100 m per minute, so 100 m is one minute). One courier, c1, waits at
 * restaurant r1 until its off_time 40. Order a is ready at 20 and goes 15 minutes north; order b,
 * from the same restaurant and going the same way, is placed at 10 but ready only at 35 — too far
 * apart to bundle by the usual ready-time rule. A greedy dispatcher sends c1 off with a at 20; c1 is
 * back after 40 and b is stranded although c1 could have picked both up at 35. Order late is
 * ready at 60, after every off_time: nobody can deliver it.
 */
export function strandInstanceTexts(): InstanceTexts {
  const tsv = (rows: (string | number)[][]) => rows.map((r) => r.join('\t')).join('\n') + '\n';
  return {
    restaurants: tsv([
      ['restaurant', 'x', 'y'],
      ['r1', 0, 0],
    ]),
    orders: tsv([
      ['order', 'x', 'y', 'placement_time', 'restaurant', 'ready_time'],
      ['a', 0, 1500, 5, 'r1', 20],
      ['b', 100, 1500, 10, 'r1', 35],
      ['late', 0, -500, 50, 'r1', 60],
    ]),
    couriers: tsv([
      ['courier', 'x', 'y', 'on_time', 'off_time'],
      ['c1', 0, 0, 0, 40],
    ]),
    params: tsv([
      ['meters_per_minute', 'pickup service minutes', 'dropoff service minutes', 'target click-to-door', 'maximum click-to-door', 'pay per order', 'guaranteed pay per hour'],
      [100, 4, 4, 40, 90, 10, 15],
    ]),
  };
}

/** The policy before issue 18: no risk, no rescue, no chains (commits greedily). */
export const GREEDY = { riskSlackMin: 0, rescueMaxBundleSize: 0, chainRescue: false } as const;
