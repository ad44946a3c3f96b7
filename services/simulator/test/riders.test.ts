import { describe, expect, it } from 'vitest';
import type { LogEvent, RiderInstruction } from '@riderflow/contracts';
import { Simulation } from '../src/engine/simulation.js';
import { distance } from '@riderflow/geo';
import { MIN, smallCity } from './helpers.js';

function startedSim(seed = 'riders') {
  const { world, settings } = smallCity(seed, 30);
  const sim = new Simulation(world, settings);
  const events: LogEvent[] = [];
  sim.advance(settings.startMs + 10 * MIN, events);
  return { sim, world, settings, events };
}

const onShift = (events: LogEvent[]) => {
  const ended = new Set(events.filter((e) => e.type === 'rider.shift_ended').map((e) => (e as { riderId: string }).riderId));
  return events.filter((e) => e.type === 'rider.shift_started').map((e) => (e as { riderId: string }).riderId).filter((r) => !ended.has(r));
};

describe('riders act only on instructions (pure engine)', () => {
  it('without instructions nobody is assigned and orders time out', () => {
    const { sim, settings, events } = startedSim();
    sim.advance(settings.startMs + 60 * MIN, events);
    expect(events.filter((e) => e.type === 'order.assigned')).toEqual([]);
    const cancelled = events.filter((e) => e.type === 'order.cancelled');
    expect(cancelled.length).toBeGreaterThan(0);
    // Each timeout happens exactly cancelAfter after placement.
    for (const c of cancelled) {
      if (c.type !== 'order.cancelled' || c.reason !== 'unassigned_timeout') continue;
      const created = events.find((e) => e.type === 'order.created' && e.orderId === c.orderId) as Extract<LogEvent, { type: 'order.created' }>;
      expect(c.ts - created.placedAt).toBe(settings.cancelAfterMs);
    }
  });

  it('a pickup instruction: to the store, wait for the food, pick up, deliver each drop in order', () => {
    const { sim, world, events } = startedSim();
    const orders = events.filter((e) => e.type === 'order.created') as Extract<LogEvent, { type: 'order.created' }>[];
    // Two orders of one store if there are, else one.
    const first = orders[0];
    const sameStore = orders.filter((o) => o.storeId === first.storeId).slice(0, 2);
    const rider = onShift(events)[0];
    const out: LogEvent[] = [];
    const instr: RiderInstruction = {
      type: 'rider.instruction', v: 1, id: 'i1', ts: sim.now, riderId: rider, action: 'pickup', assignmentId: 'a1',
      storeId: first.storeId, storeLat: first.storeLat, storeLon: first.storeLon,
      orders: sameStore.map((o) => ({ orderId: o.orderId, dropLat: o.dropLat, dropLon: o.dropLon })).reverse(),
    };
    expect(sim.instruct(instr, out)).toEqual({ accepted: true, orders: sameStore.length });
    // The same orders cannot be taken twice.
    expect(sim.instruct({ ...instr, id: 'i2', assignmentId: 'a2' }, out).accepted).toBe(false);
    sim.advance(sim.now + 120 * MIN, out);
    const mine = out.filter((e) => 'orderId' in e && sameStore.some((o) => o.orderId === e.orderId));
    const seq = mine.filter((e) => e.type !== 'order.ready').map((e) => `${e.type}:${(e as { orderId: string }).orderId}`);
    const ids = instr.orders.map((o) => o.orderId);
    expect(seq).toEqual([
      ...ids.map((id) => `order.assigned:${id}`),
      ...ids.map((id) => `order.picked_up:${id}`),
      ...ids.map((id) => `order.delivered:${id}`), // in the instructed drop order
    ]);
    const picked = mine.find((e) => e.type === 'order.picked_up')!;
    const readyAt = Math.max(...mine.filter((e) => e.type === 'order.ready').map((e) => e.ts));
    expect(picked.ts).toBeGreaterThanOrEqual(readyAt); // waited for the food
    const pings = out.filter((e) => e.type === 'rider.location' && e.riderId === rider) as Extract<LogEvent, { type: 'rider.location' }>[];
    const statuses = [...new Set(pings.map((p) => p.status))];
    expect(statuses.slice(0, 3)).toEqual(['to_store', 'waiting', 'to_customer']);
    expect(statuses).toContain('idle');
    // Moving pings report a realistic speed.
    for (const p of pings.filter((p) => p.status === 'to_store')) expect(p.speedKmh).toBeGreaterThan(5);
    for (const p of pings.filter((p) => p.status === 'to_store')) expect(p.speedKmh).toBeLessThan(40);
    // Delivered where the customer is.
    const last = pings.filter((p) => p.status === 'idle').at(-1)!;
    const lastDrop = orders.find((o) => o.orderId === ids.at(-1))!;
    const proj = world.projection;
    expect(distance(proj.toPoint(last.lat, last.lon), proj.toPoint(lastDrop.dropLat, lastDrop.dropLon))).toBeLessThan(5);
    const delivered = mine.filter((e) => e.type === 'order.delivered') as Extract<LogEvent, { type: 'order.delivered' }>[];
    for (const d of delivered) expect(d.clickToDoorMin).toBeCloseTo((d.ts - d.placedAt) / MIN, 1);
  });

  it('a reposition instruction moves the rider to the zone point, then it waits idle', () => {
    const { sim, world, events } = startedSim();
    const rider = onShift(events)[1];
    const target = world.zones[world.zones.length - 1];
    const ll = world.projection.toLatLon(target.centre);
    const out: LogEvent[] = [];
    expect(sim.instruct({ type: 'rider.instruction', v: 1, id: 'm1', ts: sim.now, riderId: rider, action: 'reposition', zoneId: target.id, lat: ll.lat, lon: ll.lon }, out).accepted).toBe(true);
    sim.advance(sim.now + 60 * MIN, out);
    const pings = out.filter((e) => e.type === 'rider.location' && e.riderId === rider) as Extract<LogEvent, { type: 'rider.location' }>[];
    expect(pings[0].status).toBe('repositioning');
    const arrived = pings.find((p) => p.status === 'idle')!;
    expect(arrived.zoneId).toBe(target.id);
    expect(distance(world.projection.toPoint(arrived.lat, arrived.lon), target.centre)).toBeLessThan(5);
  });

  it('refuses instructions for unknown or off-shift riders and unknown orders, changing nothing', () => {
    const { sim, world, events } = startedSim();
    const out: LogEvent[] = [];
    const base = { type: 'rider.instruction' as const, v: 1 as const, id: 'x', ts: sim.now, action: 'reposition' as const, zoneId: 'z1', lat: 52.52, lon: 13.4 };
    expect(sim.instruct({ ...base, riderId: 'nobody' }, out)).toMatchObject({ accepted: false, reason: expect.stringMatching(/unknown rider/) });
    const working = new Set(onShift(events));
    const off = world.riders.find((r) => !working.has(r.id))!;
    expect(sim.instruct({ ...base, riderId: off.id }, out)).toMatchObject({ accepted: false, reason: expect.stringMatching(/off shift/) });
    const rider = [...working][0];
    expect(sim.instruct({ type: 'rider.instruction', v: 1, id: 'y', ts: sim.now, riderId: rider, action: 'pickup', assignmentId: 'a', storeId: 's1', storeLat: 52.5, storeLon: 13.4, orders: [{ orderId: 'o-none', dropLat: 52.5, dropLon: 13.4 }] }, out).accepted).toBe(false);
    expect(out).toEqual([]);
  });

  it('rain slows riders: the same trip takes longer in a storm', () => {
    const { world, settings } = smallCity('rain', 5);
    const trip = (speedFactor: number) => {
      const sim = new Simulation(world, { ...settings, weather: false });
      const ev: LogEvent[] = [];
      sim.advance(settings.startMs + MIN, ev);
      // Force the weather of every zone (the weather model itself is tested through determinism and schemas).
      (sim as unknown as { zoneWeather: { speedFactor: number }[] }).zoneWeather.fill({ speedFactor } as never);
      const rider = onShift(ev)[0];
      if (!rider) return null;
      const far = world.zones[0].centre;
      const ll = world.projection.toLatLon({ x: far.x + 3000, y: far.y });
      const out: LogEvent[] = [];
      sim.instruct({ type: 'rider.instruction', v: 1, id: 'm', ts: sim.now, riderId: rider, action: 'reposition', zoneId: 'z1', lat: ll.lat, lon: ll.lon }, out);
      const t0 = sim.now;
      sim.advance(t0 + 120 * MIN, out);
      return out.find((e) => e.type === 'rider.location' && e.riderId === rider && e.status === 'idle')!.ts - t0;
    };
    const dry = trip(1), wet = trip(0.7);
    expect(dry).not.toBeNull();
    expect(wet!).toBeGreaterThan(dry! * 1.3);
  });
});
