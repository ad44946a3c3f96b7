import { describe, expect, it } from 'vitest';
import type { LogEvent, RiderInstruction } from '@riderflow/contracts';
import { formatTakeOver, parseHandover } from '../src/engine/history-handover.js';
import { inFlightOrders } from '../src/engine/stranded-orders.js';
import { Simulation } from '../src/engine/simulation.js';
import { defaultDemand } from '../src/world/demand.js';
import { drive, MIN, MONDAY_NOON, smallCity } from './helpers.js';

// A graceful stop (SIGINT/SIGTERM): the live run hands its riders and in-flight orders to the next
// start, which finishes them (pure engine; the platform's wiring is
// services/platform/test/graceful-restart-handover.test.ts).

const HOUR = 60 * MIN;
const WORLD = { seed: 'live-handover', riders: 30, stores: 20, zones: 9 };

/** A live run with a dispatcher that loads a few riders with several assignments each (so they queue) and leaves every fifth order waiting. */
function liveRunStopped(stopMs: number) {
  const { world, settings } = smallCity('live-handover', 30);
  const sim = new Simulation(world, { ...settings, demand: defaultDemand(30, 3), endMs: MONDAY_NOON + 6 * HOUR });
  const riders: string[] = [];
  let n = 0;
  const events = drive(sim, stopMs, (now, batch, instruct) => {
    for (const e of batch) if (e.type === 'rider.shift_started' && riders.length < 8) riders.push(e.riderId);
    // New orders of one store in one minute go out as one assignment: a rider carries several at once.
    const byStore = new Map<string, Extract<LogEvent, { type: 'order.created' }>[]>();
    for (const e of batch) if (e.type === 'order.created' && ++n % 5 !== 0) byStore.set(e.storeId, [...(byStore.get(e.storeId) ?? []), e]);
    for (const orders of byStore.values()) {
      const e = orders[0];
      const instr: RiderInstruction = {
        type: 'rider.instruction', v: 1, id: `i${n}`, ts: now, riderId: riders[n % riders.length], action: 'pickup', assignmentId: `a${n}-${e.orderId}`,
        storeId: e.storeId, storeLat: e.storeLat, storeLon: e.storeLon, orders: orders.map((o) => ({ orderId: o.orderId, dropLat: o.dropLat, dropLon: o.dropLon })),
      };
      instruct(instr);
    }
  });
  return { world, settings, sim, events };
}

describe('a graceful stop hands the live world over to the next start', () => {
  it('lists exactly the orders the log has in flight, with their riders, and the next start finishes each one', () => {
    const stopMs = MONDAY_NOON + 40 * MIN;
    const { world, settings, sim, events } = liveRunStopped(stopMs);
    const handover = parseHandover(JSON.stringify(sim.liveHandover(WORLD)), 'live-handover.json');
    expect(handover.source).toBe('live');
    expect(handover.endMs).toBe(stopMs);
    expect(handover.orders.map((o) => o.plan.id).sort()).toEqual(inFlightOrders(events, stopMs).map((o) => o.orderId).sort());
    const stage = (s: string) => handover.orders.filter((o) => (o.live?.stage ?? 'waiting') === s).length;
    // Orders at every stage, and riders with more than one assignment (a job and a queue).
    expect([stage('waiting'), stage('assigned'), stage('picked')].every((c) => c > 0), formatTakeOver(handover)).toBe(true);
    const assignmentsPerRider = new Map<string, Set<string>>();
    for (const o of handover.orders) if (o.live) assignmentsPerRider.set(o.live.riderId, (assignmentsPerRider.get(o.live.riderId) ?? new Set()).add(o.live.assignmentId));
    expect(Math.max(...[...assignmentsPerRider.values()].map((s) => s.size))).toBeGreaterThan(1);
    expect(handover.positions.every((p) => p.shiftEnd !== undefined)).toBe(true);

    // The next start, at the stop's instant, without a dispatcher.
    const next = new Simulation(world, { ...settings, demand: defaultDemand(30, 3), startMs: stopMs, endMs: stopMs + 3 * HOUR, takeOver: handover });
    const out: LogEvent[] = [];
    next.advance(stopMs + 3 * HOUR, out);
    for (const h of handover.orders) {
      const id = h.plan.id;
      const mine = out.filter((e) => 'orderId' in e && e.orderId === id);
      const endings = mine.filter((e) => e.type === 'order.delivered' || e.type === 'order.cancelled');
      expect(endings.length, id).toBe(1);
      const [end] = endings;
      if (end.type === 'order.cancelled') { expect(end.reason, id).toBe('customer'); continue; }
      if (!h.live) continue; // a waiting order: the nearest rider takes it
      // Its rider delivers it; it is not assigned again, and food on board is not picked up again.
      expect(end.type === 'order.delivered' && end.riderId, id).toBe(h.live.riderId);
      expect(mine.filter((e) => e.type === 'order.assigned'), id).toEqual([]);
      if (h.live.stage === 'picked') expect(mine.filter((e) => e.type === 'order.picked_up'), id).toEqual([]);
    }
    // Each rider starts where it was when the run stopped.
    const starts = new Map(out.filter((e) => e.type === 'rider.shift_started' && e.ts === stopMs).map((e) => ['riderId' in e ? e.riderId : '', e]));
    for (const p of handover.positions) expect(starts.get(p.riderId), p.riderId).toMatchObject(world.projection.toLatLon({ x: p.x, y: p.y }));
  });
});
