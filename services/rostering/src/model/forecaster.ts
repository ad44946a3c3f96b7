import * as tf from '@tensorflow/tfjs';
import type { Sample } from '../core/features.js';
import { createRng } from '@riderflow/geo';

export interface Normalization {
  mean: number[];
  std: number[];
  /** Targets are divided by this so the network sees values around 1. */
  yScale: number;
  /**
   * Index of the zone-level feature (mean orders per bucket over the past week), or -1. When set,
   * count features and targets are divided by the zone's level, so one network learns the shape
   * of demand (time of day, weekday, rain) for zones of any size; outputs are scaled back.
   */
  scaleIndex: number;
  /**
   * Index of the city's day trend (today's orders over yesterday's, last six hours), or -1 /
   * absent in older models. When set, the level the counts are divided by is the zone's level
   * times this trend, so the network forecasts in units of "today's level" and a day that runs
   * a quarter below yesterday gets forecasts a quarter lower, whatever weekdays it trained on.
   */
  trendIndex?: number;
  countIndices: number[];
  /** With a trend: counts of past days (yesterday, last week, 7-day profile), divided by the level alone. */
  pastCountIndices?: number[];
  /**
   * Features the training rows did not cover well enough to learn from (day of week with less
   * than two weeks of training origins): their standardised input is always 0, so a weekday the
   * network never saw, or saw once, cannot push it outside what it learned. Absent in older models.
   */
  frozen?: number[];
  /**
   * Whether the service rescales this model's forecasts by the level of the day it faces
   * (core/level-correction.ts). Set at training: true with less than a week of training origins
   * (features.ts levelCorrectionFor), so the network cannot know a day's level; false when it has
   * seen every weekday, where the correction's own noise (the last two hours' orders) costs more
   * than it corrects (validation day, 3 history seeds x 3 training seeds: 18.5-23.9 % under the
   * best baseline corrected against 24.0-27.4 % raw). Absent in older models: true.
   */
  levelCorrection?: boolean;
}

const COUNT_FEATURE = /^(orders_t|yesterday_|last_week_|profile7d_)/;
/** Counts of past days: in yesterday's units, so divided by the level without today's trend. */
const PAST_COUNT_FEATURE = /^(yesterday_|last_week_|profile7d_)/;
const SCALE_FEATURE = 'zone_level';
const TREND_FEATURE = 'city_day_trend';
/** Floor on a zone's level so a nearly empty zone does not blow its scaled counts up. */
const MIN_LEVEL = 0.25;

type Scaling = Pick<Normalization, 'scaleIndex' | 'trendIndex' | 'countIndices' | 'pastCountIndices'>;

/** Which features are order counts (scaled by zone level), which are past days' counts, which one is the level. */
export function scalingFor(featureNames: string[]): Scaling {
  const trendIndex = featureNames.indexOf(TREND_FEATURE);
  const counts = featureNames.flatMap((n, i) => (COUNT_FEATURE.test(n) ? [i] : []));
  if (trendIndex < 0) return { scaleIndex: featureNames.indexOf(SCALE_FEATURE), countIndices: counts };
  const past = counts.filter((i) => PAST_COUNT_FEATURE.test(featureNames[i]));
  return { scaleIndex: featureNames.indexOf(SCALE_FEATURE), trendIndex, countIndices: counts.filter((i) => !past.includes(i)), pastCountIndices: past };
}

/** The zone's weekly level, times today's trend when the model has one: the unit of today's counts and of the targets. */
function levelOf(x: number[], s: Pick<Normalization, 'scaleIndex' | 'trendIndex'>): number {
  if (s.scaleIndex < 0) return 1;
  const trend = s.trendIndex !== undefined && s.trendIndex >= 0 ? x[s.trendIndex] : 1;
  return Math.max(MIN_LEVEL, x[s.scaleIndex] * trend);
}

/**
 * Divides a row's count features by its level (no-op without a level feature): today's counts by
 * level × trend, past days' counts by the level alone. A network that learns "tomorrow looks like
 * yesterday" in these units then forecasts yesterday × today's trend.
 */
export function scaleRow(x: number[], s: Scaling): number[] {
  if (s.scaleIndex < 0) return x;
  const level = levelOf(x, s);
  const pastLevel = Math.max(MIN_LEVEL, x[s.scaleIndex]);
  const out = x.slice();
  for (const i of s.countIndices) out[i] = x[i] / level;
  for (const i of s.pastCountIndices ?? []) out[i] = x[i] / pastLevel;
  return out;
}

export interface TrainOptions {
  epochs?: number;
  batchSize?: number;
  hidden?: number;
  learningRate?: number;
  seed?: number;
  loss?: 'meanAbsoluteError' | 'meanSquaredError';
  /** Names of features to freeze (see Normalization.frozen). */
  freeze?: string[];
  /** Normalization.levelCorrection; default: whether anything is frozen (training.ts decides by the origins' span). */
  levelCorrection?: boolean;
  onEpoch?: (epoch: number, loss: number) => void;
}

/** Fits mean/std per feature on the training rows only (after zone-level scaling). */
export function fitNormalization(rawXs: number[][], rawYs: number[][], featureNames: string[], freeze: string[] = [], levelCorrection?: boolean): Normalization {
  const scaling = scalingFor(featureNames);
  const xs = rawXs.map((x) => scaleRow(x, scaling));
  const ys = rawYs.map((y, i) => y.map((v) => v / levelOf(rawXs[i], scaling)));
  const d = xs[0]?.length ?? 0;
  const mean = new Array(d).fill(0);
  const std = new Array(d).fill(0);
  for (const x of xs) for (let j = 0; j < d; j++) mean[j] += x[j] / xs.length;
  for (const x of xs) for (let j = 0; j < d; j++) std[j] += (x[j] - mean[j]) ** 2 / xs.length;
  for (let j = 0; j < d; j++) std[j] = Math.sqrt(std[j]) || 1;
  let ySum = 0;
  let yN = 0;
  for (const y of ys) for (const v of y) {
    ySum += v;
    yN++;
  }
  const frozen = featureNames.flatMap((n, i) => (freeze.includes(n) ? [i] : []));
  return { mean, std, yScale: Math.max(1e-3, yN > 0 ? ySum / yN : 1), ...scaling, ...(frozen.length > 0 ? { frozen } : {}), levelCorrection: levelCorrection ?? frozen.length > 0 };
}

/**
 * Orders per zone for the next `horizon` buckets: one dense network shared by all zones
 * (zone size enters through the lag and level features), multi-output, one output per bucket.
 */
export class DemandForecaster {
  constructor(
    readonly model: tf.LayersModel,
    readonly norm: Normalization,
    readonly horizon: number,
    readonly featureCount: number,
  ) {}

  static build(featureCount: number, horizon: number, hidden: number, seed: number): tf.LayersModel {
    const model = tf.sequential();
    model.add(tf.layers.dense({ inputShape: [featureCount], units: hidden, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed }) }));
    model.add(tf.layers.dense({ units: hidden, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }));
    model.add(tf.layers.dense({ units: horizon, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 }) }));
    return model;
  }

  static async train(samples: Sample[], featureNames: string[], opts: TrainOptions = {}): Promise<DemandForecaster> {
    if (samples.length === 0) throw new Error('cannot train a forecaster on zero samples');
    const featureCount = samples[0].x.length;
    const horizon = samples[0].y.length;
    if (featureNames.length !== featureCount) throw new Error(`${featureNames.length} feature names for ${featureCount} features`);
    const norm = fitNormalization(samples.map((s) => s.x), samples.map((s) => s.y), featureNames, opts.freeze, opts.levelCorrection);
    const seed = opts.seed ?? 42;
    const model = DemandForecaster.build(featureCount, horizon, opts.hidden ?? 16, seed);
    // MAE loss: the forecast is judged on MAE, and for count data the conditional median it learns
    // beats the mean on that score; staffing adds its own safety margin through the 90 % target.
    model.compile({ optimizer: tf.train.adam(opts.learningRate ?? 0.003), loss: opts.loss ?? 'meanAbsoluteError' });

    // Every epoch's order comes from our seeded generator and fit() is told not to shuffle:
    // tf.js's own shuffle (fit's `shuffle: true`) draws from Math.random, so the same data and
    // seed gave a different model on every run (the held-out gain moved 17.7-22.8 % run to run).
    const f = new DemandForecaster(model, norm, horizon, featureCount);
    const x = tf.tensor2d(samples.map((s) => f.normalize(s.x)));
    const y = tf.tensor2d(samples.map((s) => s.y.map((v) => v / (norm.yScale * levelOf(s.x, norm)))));
    const rand = createRng(seed).next;
    const order = samples.map((_, i) => i);
    const epochs = opts.epochs ?? 30;
    try {
      for (let epoch = 0; epoch < epochs; epoch++) {
        for (let i = order.length - 1; i > 0; i--) {
          const j = Math.floor(rand() * (i + 1));
          [order[i], order[j]] = [order[j], order[i]];
        }
        const idx = tf.tensor1d(order, 'int32');
        const xe = tf.gather(x, idx);
        const ye = tf.gather(y, idx);
        try {
          const h = await model.fit(xe, ye, { epochs: 1, batchSize: opts.batchSize ?? 128, shuffle: false, verbose: 0 });
          opts.onEpoch?.(epoch, Number(h.history.loss?.[0]));
        } finally {
          tf.dispose([idx, xe, ye]);
        }
      }
    } finally {
      x.dispose();
      y.dispose();
    }
    return f;
  }

  /** Whether forecasts are to be rescaled by the day's level (see Normalization.levelCorrection). */
  get needsLevelCorrection(): boolean {
    return this.norm.levelCorrection ?? true;
  }

  normalize(x: number[]): number[] {
    const out = scaleRow(x, this.norm).map((v, j) => (v - this.norm.mean[j]) / this.norm.std[j]);
    for (const j of this.norm.frozen ?? []) out[j] = 0;
    return out;
  }

  /** Forecasts for each feature row; negative outputs are clipped (orders cannot be negative). */
  predict(xs: number[][]): number[][] {
    if (xs.length === 0) return [];
    for (const x of xs) {
      if (x.length !== this.featureCount) throw new Error(`forecaster expects ${this.featureCount} features, got ${x.length}`);
    }
    return tf.tidy(() => {
      const out = this.model.predict(tf.tensor2d(xs.map((x) => this.normalize(x)))) as tf.Tensor2D;
      return (out.arraySync() as number[][]).map((row, i) => {
        const level = levelOf(xs[i], this.norm);
        return row.map((v) => Math.max(0, v * this.norm.yScale * level));
      });
    });
  }

  dispose(): void {
    this.model.dispose();
  }
}
