import type { LogEvent, RiderInstruction } from '@riderflow/contracts';
import { Simulation, type SimulationSettings } from '../src/engine/simulation.js';
import { generateCity } from '../src/world/city.js';
import { defaultDemand } from '../src/world/demand.js';
import type { World } from '../src/world/world.js';

export const MONDAY_NOON = Date.parse('2025-03-03T12:00:00Z');
export const MIN = 60_000;

export function smallCity(seed = 'test', riders = 30): { world: World; settings: SimulationSettings } {
  const world = generateCity({ seed, zones: 9, stores: 20, riders });
  return {
    world,
    settings: {
      seed, startMs: MONDAY_NOON, endMs: MONDAY_NOON + 4 * 60 * MIN, pingIntervalMs: 5_000, cancelAfterMs: 20 * MIN,
      demand: defaultDemand(riders), weather: true,
    },
  };
}

/** Drives a simulation in simulated-minute steps, letting `act` send instructions between steps. */
export function drive(sim: Simulation, untilMs: number, act?: (now: number, events: LogEvent[], instruct: (i: RiderInstruction) => ReturnType<Simulation['instruct']>) => void): LogEvent[] {
  const all: LogEvent[] = [];
  while (sim.now < untilMs && !sim.done) {
    const batch: LogEvent[] = [];
    sim.advance(Math.min(untilMs, sim.now + MIN), batch);
    all.push(...batch);
    if (act) {
      const extra: LogEvent[] = [];
      act(sim.now, batch, (i) => sim.instruct(i, extra));
      all.push(...extra);
    }
  }
  return all;
}

/** A trivial test dispatcher: each new order goes to an idle rider, in the order events arrive. */
export function greedyDispatcher() {
  const idle = new Map<string, { lat: number; lon: number }>();
  const busy = new Set<string>();
  let n = 0;
  return (now: number, events: LogEvent[], instruct: (i: RiderInstruction) => ReturnType<Simulation['instruct']>) => {
    for (const e of events) {
      if (e.type === 'rider.location') {
        if (e.status === 'idle' && !busy.has(e.riderId)) idle.set(e.riderId, { lat: e.lat, lon: e.lon });
        else if (e.status !== 'idle') idle.delete(e.riderId);
        if (e.status === 'off_shift') idle.delete(e.riderId);
      }
      if (e.type === 'order.delivered' || e.type === 'order.cancelled') for (const r of busy) if (e.type === 'order.delivered' && e.riderId === r) busy.delete(r);
    }
    for (const e of events) {
      if (e.type !== 'order.created') continue;
      const rider = idle.keys().next().value;
      if (!rider) continue;
      idle.delete(rider);
      busy.add(rider);
      instruct({ type: 'rider.instruction', v: 1, id: `i${++n}`, ts: now, riderId: rider, action: 'pickup', assignmentId: `a${n}`, storeId: e.storeId, storeLat: e.storeLat, storeLon: e.storeLon, orders: [{ orderId: e.orderId, dropLat: e.dropLat, dropLon: e.dropLon }] });
    }
  };
}
