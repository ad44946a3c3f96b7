import { describe, expect, it } from 'vitest';
import type { LogEvent } from '@riderflow/contracts';
import { Simulation } from '../src/engine/simulation.js';
import { defaultDemand } from '../src/world/demand.js';
import { MIN, MONDAY_NOON, smallCity } from './helpers.js';

// A resumed start continues the clock one second after the log's newest record: in the middle of
// a simulated minute the earlier run had already placed orders in. Order ids name the minute, so
// the new run must not place orders in that minute again, or it reuses their ids.

function createdIds(startMs: number, endMs: number): Map<string, number> {
  const { world, settings } = smallCity('resume-ids', 60);
  const sim = new Simulation(world, { ...settings, startMs, endMs, demand: defaultDemand(60, 20) });
  const out: LogEvent[] = [];
  sim.advance(endMs, out);
  return new Map(out.filter((e) => e.type === 'order.created').map((e) => [(e as { orderId: string }).orderId, e.ts]));
}

describe('order ids across a stop and a resumed start', () => {
  it('are never reused when the resumed clock starts mid-minute', () => {
    const stop = MONDAY_NOON + 30 * MIN + 25_000; // a Ctrl-C 25 s into a minute
    const first = createdIds(MONDAY_NOON, stop);
    const resumedAt = Math.max(...first.values()) + 1_000;
    expect(Math.floor(resumedAt / MIN)).toBe(Math.floor(stop / MIN)); // the same minute, part placed already
    const second = createdIds(resumedAt, resumedAt + 10 * MIN);
    expect(second.size).toBeGreaterThan(20);
    const reused = [...second.keys()].filter((id) => first.has(id));
    expect(reused).toEqual([]);
    // and nothing the resumed run places is before its start
    expect(Math.min(...second.values())).toBeGreaterThanOrEqual(resumedAt);
  });
});
