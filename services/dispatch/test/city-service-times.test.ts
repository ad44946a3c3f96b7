import { describe, expect, it } from 'vitest';
import type { LogEvent } from '@riderflow/contracts';
import { CITY_SERVICE_MIN, plannedTravel } from '@riderflow/geo';
import { buildProgram, buildScenario, generateCity, resolveOptions, Simulation } from '@riderflow/simulator';
import { loadServiceSettings } from '../src/config.js';
import { dispatchConfig, type DispatchConfig } from '../src/core/config.js';
import { LiveDispatcher } from '../src/core/live-dispatcher.js';

// Dispatch plans pickups and drop-offs with service minutes; the simulated city makes its riders
// spend its own. Both come from @riderflow/geo's CITY_SERVICE_MIN: these tests fail if either
// side stops reading it (dispatch once planned 4 + 4 while riders spent 2 + 2).

const MIN = 60_000;

describe('service times: dispatch plans with the city\'s', () => {
  it('the live service\'s policy and the simulated city agree on pickup and drop-off service', () => {
    const city = generateCity({ seed: 'service-times', zones: 4, stores: 3, riders: 2 });
    const policy = loadServiceSettings({}).policy;
    expect(policy.pickupServiceMin * MIN).toBe(city.pickupServiceMs);
    expect(policy.dropoffServiceMin * MIN).toBe(city.dropoffServiceMs);
    expect([city.pickupServiceMs, city.dropoffServiceMs]).toEqual([CITY_SERVICE_MIN.pickup * MIN, CITY_SERVICE_MIN.dropoff * MIN]);
  });

  it('in a closed loop with the simulated city, the planned pickup-to-door time is what riders take', () => {
    const legs = pickupToDoorErrors(loadServiceSettings({}).policy);
    expect(legs.length).toBeGreaterThan(80);
    // Rides are planned at the fleet's expected speed, so single legs are early or late by their
    // rider's speed and the rain, around 0; the service minutes are the same on every leg, so a
    // wrong value shifts the median (4 + 4 planned against 2 + 2 spent: by 2 minutes).
    expect(Math.abs(median(legs))).toBeLessThan(0.5);
  });

  it('(and the check above sees a planner whose service times are not the city\'s)', () => {
    const legs = pickupToDoorErrors(dispatchConfig({ pickupServiceMin: CITY_SERVICE_MIN.pickup + 2, dropoffServiceMin: CITY_SERVICE_MIN.dropoff + 2 }));
    expect(median(legs)).toBeGreaterThan(1.5);
  });
});

/**
 * Two simulated hours of the lunch peak, the simulator and the live dispatcher in one process (as
 * the platform runs them through the log and the queues; apps/lab's closed loop). For every trip
 * carried out by the rider it was planned for: planned minus actual minutes from the pickup to the
 * first drop-off (half the pickup service, the ride, half the drop-off service). The pickup moment
 * itself is set by the food (a committed rider is sent to arrive as it is ready), so it shows little.
 */
function pickupToDoorErrors(policy: DispatchConfig): number[] {
  const program = buildProgram({});
  program.parse(['--seed', 'service-times', '--riders', '80', '--demand', '1.5', '--start', '2025-03-03T11:45:00Z', '--duration', '2h', '--quiet'], { from: 'user' });
  const { world, settings } = buildScenario(resolveOptions(program, {}));
  const sim = new Simulation(world, settings);
  const dispatcher = new LiveDispatcher(policy, plannedTravel());
  const planned = new Map<string, { pickupAt: number; dropoffAt: number; first: boolean; riderId: string }>();
  const picked = new Map<string, number>();
  const errors: number[] = [];
  while (!sim.done) {
    const world: LogEvent[] = [];
    sim.advance(Math.min(settings.endMs, sim.now + 5_000), world);
    for (const e of world) dispatcher.apply(e);
    const decided = dispatcher.tick();
    const answers: LogEvent[] = [];
    for (const instr of decided.instructions) sim.instruct(instr, answers);
    for (const e of answers) dispatcher.apply(e);
    for (const e of [...decided.events, ...world, ...answers]) {
      if (e.type === 'dispatch.assigned') {
        e.plannedDropoffs.forEach((d, i) => planned.set(d.orderId, { pickupAt: e.plannedPickupAt, dropoffAt: d.at, first: i === 0, riderId: e.riderId }));
      } else if (e.type === 'order.picked_up') {
        if (planned.get(e.orderId)?.riderId === e.riderId) picked.set(e.orderId, e.ts);
      } else if (e.type === 'order.delivered') {
        const p = planned.get(e.orderId);
        const pickedAt = picked.get(e.orderId);
        if (p?.first && pickedAt !== undefined) errors.push((p.dropoffAt - p.pickupAt - (e.ts - pickedAt)) / MIN);
      }
    }
  }
  return errors;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
