import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LogEventSchema, type LogEvent } from '@riderflow/contracts';
import { buildProgram, resolveOptions } from '../src/cli/options.js';
import { buildScenario } from '../src/scenario.js';
import { Simulation } from '../src/engine/simulation.js';
import { readMdrpInstance } from '../src/mdrp/reader.js';
import { distance } from '@riderflow/geo';
import { writeTinyInstance } from './mdrp-fixture.js';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-sim-mdrp-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const MIN = 60_000;

function scenarioFor(dir: string) {
  const program = buildProgram({}).exitOverride();
  program.parse(['--scenario', 'mdrp', '--instance', dir, '--zones', '4', '--start', '2025-03-03T00:00:00Z'], { from: 'user' });
  return buildScenario(resolveOptions(program));
}

describe('MDRP instances', () => {
  it('parses an instance in the published format', () => {
    const inst = readMdrpInstance(writeTinyInstance(path.join(root, 'ok')));
    expect(inst.params.metersPerMinute).toBe(300);
    expect(inst.restaurants.map((r) => r.id)).toEqual(['r1', 'r2']);
    expect(inst.orders[1]).toEqual({ id: 'o2', x: 1300, y: 3000, placementTime: 612, restaurant: 'r1', readyTime: 620 });
    expect(inst.couriers[0]).toEqual({ id: 'c1', x: 1000, y: 1600, onTime: 600, offTime: 720 });
  });

  const broken: [string, Record<string, string>, RegExp][] = [
    ['a missing file', { 'orders.txt': undefined as unknown as string }, /orders\.txt is missing/],
    ['a wrong header', { 'restaurants.txt': 'name\tx\ty\nr1\t1\t2\n' }, /restaurants\.txt: expected a tab-separated header/],
    ['a non-number', { 'orders.txt': 'order\tx\ty\tplacement_time\trestaurant\tready_time\no1\t1000\tabc\t610\tr1\t625\n' }, /orders\.txt line 2: y "abc" is not a number/],
    ['an unknown restaurant', { 'orders.txt': 'order\tx\ty\tplacement_time\trestaurant\tready_time\no1\t1\t1\t610\tr9\t625\n' }, /unknown restaurant r9/],
    ['a short row', { 'couriers.txt': 'courier\tx\ty\ton_time\toff_time\nc1\t1\t1\t600\n' }, /couriers\.txt line 2: expected 5/],
    ['a duplicate id', { 'restaurants.txt': 'restaurant\tx\ty\nr1\t1\t2\nr1\t3\t4\n' }, /duplicate restaurant id r1/],
    ['a shift ending before it starts', { 'couriers.txt': 'courier\tx\ty\ton_time\toff_time\nc1\t1\t1\t600\t500\n' }, /goes off duty/],
    ['zero speed', { 'instance_parameters.txt': 'meters_per_minute\tpickup service minutes\tdropoff service minutes\ttarget click-to-door\tmaximum click-to-door\tpay per order\tguaranteed pay per hour\n0\t4\t4\t40\t90\t10\t15\n' }, /meters_per_minute 0 is below 1/],
  ];
  it.each(broken)('rejects %s, naming the file and the problem', (name, overrides, message) => {
    const dir = writeTinyInstance(path.join(root, name.replace(/\W+/g, '-')), overrides);
    if (overrides['orders.txt'] === undefined && 'orders.txt' in overrides) fs.rmSync(path.join(dir, 'orders.txt'), { force: true });
    expect(() => readMdrpInstance(dir)).toThrow(message);
  });

  it('rejects a folder that does not exist', () => {
    expect(() => readMdrpInstance(path.join(root, 'nope'))).toThrow(/does not exist/);
  });

  it('replays: couriers become riders with their shifts, orders arrive at placement and are ready at ready time, travel at the instance speed', () => {
    const { world, settings, mdrpIds } = scenarioFor(writeTinyInstance(path.join(root, 'replay')));
    const sim = new Simulation(world, { ...settings, recordSolution: true });
    const day = settings.startMs;
    const events: LogEvent[] = [];
    sim.advance(day + 611 * MIN, events); // o1 placed at 610
    for (const e of events) expect(LogEventSchema.safeParse(e).success).toBe(true);
    const started = events.filter((e) => e.type === 'rider.shift_started');
    expect(started.map((e) => [e.type === 'rider.shift_started' && e.riderId, e.ts, e.type === 'rider.shift_started' && e.shiftEnd])).toEqual([
      ['c1', day + 600 * MIN, day + 720 * MIN],
      ['c2', day + 600 * MIN, day + 720 * MIN],
    ]);
    const o1 = events.find((e) => e.type === 'order.created') as Extract<LogEvent, { type: 'order.created' }>;
    expect(o1).toMatchObject({ orderId: 'o1', storeId: 'r1', ts: day + 610 * MIN, placedAt: day + 610 * MIN, expectedReadyAt: day + 625 * MIN });
    // Instance metres are kept: r1 → o1's drop is 3000 m.
    expect(distance(world.projection.toPoint(o1.storeLat, o1.storeLon), world.projection.toPoint(o1.dropLat, o1.dropLon))).toBeCloseTo(3000, -1);

    // c1 (600 m from r1) picks up o1: travel ceil(600/300) = 2 min, pickup at max(arrival + 2, ready 625),
    // leave 2 min later, travel ceil(3000/300) = 10 min, drop-off 2 min after arrival.
    const out: LogEvent[] = [];
    const ok = sim.instruct({ type: 'rider.instruction', v: 1, id: 'i', ts: sim.now, riderId: 'c1', action: 'pickup', assignmentId: 'a1', storeId: 'r1', storeLat: o1.storeLat, storeLon: o1.storeLon, orders: [{ orderId: 'o1', dropLat: o1.dropLat, dropLon: o1.dropLon }] }, out);
    expect(ok.accepted).toBe(true);
    sim.advance(settings.endMs, out);
    const times = Object.fromEntries(out.filter((e) => 'orderId' in e && e.orderId === 'o1').map((e) => [e.type, (e.ts - day) / MIN]));
    expect(times).toEqual({ 'order.assigned': 611, 'order.ready': 625, 'order.picked_up': 625, 'order.delivered': 625 + 2 + 10 + 2 });
    // Nobody took o2 and o3: they time out.
    const cancelled = out.filter((e) => e.type === 'order.cancelled').map((e) => e.type === 'order.cancelled' && e.orderId);
    expect(cancelled.sort()).toEqual(['o2', 'o3']);
    // Shifts end at off_time.
    expect(out.filter((e) => e.type === 'rider.shift_ended').map((e) => (e.ts - day) / MIN)).toEqual([720, 720]);

    // What happened, in the published evaluator's format.
    const files = sim.trace!.format(day, mdrpIds!.couriers, mdrpIds!.orders);
    expect(files.assignments).toBe('assignment_time pickup_time courier_id order_ids\n611 625 c1 o1\n');
    expect(files.orders).toBe('order placement_time ready_time pickup_time dropoff_time courier\no1 610 625 625 639 c1\n');
    expect(files.couriers).toBe('courier_id departure_time origin destination\nc1 611 0 r1\nc1 627 r1 o1\n');
  });

  it('keeps MDRP rules: whole-minute departures, prepositioning finished first, no pickup after off_time', () => {
    const { world, settings, mdrpIds } = scenarioFor(writeTinyInstance(path.join(root, 'rules')));
    const sim = new Simulation(world, { ...settings, cancelAfterMs: 300 * MIN, recordSolution: true });
    const day = settings.startMs;
    const ev: LogEvent[] = [];
    sim.advance(day + 611.5 * MIN, ev);
    const created = (id: string) => ev.find((e) => e.type === 'order.created' && e.orderId === id) as Extract<LogEvent, { type: 'order.created' }>;
    const r2 = world.stores.find((s) => s.id === 'r2')!;
    const r2ll = world.projection.toLatLon(r2.pos);
    // c1 is sent to r2 first (prepositioning), then given o1 of r1 while still on the way.
    expect(sim.instruct({ type: 'rider.instruction', v: 1, id: 'm', ts: sim.now, riderId: 'c1', action: 'reposition', zoneId: 'z1', lat: r2ll.lat, lon: r2ll.lon }, ev).accepted).toBe(true);
    sim.advance(day + 613 * MIN, ev);
    const o1 = created('o1');
    expect(sim.instruct({ type: 'rider.instruction', v: 1, id: 'p', ts: sim.now, riderId: 'c1', action: 'pickup', assignmentId: 'a1', storeId: 'r1', storeLat: o1.storeLat, storeLon: o1.storeLon, orders: [{ orderId: 'o1', dropLat: o1.dropLat, dropLon: o1.dropLon }] }, ev).accepted).toBe(true);
    // c2 (10 min from r2) cannot pick up o3 before its off_time 720 if asked at 712; it can at 700.
    sim.advance(day + 700.5 * MIN, ev);
    const o3 = created('o3');
    const ask = (ts: number) => sim.instruct({ type: 'rider.instruction', v: 1, id: `q${ts}`, ts, riderId: 'c2', action: 'pickup', assignmentId: `a3-${ts}`, storeId: 'r2', storeLat: o3.storeLat, storeLon: o3.storeLon, orders: [{ orderId: 'o3', dropLat: o3.dropLat, dropLon: o3.dropLon }] }, ev);
    sim.advance(day + 712 * MIN, ev);
    expect(ask(sim.now)).toMatchObject({ accepted: false, reason: expect.stringMatching(/off_time/) });
    sim.advance(settings.endMs, ev);
    const files = sim.trace!.format(day, mdrpIds!.couriers, mdrpIds!.orders);
    // c1 left at the next whole minute (612), reached r2 (3,059 m: 11 min) at 623, only then went to r1.
    expect(files.couriers.split('\n').filter((l) => l.startsWith('c1 '))).toEqual(['c1 612 0 r2', 'c1 623 r2 r1', 'c1 637 r1 o1']);
    expect(files.assignments).toContain('613 635 c1 o1');
  });
});

