import { describe, expect, it } from 'vitest';
import type { LogEvent } from '@riderflow/contracts';
import { baselineForecast } from '../src/core/baselines.js';
import { bucketOf } from '../src/core/buckets.js';
import { DEFAULT_STAFFING } from '../src/core/erlang-c.js';
import { RosteringRound, type RoundSettings } from '../src/core/round.js';
import { generateSyntheticHistory } from '../src/synthetic/demand-generator.js';

// The round core without brokers: events in, decisions out.
const syn = generateSyntheticHistory({ seed: 5, days: 5, zones: 4, ridersPerZone: 1 });
const settings: RoundSettings = {
  staffing: DEFAULT_STAFFING, speedKmh: 15, maxTravelMin: 25, sendMoves: true, sendCallIns: true, bookShifts: true,
  openHour: 0, closeHour: 24, shiftLeadMin: 30, callInIntervalMin: 30, callInMax: 10,
};
const ping = (id: string, riderId: string, ts: number, zone: number) =>
  ({ type: 'rider.location', v: 1, id, ts, riderId, zoneId: syn.zoneIds[zone], lat: syn.centers[zone].lat, lon: syn.centers[zone].lon, status: 'idle', speedKmh: 0 }) as LogEvent;

function roundWithHistory(overrides: Partial<RoundSettings> = {}): RosteringRound {
  const round = new RosteringRound({ ...settings, ...overrides });
  for (const e of syn.events) round.fold(e as LogEvent);
  return round;
}

/** The synthetic history has no order lifecycle: its last orders are taken now, or they would look like a backlog for the idle riders. */
function takeLastOrders(round: RosteringRound, t: number): void {
  for (const e of syn.events) {
    if (e.type !== 'order.created' || e.ts < syn.endMs - 30 * 60_000) continue;
    const orderId = (e as unknown as { orderId: string }).orderId;
    round.fold({ type: 'order.assigned', v: 1, id: `${orderId}:assigned`, ts: t, orderId, riderId: 'r-hist', assignmentId: `a-${orderId}` } as LogEvent);
  }
}

const forecastsFor = (round: RosteringRound, origin: number) =>
  new Map(round.history.zoneIds().map((z) => [z, baselineForecast('seasonal_naive_yesterday', round.history, z, origin, 8)]));

describe('the rostering round core', () => {
  it('runs one round per new bucket of simulated time', () => {
    const round = roundWithHistory();
    const origin = round.takeDueOrigin();
    expect(origin).toBe(bucketOf(round.history.watermark()) - 1);
    expect(round.takeDueOrigin()).toBeUndefined();
    round.fold(ping('p-same-bucket', 'r0-0', round.history.watermark() + 1, 0));
    expect(round.takeDueOrigin()).toBeUndefined();
    round.fold(ping('p-next-bucket', 'r0-0', round.history.watermark() + 15 * 60_000, 0));
    expect(round.takeDueOrigin()).toBe(origin! + 1);
  });

  it('plans a bucket into a roster.plan and a reposition instruction per move', () => {
    const round = roundWithHistory();
    // Six idle riders in the quietest zone: some are moved to the others.
    const t = syn.endMs + 14 * 60_000;
    takeLastOrders(round, t);
    for (let i = 0; i < 6; i++) round.fold(ping(`live-p${i}`, `live-${i}`, t, 2));
    const origin = round.takeDueOrigin()!;
    const d = round.planBucket(origin, forecastsFor(round, origin), 'baseline:test');
    expect(d.ts).toBe(t);
    expect(d.event).toMatchObject({ type: 'roster.plan', ts: t, modelVersion: 'baseline:test', bucketStart: d.plan.bucketStart, planId: `plan-${d.plan.bucketStart}` });
    expect(d.event.zones.map((z) => z.zoneId)).toEqual(syn.zoneIds);
    expect(d.event.zones.find((z) => z.zoneId === 'z3')?.ridersPresent).toBe(6);
    expect(d.moves.length).toBeGreaterThan(0);
    expect(d.moves.map((mv) => mv.riderId)).toEqual(d.event.moves.map((mv) => mv.riderId));
    for (const mv of d.moves) {
      expect(mv).toMatchObject({ type: 'rider.instruction', action: 'reposition', ts: t, id: `reposition:${d.plan.bucketStart}:${mv.riderId}` });
      expect(d.event.moves.find((x) => x.riderId === mv.riderId)?.toZoneId).toBe(mv.zoneId);
    }
    // With moves off, the plan is the same and nothing is sent.
    const quiet = roundWithHistory({ sendMoves: false });
    takeLastOrders(quiet, t);
    for (let i = 0; i < 6; i++) quiet.fold(ping(`live-p${i}`, `live-${i}`, t, 2));
    const q = quiet.planBucket(origin, forecastsFor(quiet, origin), 'baseline:test');
    expect(q.moves).toEqual([]);
    expect(q.event.moves).toEqual([]);
    expect(q.event.zones).toEqual(d.event.zones);
  });

  it('books announced hours once they settle, and again until the booking is confirmed', () => {
    const round = roundWithHistory();
    const day = syn.endMs;
    const announcedAt = syn.endMs + 17 * 60_000;
    const hours = [4, 6, 8];
    hours.forEach((h, i) => round.fold({ type: 'rider.availability', v: 1, id: `avail-${i}`, ts: announcedAt, riderId: `avail-${i}`, day, hours: h, homeZoneId: 'z1' } as LogEvent));
    expect(round.dueBookings(announcedAt + 60_000)).toEqual([]); // the burst may not be complete yet
    const now = announcedAt + 22 * 60_000;
    const [b, ...rest] = round.dueBookings(now);
    expect(rest).toEqual([]);
    if (b?.kind !== 'booked') throw new Error(`expected a booking, got ${b?.kind}`);
    expect(b.tasks.map((x) => x.riderId).sort()).toEqual(['avail-0', 'avail-1', 'avail-2']);
    for (const x of b.tasks) {
      expect(x).toMatchObject({ type: 'roster.shift', day, ts: now, planId: b.event.planId });
      expect(x.end - x.start).toBe(hours[Number(x.riderId.split('-')[1])] * 3_600_000);
      expect(x.start).toBeGreaterThanOrEqual(now + 30 * 60_000);
      expect(x.end).toBeLessThanOrEqual(day + 24 * 3_600_000);
    }
    expect(b.event.shifts).toEqual(b.tasks.map((x) => ({ riderId: x.riderId, start: x.start, end: x.end })));
    expect(b.event.hours).toHaveLength(24);
    // Not confirmed (the broker never took the tasks): due again.
    expect(round.dueBookings(now + 60_000).map((x) => x.riderIds.sort())).toEqual([['avail-0', 'avail-1', 'avail-2']]);
    round.confirmBooking(b);
    expect(round.dueBookings(now + 2 * 60_000)).toEqual([]);
    // A replayed announcement of a booked rider books nothing again.
    round.fold({ type: 'rider.availability', v: 1, id: 'avail-0-again', ts: now + 3 * 60_000, riderId: 'avail-0', day, hours: 4, homeZoneId: 'z1' } as LogEvent);
    expect(round.dueBookings(now + 40 * 60_000)).toEqual([]);
    // Booking off: nothing is ever due.
    const off = roundWithHistory({ bookShifts: false });
    off.fold({ type: 'rider.availability', v: 1, id: 'a', ts: announcedAt, riderId: 'a', day, hours: 4, homeZoneId: 'z1' } as LogEvent);
    expect(off.dueBookings(now)).toEqual([]);
  });

  it('asks for call-ins only inside operating hours, at most once per interval and never more than the hour needs', () => {
    const round = roundWithHistory();
    const origin = round.takeDueOrigin()!;
    const d = round.planBucket(origin, forecastsFor(round, origin), 'baseline:test');
    const short = { ...d, plan: { ...d.plan, callIns: [{ hourStart: d.ts, riders: 4 }, { hourStart: d.ts + 3_600_000, riders: 9 }] } };
    const first = round.callIns(short);
    expect(first.tasks.reduce((s, c) => s + c.riders, 0)).toBe(4);
    expect(first.wanted).toBe(4);
    expect(first.worthIt).toBe(4);
    first.tasks.forEach((c, i) => expect(c).toMatchObject({ type: 'roster.call_in', id: `call-in:${d.plan.bucketStart}:${i}`, ts: d.ts }));
    expect(round.callIns({ ...short, ts: d.ts + 10 * 60_000 }).tasks).toEqual([]); // within the interval
    expect(round.callIns({ ...short, ts: d.ts + 31 * 60_000 }).tasks.length).toBeGreaterThan(0);
    // Outside operating hours (the synthetic history ends just before midnight UTC), and with call-ins off: none.
    const closed = roundWithHistory({ closeHour: 23 });
    expect(closed.callIns(short).tasks).toEqual([]);
    const off = roundWithHistory({ sendCallIns: false });
    expect(off.callIns(short).tasks).toEqual([]);
  });
});

describe('the staffing rule in a round', () => {
  it('uses the settings\' minutes, or with serviceFromLog those the log shows, and publishes them on the plan', () => {
    const t0 = Date.parse('2025-03-03T12:00:00Z');
    const served: LogEvent[] = [];
    for (let i = 0; i < 40; i++) {
      served.push({ type: 'order.assigned', v: 1, id: `a${i}`, ts: t0 + i * 60_000, orderId: `o${i}`, riderId: `r${i}`, assignmentId: `x${i}` } as LogEvent);
      served.push({ type: 'order.delivered', v: 1, id: `d${i}`, ts: t0 + i * 60_000 + 10 * 60_000, orderId: `o${i}`, riderId: `r${i}`, placedAt: t0, clickToDoorMin: 20 } as LogEvent);
    }
    served.push(ping('late-ping', 'r0', t0 + 2 * 3_600_000, 0));
    const fixed = new RosteringRound(settings);
    const fromLog = new RosteringRound({ ...settings, serviceFromLog: true });
    for (const e of served) { fixed.fold(e); fromLog.fold(e); }
    expect(fixed.staffingNow()).toMatchObject({ serviceMin: DEFAULT_STAFFING.serviceMin, observed: false });
    expect(fromLog.staffingNow()).toMatchObject({ serviceMin: 10, doorMin: 10, observed: true });
    const origin = bucketOf(t0 + 2 * 3_600_000) - 1;
    const forecasts = new Map([[syn.zoneIds[0], [20, 20, 20, 20, 20, 20, 20, 20]]]);
    const a = fixed.planBucket(origin, forecasts, 'test');
    const b = fromLog.planBucket(origin, forecasts, 'test');
    expect(b.event.rule).toMatchObject({ serviceMin: 10, observed: true });
    expect(a.event.rule).toMatchObject({ serviceMin: DEFAULT_STAFFING.serviceMin, observed: false });
    expect(b.event.cityRidersNeeded!).toBeLessThan(a.event.cityRidersNeeded!); // faster service, fewer riders
  });
});
