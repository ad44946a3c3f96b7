import type { InstanceTexts } from '../src/mdrp/instance.js';
import { instanceTexts } from './fixtures/instance-texts.js';

/**
 * A hand-made end of day (100 m per minute, so 100 m is one minute) where the end game strands an
 * order that a join before the pickup would deliver. The last courier, c1 (off at 20), waits at
 * restaurant r1. Order a, ready there at 5, goes 15 minutes north: c1 is sent with it at 2 (it must
 * leave by 3) and is back long after 20. Order b of the same restaurant is placed at 3, ready at 17,
 * and goes the same way: no courier can pick it up after a's trip, and the rescue joins only an
 * order ready within rescueWaitMin (10) of the trip's pickup at 5. The trip could still wait for
 * b and pick both up at 17, before c1's off_time.
 */
export function lateJoinInstanceTexts(): InstanceTexts {
  return instanceTexts({
    restaurants: [['r1', 0, 0]],
    orders: [
      ['a', 0, 1500, 0, 'r1', 5],
      ['b', 100, 1500, 3, 'r1', 17],
    ],
    couriers: [['c1', 0, 0, 0, 20]],
  });
}
