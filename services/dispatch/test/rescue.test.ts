import { describe, expect, it } from 'vitest';
import { dispatchConfig } from '../src/core/config.js';
import { parseInstance } from '../src/mdrp/instance.js';
import { runInstance } from '../src/mdrp/run.js';
import { GREEDY, strandInstanceTexts } from './strand-instance.js';

const instance = () => parseInstance('strand', strandInstanceTexts());

describe('late-day rescue: an order greedy commitment strands is delivered', () => {
  it('greedy: b is left behind although c1 could have served it, and its certificate says so', () => {
    const run = runInstance(instance(), dispatchConfig(GREEDY));
    expect(run.violations).toEqual([]);
    expect(run.metrics.delivered).toBe(1);
    expect(run.undelivered.avoidable.map((c) => c.orderId)).toEqual(['b']);
    expect(run.undelivered.avoidable[0].courierId).toBe('c1');
  });

  it('risk-aware policy: a and b share c1’s last pickup; only the order nobody can serve is left', () => {
    const run = runInstance(instance(), dispatchConfig());
    expect(run.violations).toEqual([]);
    expect(run.metrics.delivered).toBe(2);
    expect(run.undelivered.avoidable).toEqual([]);
    expect(run.undelivered.infeasible.map((c) => c.orderId)).toEqual(['late']);
    // one pickup for both, at b's ready time and no later than c1's off time
    const lines = run.texts.assignments.trim().split('\n').slice(1);
    expect(lines).toHaveLength(1);
    const [, pickup, courier, ...orders] = lines[0].split(' ');
    expect(courier).toBe('c1');
    expect([...orders].sort()).toEqual(['a', 'b']);
    expect(Number(pickup)).toBeGreaterThanOrEqual(35);
    expect(Number(pickup)).toBeLessThanOrEqual(40);
  });
});
