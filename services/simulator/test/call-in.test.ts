import { describe, expect, it } from 'vitest';
import type { LogEvent, RosterCallIn } from '@riderflow/contracts';
import { Simulation } from '../src/engine/simulation.js';
import { shiftForDay } from '../src/world/shifts.js';
import { dayStart } from '../src/world/time.js';
import { MIN, smallCity } from './helpers.js';

const ZONE = smallCity('call-in', 40).world.zones[4].id;
type Started = Extract<LogEvent, { type: 'rider.shift_started' }>;
const callIn = (riders: number, zoneId?: string): RosterCallIn => ({ type: 'roster.call_in', v: 1, id: `c-${riders}-${zoneId ?? ''}`, ts: 0, riders, ...(zoneId ? { zoneId } : {}), reason: 'test' });

function run(withCallIn: RosterCallIn | null) {
  const { world, settings } = smallCity('call-in', 40);
  const sim = new Simulation(world, settings);
  const events: LogEvent[] = [];
  sim.advance(settings.startMs + 10 * MIN, events);
  const at = sim.now;
  const fromCallIn: LogEvent[] = [];
  const outcome = withCallIn ? sim.instruct(withCallIn, fromCallIn) : null;
  events.push(...fromCallIn);
  sim.advance(settings.endMs, events);
  return { sim, world, settings, events, fromCallIn, at, outcome };
}

describe('call-ins from rostering (operations office)', () => {
  it('moves later shifts of the day to now, same length, near the zone asked for, and never starts them twice', () => {
    const { world, settings, events, fromCallIn, at, outcome, sim } = run(callIn(3, ZONE));
    expect(world.zones.some((z) => z.id === ZONE)).toBe(true);
    expect(outcome).toEqual({ accepted: true, orders: 0 });
    const started = fromCallIn.filter((e): e is Started => e.type === 'rider.shift_started');
    expect(started).toHaveLength(3);
    expect(sim.stats.ridersCalledIn).toBe(3);
    const target = world.zones.find((z) => z.id === ZONE)!.centre;
    for (const s of started) {
      expect(s.ts).toBe(at);
      const profile = world.riders.find((r) => r.id === s.riderId)!;
      const rostered = shiftForDay(settings.seed, profile, dayStart(at))!;
      expect(rostered.start).toBeGreaterThan(at); // was off shift with a shift later today
      expect(s.shiftEnd - s.ts).toBe(rostered.end - rostered.start); // same rider-hours
      const pos = world.projection.toPoint(s.lat, s.lon);
      expect(Math.abs(pos.x - target.x)).toBeLessThanOrEqual(601);
      expect(Math.abs(pos.y - target.y)).toBeLessThanOrEqual(601);
      // Its rostered start later today does not start it again.
      expect(events.filter((e) => e.type === 'rider.shift_started' && e.riderId === s.riderId)).toHaveLength(1);
      // Idle the whole time (no dispatcher): the shift ends exactly at the advanced end.
      const ended = events.find((e) => e.type === 'rider.shift_ended' && e.riderId === s.riderId);
      if (s.shiftEnd < settings.endMs) expect(ended?.ts).toBe(s.shiftEnd);
    }
  });

  it('is deterministic, leaves demand untouched, and refuses when nobody is left to call in', () => {
    const a = run(callIn(3, ZONE));
    const b = run(callIn(3, ZONE));
    const none = run(null);
    expect(JSON.stringify(a.events)).toBe(JSON.stringify(b.events));
    const created = (ev: LogEvent[]) => ev.filter((e) => e.type === 'order.created').map((e) => JSON.stringify(e));
    expect(created(a.events)).toEqual(created(none.events));
    // Same riders start as without the call-in, except that the called-in ones start now instead of later.
    const starts = (ev: LogEvent[]) => ev.filter((e): e is Started => e.type === 'rider.shift_started').map((e) => `${e.riderId}@${e.ts}`);
    const called = new Set(a.fromCallIn.filter((e): e is Started => e.type === 'rider.shift_started').map((e) => e.riderId));
    expect(called.size).toBe(3);
    const expected = [...starts(none.events).filter((k) => !called.has(k.split('@')[0])), ...[...called].map((r) => `${r}@${a.at}`)].sort();
    expect([...starts(a.events)].sort()).toEqual(expected);

    const { world, settings } = smallCity('call-in', 40);
    const sim = new Simulation(world, settings);
    sim.advance(settings.startMs + 10 * MIN, []);
    const out: LogEvent[] = [];
    const all = sim.callIn(callIn(1000), out);
    expect(all).toBeGreaterThan(0);
    expect(out.filter((e) => e.type === 'rider.shift_started')).toHaveLength(all);
    expect(sim.instruct(callIn(1), [])).toEqual({ accepted: false, reason: 'no rostered rider to call in' });
  });
});
