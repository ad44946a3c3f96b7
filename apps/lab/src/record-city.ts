import type { LogEvent } from '@riderflow/contracts';
import type { DispatchConfig } from '@riderflow/dispatch/core';
import { Simulation, defaultDemand, generateCity } from '@riderflow/simulator';
import { runClosedLoop } from './closed-loop.js';

export interface CityRecordingOptions {
  seed: string;
  riders: number;
  stores: number;
  zones: number;
  startMs: number;
  durationMs: number;
  demandFactor?: number;
  pingIntervalMs?: number;
  cancelAfterMs?: number;
}

/**
 * A "recorded day" made in process: the generated city (its own demand and weather) with the
 * dispatch core deciding, as the live platform would with no broker latency. Tests and
 * `npm run lab -- --record` use it to put a known history on a log.
 */
export function recordCityRun(o: CityRecordingOptions, policy: DispatchConfig): LogEvent[] {
  const world = generateCity({ seed: o.seed, zones: o.zones, stores: o.stores, riders: o.riders });
  const sim = new Simulation(world, {
    seed: o.seed, startMs: o.startMs, endMs: o.startMs + o.durationMs, pingIntervalMs: o.pingIntervalMs ?? 5_000,
    cancelAfterMs: o.cancelAfterMs ?? 20 * 60_000, demand: defaultDemand(o.riders, o.demandFactor ?? 1), weather: true,
  });
  const events: LogEvent[] = [];
  runClosedLoop(sim, policy, { onEvents: (evs) => { for (const e of evs) events.push(e); } });
  return events;
}
