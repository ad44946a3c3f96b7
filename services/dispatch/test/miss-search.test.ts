import { describe, expect, it } from 'vitest';
import { rollingFrom } from '../bench/miss-search/rolling.js';
import { searchFrom } from '../bench/miss-search/search-from.js';
import { spliceSolution } from '../bench/miss-search/splice.js';
import { dispatchConfig } from '../src/core/config.js';
import { parseInstance } from '../src/mdrp/instance.js';
import { simulateInstance } from '../src/mdrp/simulate.js';
import { checkSolution } from '../bench/miss-search/check.js';
import { GREEDY, strandInstanceTexts } from './strand-instance.js';

describe('miss search (bench/miss-search)', () => {
  it('finds the plan that delivers the order a greedy run strands, and the validator accepts it spliced into the run', () => {
    const instance = parseInstance('strand', strandInstanceTexts());
    const config = dispatchConfig(GREEDY);
    const whole = simulateInstance(instance, config);
    const run = checkSolution(instance, whole);
    // the greedy run sends c1 with a alone at 20 and strands b
    expect(run.violations).toEqual([]);
    expect(whole.deliveries.map((d) => d.orderId)).toEqual(['a']);
    expect(run.uncertified).toEqual(['b']);

    const r = searchFrom(instance, config, whole, 5, 5_000, 'test');
    expect(r.state.now).toBe(5);
    expect(r.runFrom).toBe(1);
    // the run's own plan from T, spliced back, is the run
    expect(r.runChecked.violations).toEqual([]);
    expect(r.runChecked.metrics.delivered).toBe(1);
    // the search: c1 waits for b and takes both at 35 (late is ready after every off_time)
    expect(r.search.delivered).toBe(2);
    expect(r.checked.violations).toEqual([]);
    expect(r.checked.uncertified).toEqual([]);
    expect(r.checked.metrics.delivered).toBe(2);
    const c1 = r.search.plans[0];
    expect(c1.trips.map((t) => t.orders.map((o) => o.id).sort())).toEqual([['a', 'b']]);
    expect(r.checked.texts.assignments.split('\n')[1].split(' ').slice(1, 3)).toEqual(['35', 'c1']);
  });

  it('online from T, the same search every minute saves b by joining it to the trip c1 was given', () => {
    const instance = parseInstance('strand', strandInstanceTexts());
    const config = dispatchConfig(GREEDY);
    const whole = simulateInstance(instance, config);
    const r = searchFrom(instance, config, whole, 5, 2_000, 'test');
    // no foresight: at 5 only a is known and the idle c1 is given it; b, placed at 10, joins the trip
    // before its pickup (a's ready time 20), which then waits for b's 35, before c1's off_time 40
    const online = rollingFrom(r.state, r.ctx, { horizonMin: 0, roundBudgetMs: 20, seed: 'test' });
    expect(online.delivered).toBe(2);
    expect(online.plans[0].trips.map((t) => [t.orders.map((o) => o.id).sort(), t.departNotBefore])).toEqual([[['a', 'b'], 5]]);
    const checked = checkSolution(instance, spliceSolution(r.state, online.plans, r.ctx));
    expect(checked.violations).toEqual([]);
    expect(checked.metrics.delivered).toBe(2);
    expect(checked.texts.assignments.split('\n')[1].split(' ').slice(0, 3)).toEqual(['10', '35', 'c1']);
  });

  it('says so when T is after the run ends', () => {
    const instance = parseInstance('strand', strandInstanceTexts());
    const config = dispatchConfig(GREEDY);
    const whole = simulateInstance(instance, config);
    expect(() => searchFrom(instance, config, whole, 10_000, 1_000)).toThrow(/no round at or after 10000/);
  });
});
