import type { SimOptions } from './cli/options.js';
import { InputError } from './cli/options.js';
import type { SimulationSettings } from './engine/simulation.js';
import { readMdrpInstance, MdrpFormatError } from './mdrp/reader.js';
import { mdrpToScenario } from './mdrp/to-world.js';
import { generateCity } from './world/city.js';
import { defaultDemand } from './world/demand.js';
import { HOUR } from './world/time.js';
import type { World } from './world/world.js';

export interface Scenario {
  world: World;
  settings: SimulationSettings;
  /** MDRP: courier and order ids in instance order, for solution files. */
  mdrpIds?: { couriers: string[]; orders: string[] };
}

/** Builds the world and the simulation settings from validated options (reads the MDRP folder, nothing else). */
export function buildScenario(o: SimOptions): Scenario {
  if (o.scenario === 'mdrp') {
    let inst;
    try {
      inst = readMdrpInstance(o.instance!);
    } catch (err) {
      if (err instanceof MdrpFormatError) throw new InputError(`malformed MDRP instance: ${err.message}`);
      throw err;
    }
    const sc = mdrpToScenario(inst, o.startMs, o.zones);
    const world0 = sc.world;
    // Run past the last shift so late deliveries and timeouts still happen.
    const endMs = Number.isFinite(o.durationMs) ? o.startMs + o.durationMs : Math.max(sc.lastEventMs, o.startMs) + o.cancelAfterMs + 2 * HOUR;
    return {
      world: sc.world,
      settings: {
        seed: o.seed, startMs: o.startMs, endMs, pingIntervalMs: o.pingIntervalMs, cancelAfterMs: o.cancelAfterMs,
        weather: false, scriptedOrders: sc.orders, scriptedShifts: sc.shifts, recordSolution: o.solutionDir !== undefined,
      },
      mdrpIds: { couriers: world0.riders.map((r) => r.id), orders: [...sc.orders].sort((a, b) => a.seq - b.seq).map((x) => x.id) },
    };
  }
  const world = generateCity({ seed: o.seed, zones: o.zones, stores: o.stores, riders: o.riders });
  return {
    world,
    settings: {
      seed: o.seed, startMs: o.startMs, endMs: o.startMs + o.durationMs, pingIntervalMs: o.pingIntervalMs, cancelAfterMs: o.cancelAfterMs,
      demand: defaultDemand(o.riders, o.demandFactor), weather: true, history: o.history,
    },
  };
}
