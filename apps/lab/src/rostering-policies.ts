import type { DemandHistory, RoundSettings } from '@riderflow/rostering/core';
import { bucketOf, DEFAULT_HORIZON } from '@riderflow/rostering/core';
import type { LabRosteringName } from '@riderflow/contracts';
import { LabInputError, type RecordedWindow } from './recorded-window.js';

/** What a round plans from: per-zone orders for the next buckets, and the name plans record. */
export interface LabForecast {
  version: string;
  forecast(history: DemandHistory, origin: number): Map<string, number[]>;
}

/** A rostering policy in the lab: the live service's round settings and where its forecast comes from. */
export interface LabRostering {
  name: LabRosteringName;
  settings: RoundSettings;
  /** The forecast for one window (the oracle's depends on the window's orders). */
  forecastFor(win: RecordedWindow): LabForecast;
  /** Why the forecast is what it is (e.g. no trained model, so the best baseline). */
  note: string;
}

// Keyed by contracts' LAB_ROSTERING_NAMES, so the Lab page's selector cannot drift from this list.
export const ROSTERING_POLICIES: Record<LabRosteringName, string> = {
  off: 'no rostering: riders keep their recorded shifts and places (what the lab did before)',
  forecast: "the rostering service's round with its own forecast: the trained model in --models-dir, else the best baseline, as the live service falls back",
  oracle: "the same round given the window's recorded orders as its forecast (the best any forecast could do)",
};

/**
 * The window's recorded orders per zone and 15-minute bucket, as a forecast: two hours ahead, the
 * true counts. The replay places exactly these orders, so it is the forecast a perfect model makes.
 */
export function oracleForecast(win: RecordedWindow): LabForecast {
  const byZone = new Map<string, Map<number, number>>();
  for (const o of win.orders) {
    const zoneId = win.world.zones[o.zoneIndex].id;
    const b = bucketOf(o.placedAt);
    const zone = byZone.get(zoneId) ?? new Map<number, number>();
    zone.set(b, (zone.get(b) ?? 0) + 1);
    byZone.set(zoneId, zone);
  }
  return {
    version: 'oracle',
    forecast(history, origin) {
      const zones = [...new Set([...history.zoneIds(), ...byZone.keys()])].sort();
      return new Map(zones.map((z) => [z, Array.from({ length: DEFAULT_HORIZON }, (_, i) => byZone.get(z)?.get(origin + 1 + i) ?? 0)]));
    },
  };
}

/**
 * The rostering policy by name; null for `off`. The live service's settings and forecast sources
 * come from `@riderflow/rostering`, imported only here and only when rostering is on: it loads
 * TensorFlow.js, which a dispatch-only lab run does not need.
 */
export async function resolveRostering(name: string, opts: { modelsDir?: string } = {}): Promise<LabRostering | null> {
  if (!(name in ROSTERING_POLICIES)) throw new LabInputError(`unknown rostering policy ${JSON.stringify(name)}; known: ${Object.keys(ROSTERING_POLICIES).join(', ')}`);
  if (name === 'off') return null;
  const policy = name as Exclude<LabRosteringName, 'off'>;
  const { RosteringEnvSchema, roundSettings, loadForecastSource, initBackend } = await import('@riderflow/rostering');
  const env = RosteringEnvSchema.parse(opts.modelsDir !== undefined ? { MODELS_DIR: opts.modelsDir } : {});
  const settings = roundSettings(env);
  if (policy === 'oracle') return { name: policy, settings, forecastFor: oracleForecast, note: "forecast: the window's recorded orders" };
  // TensorFlow.js needs its backend chosen before a model loads (the live service does this at start).
  await initBackend();
  const loaded = await loadForecastSource(env.MODELS_DIR);
  const source = loaded.source;
  return {
    name: policy,
    settings,
    forecastFor: () => ({ get version() { return source.version; }, forecast: (h, o) => source.forecast(h, o) }),
    note: `forecast: ${source.kind === 'model' ? `model ${source.version}` : `${source.version} (${loaded.error?.message ?? 'no model'})`}`,
  };
}
