import path from 'node:path';
import { baselineForecast, bestBaseline, evaluateBaselines, type BaselineName } from '../core/baselines.js';
import { BUCKETS_PER_DAY } from '../core/buckets.js';
import type { DemandHistory } from '../core/demand-history.js';
import { DEFAULT_HORIZON, featureVector, targetVector, type Sample } from '../core/features.js';
import { LEVEL_WINDOW, levelCorrection } from '../core/level-correction.js';
import type { DemandForecaster } from './forecaster.js';
import { latestVersion, loadModel, ModelLoadError, readMetadata } from './model-store.js';

/** Anything that turns history into per-zone forecasts for origin+1 .. origin+horizon. */
export interface ForecastSource {
  /** What plans record as modelVersion: the model version, or "baseline:<name>". */
  readonly version: string;
  readonly kind: 'model' | 'baseline';
  readonly horizon: number;
  forecast(history: DemandHistory, origin: number): Map<string, number[]>;
  dispose(): void;
}

export class ModelForecastSource implements ForecastSource {
  readonly kind = 'model';
  /**
   * The model's one-step city-wide forecast made at each recent origin, for the level correction;
   * per history, so one source reused over several runs (the lab's replays) never mixes them.
   */
  private readonly firstStepsOf = new WeakMap<DemandHistory, Map<number, number>>();
  /** The factor the last forecast was scaled by (core/level-correction.ts). */
  lastCorrection = 1;

  constructor(
    readonly forecaster: DemandForecaster,
    readonly version: string,
    /**
     * Off: the bare network's forecasts (ROSTERING_LEVEL_CORRECTION=false). On: corrected when the
     * model asks for it (trained on less than a week; `DemandForecaster.needsLevelCorrection`).
     */
    levelCorrection = true,
  ) {
    this.levelCorrection = levelCorrection && forecaster.needsLevelCorrection;
  }

  /** Whether this source rescales the network's forecasts by the day's level. */
  readonly levelCorrection: boolean;

  get horizon(): number {
    return this.forecaster.horizon;
  }

  forecast(history: DemandHistory, origin: number): Map<string, number[]> {
    const zones = history.zoneIds();
    const preds = this.forecaster.predict(zones.map((z) => featureVector(history, z, origin, this.horizon)));
    if (!this.levelCorrection) return new Map(zones.map((z, i) => [z, preds[i]]));
    let firstSteps = this.firstStepsOf.get(history);
    if (!firstSteps) this.firstStepsOf.set(history, (firstSteps = new Map()));
    firstSteps.set(origin, preds.reduce((s, p) => s + p[0], 0));
    // Origins not forecast live (before the service started, or before this model was loaded) are forecast now, in one batch.
    const missing: number[] = [];
    for (let q = origin - LEVEL_WINDOW; q < origin; q++) if (!firstSteps.has(q) && q >= history.firstBucket()) missing.push(q);
    if (missing.length > 0) {
      const rows = this.forecaster.predict(missing.flatMap((q) => zones.map((z) => featureVector(history, z, q, this.horizon))));
      missing.forEach((q, k) => firstSteps.set(q, rows.slice(k * zones.length, (k + 1) * zones.length).reduce((s, p) => s + p[0], 0)));
    }
    for (const q of firstSteps.keys()) if (q < origin - 2 * LEVEL_WINDOW) firstSteps.delete(q);
    const factor = levelCorrection(history, origin, (q) => firstSteps.get(q) ?? 0);
    this.lastCorrection = factor;
    return new Map(zones.map((z, i) => [z, preds[i].map((v) => v * factor)]));
  }

  dispose(): void {
    this.forecaster.dispose();
  }
}

/**
 * The model's forecasts for samples of `history` as the service makes them: each origin's
 * forecasts scaled by the level correction of that origin (the held-out evaluation uses this,
 * so its score describes what the platform publishes).
 */
export function correctedPredictions(forecaster: DemandForecaster, history: DemandHistory, samples: readonly Sample[]): number[][] {
  const raw = forecaster.predict(samples.map((s) => s.x));
  if (!forecaster.needsLevelCorrection) return raw;
  const zones = history.zoneIds();
  const origins = [...new Set(samples.map((s) => s.origin))];
  const needed = new Set<number>();
  for (const o of origins) for (let q = o - LEVEL_WINDOW; q < o; q++) if (q >= history.firstBucket()) needed.add(q);
  const list = [...needed];
  const rows = list.length > 0 ? forecaster.predict(list.flatMap((q) => zones.map((z) => featureVector(history, z, q, forecaster.horizon)))) : [];
  const firstSteps = new Map(list.map((q, k) => [q, rows.slice(k * zones.length, (k + 1) * zones.length).reduce((s, p) => s + p[0], 0)]));
  const factors = new Map(origins.map((o) => [o, levelCorrection(history, o, (q) => firstSteps.get(q) ?? 0)]));
  return raw.map((p, i) => p.map((v) => v * factors.get(samples[i].origin)!));
}

/**
 * Forecasts with a baseline. With `name` 'auto' it re-picks, once per simulated day, the baseline
 * with the lowest MAE over the last day of history — "the best baseline" when no model's
 * metadata can tell us which one won at training time.
 */
export class BaselineForecastSource implements ForecastSource {
  readonly kind = 'baseline';
  private picked: { day: number; name: BaselineName } | undefined;

  constructor(
    readonly name: BaselineName | 'auto',
    readonly horizon = DEFAULT_HORIZON,
  ) {}

  get version(): string {
    return `baseline:${this.name === 'auto' ? (this.picked?.name ?? 'auto') : this.name}`;
  }

  current(history: DemandHistory, origin: number): BaselineName {
    if (this.name !== 'auto') return this.name;
    const day = Math.floor(origin / BUCKETS_PER_DAY);
    if (this.picked?.day !== day) this.picked = { day, name: pickOnRecentHistory(history, origin, this.horizon) };
    return this.picked.name;
  }

  forecast(history: DemandHistory, origin: number): Map<string, number[]> {
    const name = this.current(history, origin);
    return new Map(history.zoneIds().map((z) => [z, baselineForecast(name, history, z, origin, this.horizon)]));
  }

  dispose(): void {}
}

function pickOnRecentHistory(history: DemandHistory, origin: number, horizon: number): BaselineName {
  const samples: Sample[] = [];
  const from = Math.max(history.firstBucket() + BUCKETS_PER_DAY, origin - BUCKETS_PER_DAY - horizon);
  for (const zoneId of history.zoneIds()) {
    for (let o = from; o + horizon <= origin; o += 2) samples.push({ zoneId, origin: o, x: [], y: targetVector(history, zoneId, o, horizon) });
  }
  return samples.length === 0 ? 'seasonal_naive_yesterday' : bestBaseline(evaluateBaselines(history, samples, horizon));
}

export interface LoadedSource {
  source: ForecastSource;
  /** Set when the model could not be used: the clear reason the service logs. */
  error?: ModelLoadError;
}

/**
 * The model in <modelsDir>/<version> (default: the latest), or — when it is missing or broken —
 * the best baseline, with the error kept so the caller can report it. Never throws for a bad model.
 */
export async function loadForecastSource(modelsDir: string, version?: string, opts: { levelCorrection?: boolean } = {}): Promise<LoadedSource> {
  const v = version ?? latestVersion(modelsDir);
  if (!v) return { source: new BaselineForecastSource('auto'), error: new ModelLoadError(modelsDir, 'no model version has been trained yet (run `npm run train`)') };
  const dir = path.join(modelsDir, v);
  try {
    const { forecaster, metadata } = await loadModel(dir);
    return { source: new ModelForecastSource(forecaster, metadata.version, opts.levelCorrection ?? true) };
  } catch (err) {
    const error = err instanceof ModelLoadError ? err : new ModelLoadError(dir, (err as Error).message);
    let best: BaselineName | 'auto' = 'auto';
    try {
      best = readMetadata(dir).bestBaseline;
    } catch {
      // metadata is part of what is broken: pick the baseline on the live history instead
    }
    return { source: new BaselineForecastSource(best), error };
  }
}
