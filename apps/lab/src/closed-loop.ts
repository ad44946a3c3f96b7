import type { LogEvent } from '@riderflow/contracts';
import { LiveDispatcher, type DispatchConfig } from '@riderflow/dispatch/core';
import { plannedTravel } from '@riderflow/geo';
import type { Simulation } from '@riderflow/simulator';
import type { RosteringDriver } from './rostering-driver.js';

export interface ClosedLoopOptions {
  /** Simulated time between the dispatcher's looks at the log (it decides on its own round clock). */
  stepMs?: number;
  /** Planning speed the live dispatch service assumes (DISPATCH_SPEED_KMH). */
  speedKmh?: number;
  /** Called with every slice of events, in log order (world events, then decisions, then the world's answers). */
  onEvents?(events: readonly LogEvent[]): void;
  /** Called after every step with the simulated time reached. */
  onStep?(simNowMs: number): void;
  /** Rostering's round in the loop (off when absent): it sees every event and acts on the world each 15 minutes. */
  rostering?: RosteringDriver;
}

/**
 * The simulated world and the live dispatch core in one process, with no broker between them: the
 * dispatcher sees every world event (as the live service does through the log), decides on its own
 * round clock, and the world receives its instructions at once. Deterministic: the same world,
 * settings and policy give the same events.
 */
export function runClosedLoop(sim: Simulation, policy: DispatchConfig, opts: ClosedLoopOptions = {}): void {
  const stepMs = opts.stepMs ?? 5_000;
  const dispatcher = new LiveDispatcher(policy, plannedTravel(opts.speedKmh));
  const endMs = sim.settings.endMs;
  while (!sim.done) {
    const world: LogEvent[] = [];
    sim.advance(Math.min(endMs, sim.now + stepMs), world);
    for (const e of world) dispatcher.apply(e);
    // Rostering decides on what the log holds now, before dispatch's round (the order of the
    // live services is arbitrary; this one is fixed so a replay is deterministic).
    const rostered: LogEvent[] = [];
    if (opts.rostering) {
      opts.rostering.fold(world);
      rostered.push(...opts.rostering.decide(sim));
      for (const e of rostered) dispatcher.apply(e);
    }
    const decided = dispatcher.tick();
    const answers: LogEvent[] = [];
    for (const instr of decided.instructions) sim.instruct(instr, answers);
    for (const e of answers) dispatcher.apply(e);
    opts.rostering?.fold([...decided.events, ...answers]);
    const slice = [...world, ...rostered, ...decided.events, ...answers];
    if (slice.length > 0) opts.onEvents?.(slice);
    opts.onStep?.(sim.now);
  }
}
