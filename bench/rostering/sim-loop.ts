import type { LogEvent } from '@riderflow/contracts';
import { loadServiceSettings } from '@riderflow/dispatch';
import { buildProgram, buildScenario, resolveOptions, Simulation } from '@riderflow/simulator';
import { ModelForecastSource, RosteringEnvSchema, roundSettings, type DemandForecaster } from '@riderflow/rostering';
import { RosteringDriver, runClosedLoop, type LabForecast } from '@riderflow/lab/closed-loop';
import type { HistorySource } from './sim-history.js';
import { LoopTally, type LoopArm, type LoopResult } from './loop-result.js';
import { OracleForecastSource, oracleDayForecast, trueDemand } from './oracle.js';

export interface SimLoopOptions {
  /** The simulator's own CLI arguments for the day (seed, riders, zones, stores, start, duration, ping, demand, cancel-after). */
  simArgs: string[];
  /** Dispatch policy overrides (JSON), the same in every arm. */
  dispatchPolicy?: string;
  /** Settings for rostering (env names), e.g. {ROSTERING_BOOK_SHIFTS: 'false'}: the same in the ml and oracle arms. */
  rosteringEnv?: Record<string, string>;
  /** History of the same world before the day: what rostering knew when the day began. */
  history: HistorySource;
  /** The ml arm's model, trained on that history. */
  model?: { forecaster: DemandForecaster; version: string };
}

/**
 * One arm of the closed loop on the lab's deterministic engine (@riderflow/lab/closed-loop): the
 * simulator's Simulation for the day (its own generation for the seed, as `npm run sim` builds
 * it), the live dispatch core, and — in the ml and oracle arms — rostering's round fed the day's
 * history first, as the live service's preload does, stepped in simulated time in this process.
 * No broker and no wall clock between them: the same options give the same events whatever the
 * machine's load. The arms differ only in rostering (off; the trained model's forecasts; the
 * day's true orders as its forecasts and its day-ahead forecast).
 */
export function runSimLoop(o: SimLoopOptions, arm: LoopArm): LoopResult {
  const started = Date.now();
  const program = buildProgram({});
  program.parse([...o.simArgs, '--no-amqp', '--quiet'], { from: 'user' });
  const { world, settings } = buildScenario(resolveOptions(program, {}));
  const sim = new Simulation(world, settings);
  const dispatch = loadServiceSettings({ DISPATCH_POLICY: o.dispatchPolicy });
  const env = RosteringEnvSchema.parse({ ...o.rosteringEnv });
  let driver: RosteringDriver | undefined;
  if (arm !== 'off') {
    let forecast: LabForecast;
    let dayForecast;
    if (arm === 'oracle') {
      const truth = trueDemand(o.simArgs);
      forecast = new OracleForecastSource(truth);
      dayForecast = oracleDayForecast(truth);
    } else {
      if (!o.model) throw new Error('the ml arm needs a trained model');
      // As the live service loads it (loadForecastSource): the model, with the level correction the settings ask for.
      const source = new ModelForecastSource(o.model.forecaster, o.model.version, env.ROSTERING_LEVEL_CORRECTION);
      forecast = { version: source.version, forecast: (h, origin) => source.forecast(h, origin) };
    }
    driver = new RosteringDriver(roundSettings(env, dayForecast), forecast, (fold) => o.history.forEach((e) => fold(e as LogEvent)));
  }
  const tally = new LoopTally(settings.startMs);
  runClosedLoop(sim, dispatch.policy, { speedKmh: dispatch.speedKmh, rostering: driver, onEvents: (evs) => { for (const e of evs) tally.add(e); } });
  const wallSeconds = (Date.now() - started) / 1000;
  return tally.result(arm, {
    simStartMs: settings.startMs, simEndMs: settings.endMs, ridersCalledIn: sim.stats.ridersCalledIn,
    shiftsBooked: sim.stats.shiftsBooked, shiftBookingsRefused: sim.stats.shiftBookingsRefused, wallSeconds,
    simLagNote: `deterministic: sim ${((settings.endMs - settings.startMs) / 3_600_000).toFixed(1)} h in ${wallSeconds.toFixed(0)} s wall`,
  });
}
