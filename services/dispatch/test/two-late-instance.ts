import type { InstanceTexts } from '../src/mdrp/instance.js';
import { instanceTexts } from './fixtures/instance-texts.js';

/**
 * A hand-made end of day (100 m per minute, so 100 m is one minute) for the joint certificate. The
 * last courier, c1 (off at 40), starts at restaurant r1. Order a is ready there at 20 and goes 15
 * minutes north; order b is ready at 30 at r2, 10 minutes east, and goes 15 minutes north too. c1
 * could pick up either alone, but not both: after one pickup, its drop-off and the drive to the other
 * restaurant, the second pickup would be at 62 or later. c0 is off at 15, before either is ready.
 * Any dispatcher delivers at most one; the other miss is certified jointly.
 */
export function twoLateInstanceTexts(): InstanceTexts {
  return instanceTexts({
    restaurants: [
      ['r1', 0, 0],
      ['r2', 1000, 0],
    ],
    orders: [
      ['a', 0, 1500, 5, 'r1', 20],
      ['b', 1000, 1500, 10, 'r2', 30],
    ],
    couriers: [
      ['c0', 0, 0, 0, 15],
      ['c1', 0, 0, 0, 40],
    ],
  });
}
