import { describe, expect, it } from 'vitest';
import type { LogEvent } from '@riderflow/contracts';
import { LiveState } from '../server/core/live-state.js';
import { LagClock } from '../server/core/lag-clock.js';
import { latestPlanLine } from '../lib/plan-name.js';

const T0 = Date.UTC(2025, 2, 3, 12, 0, 0);
const min = (m: number) => T0 + m * 60_000;
let seq = 0;
const base = (ts: number) => ({ v: 1 as const, id: `e${++seq}`, ts });

function created(orderId: string, zoneId: string, ts: number): LogEvent {
  return { type: 'order.created', ...base(ts), orderId, storeId: 's1', customerId: 'c1', zoneId, storeLat: 52.5, storeLon: 13.4, dropLat: 52.51, dropLon: 13.41, placedAt: ts, expectedReadyAt: ts + 600_000 };
}
function delivered(orderId: string, ts: number, c2d: number): LogEvent {
  return { type: 'order.delivered', ...base(ts), orderId, riderId: 'r1', placedAt: ts - c2d * 60_000, clickToDoorMin: c2d };
}
function ping(riderId: string, status: 'idle' | 'to_store' | 'off_shift', ts: number, zoneId = 'z1'): LogEvent {
  return { type: 'rider.location', ...base(ts), riderId, zoneId, lat: 52.5, lon: 13.4, status, speedKmh: 15 };
}

describe('live state', () => {
  it('folds riders, open orders and zones into a frame', () => {
    const s = new LiveState();
    s.apply(ping('r1', 'idle', min(0)));
    s.apply(ping('r2', 'to_store', min(0)));
    s.apply(created('o1', 'z1', min(1)));
    s.apply(created('o2', 'z2', min(2)));
    s.apply({ type: 'order.assigned', ...base(min(3)), orderId: 'o1', riderId: 'r2', assignmentId: 'a1' });
    const f = s.frame();
    expect(f.simTime).toBe(min(3));
    expect(f.riders.map((r) => r[0]).sort()).toEqual(['r1', 'r2']);
    expect(f.ridersByStatus.idle).toBe(1);
    expect(f.ridersByStatus.to_store).toBe(1);
    expect(f.openOrders).toHaveLength(2);
    expect(f.openOrders.filter((o) => o[2] === 1)).toHaveLength(1);
    expect(f.zones.map((z) => [z.id, z.ordersLastWindow])).toEqual([['z1', 1], ['z2', 1]]);
  });

  it('computes KPIs over the window and their change against the previous window', () => {
    const s = new LiveState({ windowMin: 15 });
    // read since before the previous window began, so the comparison is with a full window
    s.apply(ping('r1', 'idle', min(-1)));
    // previous window (minutes 0-15): 3 orders, deliveries of 30 and 50 min
    for (const m of [1, 2, 3]) s.apply(created(`p${m}`, 'z1', min(m)));
    s.apply(delivered('p1', min(10), 30));
    s.apply(delivered('p2', min(12), 50));
    // current window (minutes 15-30): 6 orders, deliveries of 20, 25, 45 min, one cancellation
    for (const m of [16, 17, 18, 19, 20, 21]) s.apply(created(`c${m}`, 'z1', min(m)));
    s.apply(delivered('c16', min(25), 20));
    s.apply(delivered('c17', min(26), 25));
    s.apply(delivered('c18', min(27), 45));
    s.apply({ type: 'order.cancelled', ...base(min(28)), orderId: 'c19', reason: 'unassigned_timeout' });
    s.apply(ping('r1', 'idle', min(29.9)));
    const kpi = Object.fromEntries(s.frame().kpis.map((k) => [k.key, k]));
    expect(kpi.ordersPerMin!.value).toBeCloseTo(6 / 15);
    expect(kpi.ordersPerMin!.previous).toBeCloseTo(3 / 15);
    expect(kpi.ordersPerMin!.delta).toBeCloseTo(3 / 15);
    expect(kpi.c2dMean!.value).toBeCloseTo(30);
    expect(kpi.c2dMean!.previous).toBeCloseTo(40);
    expect(kpi.c2dP90!.value).toBe(45);
    // of the orders that ended: 2 of 3 deliveries within 40 min, and the cancelled one was not on time
    expect(kpi.onTime!.value).toBeCloseTo(2 / 4);
    expect(kpi.onTime!.previous).toBeCloseTo(1 / 2);
    expect(kpi.cancellations!.value).toBe(1);
    expect(kpi.idle!.value).toBe(1);
  });

  it('drops riders that go off shift and keeps a bounded feed, newest first', () => {
    const s = new LiveState({ feedSize: 3 });
    s.apply(ping('r1', 'idle', min(0)));
    s.apply(ping('r1', 'off_shift', min(1)));
    for (let i = 0; i < 5; i++) s.apply(created(`o${i}`, 'z1', min(2 + i)));
    const f = s.frame();
    expect(f.riders).toHaveLength(0);
    expect(f.feed.map((x) => x.text)).toEqual(['Order o4 placed at store 1 in zone z1', 'Order o3 placed at store 1 in zone z1', 'Order o2 placed at store 1 in zone z1']);
  });

  it('compares each roster plan with the orders that arrived in its horizon', () => {
    const s = new LiveState();
    s.apply({ type: 'roster.plan', ...base(min(0)), planId: 'p1', modelVersion: 'm1', bucketStart: min(0), horizonMin: 30, zones: [{ zoneId: 'z1', forecastOrders: 4, ridersNeeded: 2, ridersPresent: 1 }], moves: [], callIns: [] });
    for (const m of [1, 5, 20]) s.apply(created(`o${m}`, 'z1', min(m)));
    s.apply(created('late', 'z1', min(31)));
    const v = s.rostering.view();
    expect(v.history).toEqual([{ planId: 'p1', bucketStart: min(0), horizonMin: 30, forecast: 4, actual: 3 }]);
    expect(v.zones).toEqual([{ zoneId: 'z1', forecast: 4, actualSoFar: 3, ridersNeeded: 2, ridersPresent: 1 }]);
    expect(v.dayPlan).toBeNull();
  });

  it('calibrates only hours rostering planned from their start, not the hour the live run began in', () => {
    const s = new LiveState();
    const plan = (bucketMin: number) => ({ type: 'roster.plan' as const, ...base(min(bucketMin)), planId: `p${bucketMin}`, modelVersion: 'm1', bucketStart: min(bucketMin), horizonMin: 45, zones: [{ zoneId: 'z1', forecastOrders: 4, ridersNeeded: 2, ridersPresent: 3 }], moves: [], callIns: [], cityRidersNeeded: 2, ridersOnShift: 3 });
    // hour 12:00: orders from history before rostering's first plan (12:45), never ended
    for (const m of [5, 10, 20]) s.apply(created(`h${m}`, 'z1', min(m)));
    s.apply(created('live', 'z1', min(46)));
    s.apply(delivered('live', min(60), 14));
    // hour 13:00: planned from 13:00, two orders, one in time, one late
    for (const m of [45, 60, 75, 90, 105]) s.apply(plan(m));
    s.apply(created('a', 'z1', min(61)));
    s.apply(created('b', 'z1', min(62)));
    s.apply(delivered('a', min(80), 19));
    s.apply(delivered('b', min(110), 48));
    s.apply(created('tick', 'z1', min(60 + 60 + 41)));
    const rows = s.rostering.view().calibration;
    expect(rows.map((r) => [r.hourStart, r.created, r.within40, r.settled])).toEqual([[min(60), 2, 1, true]]);
    expect(rows[0]!.ridersNeeded).toBe(2);
    expect(rows[0]!.ridersOnShift).toBe(3);
  });

  it("shows today's shift plan: its latest round's hours and the shifts booked over all rounds", () => {
    const s = new LiveState();
    const day = Math.floor(min(0) / 86_400_000) * 86_400_000;
    const hours = (booked: number) => [{ hourStart: day + 18 * 3_600_000, forecastOrders: 40, ridersNeeded: 20, ridersBooked: booked }];
    const shiftPlan = (planId: string, riders: string[], booked: number, d = day) =>
      ({ type: 'roster.shift_plan' as const, ...base(min(0)), id: planId, planId, day: d, forecastSource: 'yesterday', hours: hours(booked), shifts: riders.map((riderId) => ({ riderId, start: d + 18 * 3_600_000, end: d + 22 * 3_600_000 })) });
    s.apply(shiftPlan('a', ['r1', 'r2'], 2));
    s.apply(shiftPlan('b', ['r3'], 3));
    s.apply(shiftPlan('tomorrow', ['r4'], 1, day + 86_400_000));
    s.apply(created('o1', 'z1', min(1)));
    expect(s.rostering.view().dayPlan).toEqual({ day, planId: 'b', forecastSource: 'yesterday', shiftsBooked: 3, hours: hours(3) });
    expect(s.frame().feed[1].text).toMatch(/^Shifts booked for \d{4}-\d\d-\d\d: 1 rider \(forecast: yesterday\)$/);
  });
});

describe('live state for a first-time viewer', () => {
  const zones = [
    { id: 'z1', name: 'Mitte', bounds: [52.50, 13.38, 52.51, 13.40] as [number, number, number, number] },
    { id: 'z2', name: 'Kreuzberg', bounds: [52.50, 13.40, 52.51, 13.42] as [number, number, number, number] },
  ];

  it('draws the fixed zones from the first frame, named, whatever the events cover', () => {
    const s = new LiveState({ zones });
    expect(s.frame().zones.map((z) => [z.id, z.name, z.bounds])).toEqual(zones.map((z) => [z.id, z.name, z.bounds]));
    s.apply(ping('r1', 'idle', min(0), 'z1'));
    s.apply(ping('r2', 'idle', min(0), 'z9')); // a zone without an outline is still drawn, as observed
    const f = s.frame();
    expect(f.zones.find((z) => z.id === 'z1')!.bounds).toEqual(zones[0]!.bounds);
    expect(f.zones.find((z) => z.id === 'z9')!.name).toBe('z9');
  });

  it('counts the whole fleet in the legend: off shift is the fleet minus those on shift', () => {
    const s = new LiveState({ fleetSize: 10 });
    s.apply(ping('r1', 'idle', min(0)));
    s.apply(ping('r2', 'to_store', min(0)));
    s.apply(ping('r3', 'off_shift', min(0)));
    const f = s.frame();
    expect(f.fleet).toBe(10);
    expect(f.ridersByStatus.off_shift).toBe(8);
    expect(Object.values(f.ridersByStatus).reduce((a, b) => a + b, 0)).toBe(10);
    // without a configured size, the fleet is every rider seen
    const t = new LiveState();
    t.apply(ping('r1', 'idle', min(0)));
    t.apply({ type: 'rider.availability', ...base(min(0)), riderId: 'r7', day: 0, hours: 6, homeZoneId: 'z1' });
    expect(t.frame().fleet).toBe(2);
    expect(t.frame().ridersByStatus.off_shift).toBe(1);
  });

  it('shows no change against a previous window it did not read in full', () => {
    const s = new LiveState({ windowMin: 15 });
    for (const m of [1, 2, 3, 16, 17]) s.apply(created(`o${m}`, 'z1', min(m)));
    s.apply(ping('r1', 'idle', min(29)));
    expect(s.frame().kpis.map((k) => k.delta)).toEqual(s.frame().kpis.map(() => null));
    s.apply(ping('r1', 'idle', min(32)));
    expect(s.frame().kpis.find((k) => k.key === 'ordersPerMin')!.delta).not.toBeNull();
  });

  it('measures the speed of simulated time when it is not configured', () => {
    const s = new LiveState();
    s.apply(ping('r1', 'idle', min(0)));
    expect(s.frame(1_000_000).speed).toBeNull();
    s.apply(ping('r1', 'idle', min(5)));
    expect(s.frame(1_010_000).speed).toBeCloseTo(30);
    expect(new LiveState({ speed: 60 }).frame().speed).toBe(60);
  });

  it('writes the feed in sentences', () => {
    const s = new LiveState({ zones });
    s.apply({ type: 'rider.location', ...base(min(0)), riderId: 'r97', zoneId: 'z1', lat: 52.5, lon: 13.4, status: 'idle', speedKmh: 0 });
    s.apply({ type: 'order.created', ...base(min(1)), orderId: `o${Math.floor(min(1) / 60_000).toString(36)}-1`, storeId: 's72', customerId: 'c1', zoneId: 'z1', storeLat: 52.51, storeLon: 13.4, dropLat: 52.5, dropLon: 13.41, placedAt: min(1), expectedReadyAt: min(10) });
    s.apply({ type: 'dispatch.assigned', ...base(min(2)), assignmentId: 'a1', riderId: 'r97', storeId: 's72', orderIds: [`o${Math.floor(min(1) / 60_000).toString(36)}-1`], plannedPickupAt: min(5), plannedDropoffs: [] });
    const [assigned, placed] = s.frame().feed;
    expect(placed!.text).toBe('Order 12:01 #1 placed at store 72 in Mitte (z1)');
    expect(assigned!.text).toBe('Rider 97 picks up order 12:01 #1 at store 72, 1.1 km away');
  });

  it('shows the feed newest first by simulated time, whatever order the topics were read in', () => {
    // Found on the stranger's tour: after a restart the reader caught up on order.events ahead of
    // roster.plans, and a 23:51 roster plan appeared between 00:08 and 00:00 orders.
    const s = new LiveState({ feedSize: 4 });
    s.apply(created('o1', 'z1', min(8)));
    s.apply(created('o2', 'z1', min(10)));
    s.apply({ type: 'roster.plan', ...base(min(-9)), planId: 'p1', modelVersion: 'm1', bucketStart: min(-9), horizonMin: 45, zones: [], moves: [], callIns: [] });
    s.apply(created('o3', 'z1', min(9)));
    expect(s.frame().feed.map((f) => f.ts)).toEqual([min(10), min(9), min(8), min(-9)]);
    // full: a line older than all it holds is the one that would be dropped; a newer one drops the oldest
    s.apply(created('o4', 'z1', min(-20)));
    expect(s.frame().feed.map((f) => f.ts)).toEqual([min(10), min(9), min(8), min(-9)]);
    s.apply(created('o5', 'z1', min(0)));
    expect(s.frame().feed.map((f) => f.ts)).toEqual([min(10), min(9), min(8), min(0)]);
  });

  it('names the newest roster plan on the live page by its window, not by its raw id', () => {
    // Found on the stranger's tour: the live page said "Latest roster plan plan-1741006800000",
    // while the rostering page names the same plan "plan for 13:00–13:45, Mon 3 Mar 2025".
    const s = new LiveState();
    s.apply({ type: 'roster.plan', ...base(min(60)), planId: `plan-${min(60)}`, modelVersion: 'v1', bucketStart: min(60), horizonMin: 45, zones: [], moves: [{ riderId: 'r1', fromZoneId: 'z1', toZoneId: 'z2' }], callIns: [] });
    const plan = s.frame().plan!;
    expect(plan.horizonMin).toBe(45);
    const line = latestPlanLine(plan);
    expect(line).toBe('Latest roster plan for 13:00–13:45, Mon 3 Mar 2025 (model v1): 1 reposition move.');
    expect(line).not.toContain(plan.planId);
  });

  it("calls a roster plan's shortfall a shortfall, not call-ins (rostering asks for fewer, or none)", () => {
    const s = new LiveState({ zones });
    s.apply({ type: 'roster.plan', ...base(min(0)), planId: 'p1', modelVersion: 'm1', bucketStart: min(0), horizonMin: 60, zones: [], moves: [{ riderId: 'r1', fromZoneId: 'z1', toZoneId: 'z2' }], callIns: [{ hourStart: min(60), riders: 7 }, { hourStart: min(120), riders: 31 }] });
    expect(s.frame().feed[0]!.text).toBe('Roster plan: 1 rider move, 38 short of the rule in the coming hours (model m1)');
  });
});

describe('live state clock', () => {
  it('follows the simulated world and forgets orders left over from an earlier run', () => {
    const s = new LiveState();
    s.apply(created('old', 'z1', min(0)));
    s.apply(ping('r1', 'idle', min(1)));
    // a derived event stamped with another clock does not move the simulated clock
    s.apply({ type: 'notification.result', v: 1, id: 'n1', ts: min(100_000), notificationId: 'n1', idempotencyKey: 'k', channel: 'push', status: 'sent', attempts: 1 });
    expect(s.frame().simTime).toBe(min(1));
    s.apply(created('new', 'z1', min(150)));
    const f = s.frame();
    expect(f.simTime).toBe(min(150));
    expect(f.openOrders).toHaveLength(1);
  });
});

describe('lag clock', () => {
  it('estimates time lag from when the log end passed the committed offset', () => {
    const c = new LagClock();
    c.record('t', 0, 1_000, 100);
    c.record('t', 0, 2_000, 200);
    c.record('t', 0, 3_000, 300);
    expect(c.lagSeconds('t', 0, 300, 300, 5_000)).toBe(0);
    expect(c.lagSeconds('t', 0, 150, 300, 5_000)).toBeCloseTo(3.5); // end was at 150 at t=1.5 s
    expect(c.lagSeconds('t', 0, 50, 300, 5_000)).toBeCloseTo(4); // older than memory: lower bound
  });
});
