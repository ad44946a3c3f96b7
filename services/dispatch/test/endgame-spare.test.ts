import { describe, expect, it } from 'vitest';
import { dispatchConfig } from '../src/core/config.js';
import { parseInstance, type InstanceTexts } from '../src/mdrp/instance.js';
import { runInstance } from '../src/mdrp/run.js';
import { instanceTexts } from './fixtures/instance-texts.js';


/**
 * The mechanism that lost 4o50t100s1p100's o550 (issue 18), by hand: 100 m per minute. Two couriers
 * are left: c1 waits at r1 until 65, c2 is 10 minutes away until 20. Order a (r1, ready 10) is
 * placed at 0: c1 would pick it up at 10, c2 at 12. Order b is placed at 15 at r2, 40 minutes south
 * of r1, ready 30: only c1 can still reach it (c2 is off at 20), from r1 (pickup 57), but not after
 * a's drop-off 10 minutes north (pickup 76 > 65). Planning only the orders already placed and
 * minimising click-to-door, the end game gives a to c1 and b is lost although c1 could have served
 * it; counting the shift left after the plan (endgameSpareWeight) gives a to c2 for 2 minutes more
 * of click-to-door, and c1 is still free when b is placed.
 */
function spareInstance(): InstanceTexts {
  return instanceTexts({
    restaurants: [
      ['r1', 0, 0],
      ['r2', 0, -4000],
    ],
    orders: [
      ['a', 0, 1000, 0, 'r1', 10],
      ['b', 300, -4000, 15, 'r2', 30],
    ],
    couriers: [
      ['c1', 0, 0, 0, 65],
      ['c2', 1000, 0, 0, 20],
    ],
  });
}

describe('end game: shift left after the plan is capacity for orders not placed yet', () => {
  it('without endgameSpareWeight, a goes to c1 and b is lost although c1 could have served it', () => {
    const run = runInstance(parseInstance('spare', spareInstance()), dispatchConfig({ endgameSpareWeight: 0 }));
    expect(run.violations).toEqual([]);
    expect(run.metrics.delivered).toBe(1);
    expect(run.undelivered.avoidable.map((c) => c.orderId)).toEqual(['b']);
  });

  it('with it, a goes to c2 and c1 delivers b: no avoidable miss', () => {
    const run = runInstance(parseInstance('spare', spareInstance()), dispatchConfig({ endgameSpareWeight: 1 }));
    expect(run.violations).toEqual([]);
    expect(run.metrics.delivered).toBe(2);
    expect(run.undelivered.avoidable).toEqual([]);
    const byOrder = new Map(run.texts.orders.trim().split('\n').slice(1).map((l) => { const f = l.split(' '); return [f[0], f[f.length - 1]] as const; }));
    expect(byOrder.get('a')).toBe('c2');
    expect(byOrder.get('b')).toBe('c1');
  });
});
