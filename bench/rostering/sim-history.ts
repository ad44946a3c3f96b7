import type { AnyEvent } from '@riderflow/rostering/core';

export interface HistorySource {
  /** Where the history came from, for the printed report. */
  label: string;
  startMs: number;
  endMs: number;
  /** Streams the events in simulated-time slices (the simulator never holds 14 days in memory). */
  forEach(fn: (e: AnyEvent) => void): void;
}

/**
 * Two weeks of history from the simulator's own world and demand model (@riderflow/simulator),
 * in history mode (`--history`: a statistical model of service, no instructions), generated
 * in-process — the same events `npm run sim -- --history --speed max --days 14` writes to the log.
 */
export interface SimHistoryOptions {
  days: number;
  seed: string;
  riders: number;
  zones?: number;
  stores?: number;
  /** ISO start; default the simulator's history start. */
  startIso?: string;
  demandFactor?: number;
}

export async function simulatorHistory(opts: SimHistoryOptions): Promise<HistorySource> {
  const { days, seed, riders } = opts;
  const { buildProgram, resolveOptions, buildScenario, Simulation } = await import('@riderflow/simulator');
  const program = buildProgram({});
  const args = ['--history', '--days', String(days), '--seed', seed, '--riders', String(riders), '--quiet'];
  if (opts.zones) args.push('--zones', String(opts.zones));
  if (opts.stores) args.push('--stores', String(opts.stores));
  if (opts.startIso) args.push('--start', opts.startIso);
  if (opts.demandFactor) args.push('--demand', String(opts.demandFactor));
  program.parse(args, { from: 'user' });
  const { world, settings } = buildScenario(resolveOptions(program));
  return {
    label: `simulator (@riderflow/simulator, --history --seed ${seed} --riders ${riders} --days ${days}, ${world.zones.length} zones)`,
    startMs: settings.startMs,
    endMs: settings.endMs,
    forEach(fn) {
      const sim = new Simulation(world, settings);
      for (let t = settings.startMs; t < settings.endMs; t += 3_600_000) {
        const out: AnyEvent[] = [];
        sim.advance(Math.min(t + 3_600_000, settings.endMs), out as never[]);
        for (const e of out) fn(e);
      }
    },
  };
}
