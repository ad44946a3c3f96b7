import { baselineNotes, bestBaseline, evaluateBaselines, BASELINES } from './core/baselines.js';
import { BUCKET_MIN, BUCKET_MS } from './core/buckets.js';
import type { DemandHistory } from './core/demand-history.js';
import { buildTrainingSet, featuresToFreeze, levelCorrectionFor, type TrainingSet, type TrainingSetOptions } from './core/features.js';
import { errorMetrics } from './core/metrics.js';
import { DemandForecaster, type TrainOptions } from './model/forecaster.js';
import { correctedPredictions } from './model/forecast-source.js';
import { newVersion, type ModelMetadata } from './model/model-store.js';

export interface TrainRunOptions extends TrainOptions, TrainingSetOptions {
  version?: string;
  from?: number | null;
  to?: number | null;
  backend: string;
}

export interface TrainRunResult {
  forecaster: DemandForecaster;
  metadata: ModelMetadata;
  set: TrainingSet;
}

/**
 * Builds the training set from a replayed history, trains the forecaster on all but the last
 * simulated day, and scores model and baselines on that held-out day.
 */
export async function trainAndEvaluate(history: DemandHistory, opts: TrainRunOptions): Promise<TrainRunResult> {
  const set = buildTrainingSet(history, opts);
  if (set.train.length === 0 || set.test.length === 0) {
    throw new Error(
      `not enough history to train: ${set.train.length} training and ${set.test.length} held-out samples ` +
        `(need at least about three simulated days of order.created events; saw ${history.zoneIds().length} zones)`,
    );
  }
  const started = Date.now();
  const forecaster = await DemandForecaster.train(set.train, set.featureNames, {
    ...opts,
    freeze: opts.freeze ?? featuresToFreeze(set.train),
    levelCorrection: opts.levelCorrection ?? levelCorrectionFor(set.train),
  });
  const trainSeconds = (Date.now() - started) / 1000;
  // Scored as the service forecasts: level-corrected by the hours before each origin.
  const model = errorMetrics(set.test.map((s) => s.y), correctedPredictions(forecaster, history, set.test));
  const baselines = evaluateBaselines(history, set.test, set.horizon);
  const metadata: ModelMetadata = {
    version: opts.version ?? newVersion(),
    createdAt: new Date().toISOString(),
    horizon: set.horizon,
    bucketMinutes: BUCKET_MIN,
    featureNames: set.featureNames,
    normalization: forecaster.norm,
    metrics: model,
    baselines,
    baselineNotes: baselineNotes(history, set.test, set.horizon),
    bestBaseline: bestBaseline(baselines),
    trainedOn: {
      from: opts.from ?? null,
      to: opts.to ?? null,
      trainSamples: set.train.length,
      testSamples: set.test.length,
      holdoutStartMs: set.holdoutStart * BUCKET_MS,
      zones: history.zoneIds(),
    },
    backend: opts.backend,
    trainSeconds,
  };
  return { forecaster, metadata, set };
}

/** The table `npm run train` and the bench print: MAE/RMSE per method on the held-out day. */
export function formatMetricsTable(m: ModelMetadata): string {
  const rows: [string, number, number][] = [[`model ${m.version}`, m.metrics.mae, m.metrics.rmse]];
  for (const name of BASELINES) {
    const b = m.baselines[name];
    if (b) rows.push([name + (name === m.bestBaseline ? ' (best baseline)' : ''), b.mae, b.rmse]);
  }
  const width = Math.max(...rows.map((r) => r[0].length), 6);
  const best = m.baselines[m.bestBaseline];
  const lines = [
    `held-out day from ${new Date(m.trainedOn.holdoutStartMs).toISOString()}: ${m.trainedOn.testSamples} zone-origins × ${m.horizon} buckets of ${m.bucketMinutes} min`,
    `${'method'.padEnd(width)}  ${'MAE'.padStart(8)}  ${'RMSE'.padStart(8)}`,
    ...rows.map(([n, mae, rmse]) => `${n.padEnd(width)}  ${mae.toFixed(3).padStart(8)}  ${rmse.toFixed(3).padStart(8)}`),
  ];
  for (const [name, note] of Object.entries(m.baselineNotes ?? {})) lines.push(`${name}: ${note}`);
  if (best) lines.push(`model MAE vs best baseline: ${(((best.mae - m.metrics.mae) / best.mae) * 100).toFixed(1)} % lower`);
  return lines.join('\n');
}
