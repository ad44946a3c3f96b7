import type { LogEvent } from '@riderflow/contracts';
import { DispatchConfigSchema, LiveDispatcher } from '@riderflow/dispatch/core';
import { plannedTravel } from '@riderflow/geo';
import { buildProgram, buildScenario, resolveOptions, Simulation } from '@riderflow/simulator';

export interface StaffingDayOptions {
  seed: string;
  riders: number;
  demandFactor: number;
  /** ISO start of the simulated day (00:00 UTC for a whole day). */
  startIso: string;
  durationH: number;
}

/**
 * One simulated day of the city as the platform runs it, in process and at full speed: the
 * simulator's world (its own shifts, demand and weather, the CLI's defaults) with the live
 * dispatch core deciding every event, no broker between them and no rostering. Every event goes
 * to `onEvents` in log order; nothing is kept.
 */
export function runStaffingDay(o: StaffingDayOptions, onEvents: (events: readonly LogEvent[]) => void): { simStartMs: number; simEndMs: number; wallMs: number } {
  const program = buildProgram({});
  program.parse(['--seed', o.seed, '--riders', String(o.riders), '--demand', String(o.demandFactor), '--start', o.startIso, '--duration', `${o.durationH}h`, '--quiet'], { from: 'user' });
  const { world, settings } = buildScenario(resolveOptions(program));
  const sim = new Simulation(world, settings);
  const dispatcher = new LiveDispatcher(DispatchConfigSchema.parse({}), plannedTravel());
  const started = Date.now();
  const stepMs = 5_000;
  while (!sim.done) {
    const worldEvents: LogEvent[] = [];
    sim.advance(Math.min(settings.endMs, sim.now + stepMs), worldEvents);
    for (const e of worldEvents) dispatcher.apply(e);
    const decided = dispatcher.tick();
    const answers: LogEvent[] = [];
    for (const instr of decided.instructions) sim.instruct(instr, answers);
    for (const e of answers) dispatcher.apply(e);
    onEvents([...worldEvents, ...decided.events, ...answers]);
  }
  return { simStartMs: settings.startMs, simEndMs: settings.endMs, wallMs: Date.now() - started };
}
