import { describe, expect, it } from 'vitest';
import type { LogEvent, RosterShift } from '@riderflow/contracts';
import { AVAILABILITY_HOUR, AVAILABILITY_LEAD_MS, Simulation } from '../src/engine/simulation.js';
import { shiftForDay } from '../src/world/shifts.js';
import { DAY, HOUR, dayStart } from '../src/world/time.js';
import { MIN, smallCity } from './helpers.js';

type Started = Extract<LogEvent, { type: 'rider.shift_started' }>;
type Announced = Extract<LogEvent, { type: 'rider.availability' }>;

/** A small city from 05:00 (before any shift) to 12:00 the next day. */
function city() {
  const { world, settings } = smallCity('booking', 40);
  const today = dayStart(settings.startMs);
  return { world, settings: { ...settings, startMs: today + 5 * HOUR, endMs: today + DAY + 12 * HOUR }, today };
}

const booking = (riderId: string, day: number, start: number, hours: number, zoneId?: string): RosterShift =>
  ({ type: 'roster.shift', v: 1, id: `shift:${day}:${riderId}`, ts: 0, riderId, day, start, end: start + hours * HOUR, planId: 'p1', ...(zoneId ? { zoneId } : {}) });

describe('shift bookings from rostering (operations office)', () => {
  it('riders announce their hours for the rest of today at the start and for tomorrow in the evening', () => {
    const { world, settings, today } = city();
    const sim = new Simulation(world, settings);
    const events: LogEvent[] = [];
    sim.advance(today + AVAILABILITY_HOUR * HOUR + MIN, events);
    const announced = events.filter((e): e is Announced => e.type === 'rider.availability');
    for (const day of [today, today + DAY]) {
      const expected = world.riders
        .map((r) => ({ r, shift: shiftForDay(settings.seed, r, day) }))
        .filter((x) => x.shift !== null)
        .map((x) => ({ riderId: x.r.id, hours: (x.shift!.end - x.shift!.start) / HOUR, homeZoneId: world.zones[x.r.homeZoneIndex].id }));
      const got = announced.filter((e) => e.day === day);
      expect(got.length).toBeGreaterThan(0);
      expect(got.map((e) => ({ riderId: e.riderId, hours: e.hours, homeZoneId: e.homeZoneId }))).toEqual(expected);
      expect(new Set(got.map((e) => e.ts))).toEqual(new Set([day === today ? settings.startMs : today + AVAILABILITY_HOUR * HOUR]));
    }
  });

  it('at a start mid-day, riders due to start within the hour do not announce (a booking could not reach them)', () => {
    const small = smallCity('booking', 120);
    const today = dayStart(small.settings.startMs);
    const { world } = small;
    const settings = { ...small.settings, startMs: today + 10.5 * HOUR }; // riders start at 11:00–11:45
    const sim = new Simulation(world, settings);
    const events: LogEvent[] = [];
    sim.advance(settings.startMs + MIN, events);
    const announced = new Set(events.filter((e): e is Announced => e.type === 'rider.availability' && e.day === today).map((e) => e.riderId));
    const startOf = (r: (typeof world.riders)[number]) => shiftForDay(settings.seed, r, today)?.start;
    const soon = world.riders.filter((r) => { const s = startOf(r); return s !== undefined && s > settings.startMs && s <= settings.startMs + AVAILABILITY_LEAD_MS; });
    const later = world.riders.filter((r) => { const s = startOf(r); return s !== undefined && s > settings.startMs + AVAILABILITY_LEAD_MS; });
    expect(soon.length).toBeGreaterThan(0);
    expect(later.length).toBeGreaterThan(0);
    expect([...announced].sort()).toEqual(later.map((r) => r.id).sort());
  });

  it('starts a booked rider at the booked time near the zone, for its own hours, once, today and tomorrow', () => {
    const { world, settings, today } = city();
    const sim = new Simulation(world, settings);
    const events: LogEvent[] = [];
    sim.advance(settings.startMs + 10 * MIN, events);
    const working = world.riders.filter((r) => shiftForDay(settings.seed, r, today) && shiftForDay(settings.seed, r, today + DAY));
    expect(working.length).toBeGreaterThan(2);
    const [a, b] = working;
    const own = (r: typeof a, day: number) => shiftForDay(settings.seed, r, day)!;
    const hours = (r: typeof a, day: number) => (own(r, day).end - own(r, day).start) / HOUR;
    const zone = world.zones[3];
    const startA = today + 21 * HOUR;
    expect(startA).not.toBe(own(a, today).start);
    expect(sim.instruct(booking(a.id, today, startA, hours(a, today), zone.id), events)).toEqual({ accepted: true, orders: 0 });
    // Tomorrow's booking arrives before tomorrow begins.
    const startB = today + DAY + 7 * HOUR;
    expect(sim.instruct(booking(b.id, today + DAY, startB, hours(b, today + DAY)), events)).toEqual({ accepted: true, orders: 0 });
    sim.advance(settings.endMs, events);

    const startsOf = (id: string) => events.filter((e): e is Started => e.type === 'rider.shift_started' && e.riderId === id);
    const aToday = startsOf(a.id).filter((e) => e.ts < today + DAY);
    expect(aToday).toHaveLength(1);
    expect(aToday[0].ts).toBe(startA);
    expect(aToday[0].shiftEnd).toBe(startA + hours(a, today) * HOUR);
    const pos = world.projection.toPoint(aToday[0].lat, aToday[0].lon);
    expect(Math.abs(pos.x - zone.centre.x)).toBeLessThanOrEqual(601);
    expect(Math.abs(pos.y - zone.centre.y)).toBeLessThanOrEqual(601);
    const bTomorrow = startsOf(b.id).filter((e) => e.ts >= today + DAY);
    expect(bTomorrow.map((e) => e.ts)).toEqual([startB]);
    expect(sim.stats.shiftsBooked).toBe(2);
  });

  it('refuses a day off, other hours, a shift already begun and a start in the past, and changes nothing', () => {
    const { world, settings, today } = city();
    const sim = new Simulation(world, settings);
    sim.advance(today + 12 * HOUR, []);
    const now = sim.now;
    const off = world.riders.find((r) => !shiftForDay(settings.seed, r, today))!;
    const begun = world.riders.find((r) => { const s = shiftForDay(settings.seed, r, today); return s && s.start <= now && s.end > now; })!;
    const later = world.riders.find((r) => { const s = shiftForDay(settings.seed, r, today); return s && s.start > now + HOUR; })!;
    expect([off, begun, later].every(Boolean)).toBe(true);
    const h = (r: typeof later) => { const s = shiftForDay(settings.seed, r, today)!; return (s.end - s.start) / HOUR; };
    const out: LogEvent[] = [];
    const refused = (b: RosterShift) => { const res = sim.instruct(b, out); return res.accepted ? '' : res.reason; };
    expect(refused(booking(off.id, today, now + HOUR, 4))).toMatch(/has \d{4}-\d\d-\d\d off/);
    expect(refused(booking(later.id, today, now + 2 * HOUR, h(later) + 1))).toMatch(new RegExp(`works ${h(later)} h on .*, not ${h(later) + 1} h`));
    expect(refused(booking(begun.id, today, now + HOUR, h(begun)))).toMatch(/already begun/);
    expect(refused(booking(later.id, today, now - HOUR, h(later)))).toMatch(/in the past/);
    expect(refused(booking(later.id, today + 1, now + HOUR, h(later)))).toMatch(/not the start of a day/);
    expect(refused(booking('nobody', today, now + HOUR, 4))).toBe('unknown rider nobody');
    expect(out).toEqual([]);
    expect(sim.stats).toMatchObject({ shiftsBooked: 0, shiftBookingsRefused: 6 });
  });

  it('is deterministic: the same bookings at the same times give the same events', () => {
    const runOnce = () => {
      const { world, settings, today } = city();
      const sim = new Simulation(world, settings);
      const events: LogEvent[] = [];
      sim.advance(settings.startMs + 30 * MIN, events);
      for (const r of world.riders.slice(0, 10)) {
        const s = shiftForDay(settings.seed, r, today);
        if (s) sim.instruct(booking(r.id, today, today + 18 * HOUR, (s.end - s.start) / HOUR), events);
      }
      sim.advance(today + DAY, events);
      return JSON.stringify(events);
    };
    expect(runOnce()).toBe(runOnce());
  });
});
