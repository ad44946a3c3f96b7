import * as tf from '@tensorflow/tfjs';
import type { Sample } from '../core/features.js';
import { mulberry32 } from '../core/rng.js';

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
  countIndices: number[];
}

const COUNT_FEATURE = /^(orders_t|yesterday_|last_week_|profile7d_)/;
const SCALE_FEATURE = 'zone_level';
/** Floor on a zone's level so a nearly empty zone does not blow its scaled counts up. */
const MIN_LEVEL = 0.25;

/** Which features are order counts (scaled by zone level) and which one is the level. */
export function scalingFor(featureNames: string[]): Pick<Normalization, 'scaleIndex' | 'countIndices'> {
  return {
    scaleIndex: featureNames.indexOf(SCALE_FEATURE),
    countIndices: featureNames.flatMap((n, i) => (COUNT_FEATURE.test(n) ? [i] : [])),
  };
}

function levelOf(x: number[], scaleIndex: number): number {
  return scaleIndex >= 0 ? Math.max(MIN_LEVEL, x[scaleIndex]) : 1;
}

/** Divides a row's count features by its zone level (no-op without a level feature). */
export function scaleRow(x: number[], s: Pick<Normalization, 'scaleIndex' | 'countIndices'>): number[] {
  if (s.scaleIndex < 0) return x;
  const level = levelOf(x, s.scaleIndex);
  const out = x.slice();
  for (const i of s.countIndices) out[i] = x[i] / level;
  return out;
}

export interface TrainOptions {
  epochs?: number;
  batchSize?: number;
  hidden?: number;
  learningRate?: number;
  seed?: number;
  loss?: 'meanAbsoluteError' | 'meanSquaredError';
  onEpoch?: (epoch: number, loss: number) => void;
}

/** Fits mean/std per feature on the training rows only (after zone-level scaling). */
export function fitNormalization(rawXs: number[][], rawYs: number[][], featureNames: string[]): Normalization {
  const scaling = scalingFor(featureNames);
  const xs = rawXs.map((x) => scaleRow(x, scaling));
  const ys = rawYs.map((y, i) => y.map((v) => v / levelOf(rawXs[i], scaling.scaleIndex)));
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
  return { mean, std, yScale: Math.max(1e-3, yN > 0 ? ySum / yN : 1), ...scaling };
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
    const norm = fitNormalization(samples.map((s) => s.x), samples.map((s) => s.y), featureNames);
    const seed = opts.seed ?? 42;
    const model = DemandForecaster.build(featureCount, horizon, opts.hidden ?? 16, seed);
    // MAE loss: the forecast is judged on MAE, and for count data the conditional median it learns
    // beats the mean on that score; staffing adds its own safety margin through the 90 % target.
    model.compile({ optimizer: tf.train.adam(opts.learningRate ?? 0.003), loss: opts.loss ?? 'meanAbsoluteError' });

    const order = samples.map((_, i) => i);
    const rand = mulberry32(seed);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    const f = new DemandForecaster(model, norm, horizon, featureCount);
    const x = tf.tensor2d(order.map((i) => f.normalize(samples[i].x)));
    const y = tf.tensor2d(order.map((i) => samples[i].y.map((v) => v / (norm.yScale * levelOf(samples[i].x, norm.scaleIndex)))));
    try {
      await model.fit(x, y, {
        epochs: opts.epochs ?? 30,
        batchSize: opts.batchSize ?? 128,
        shuffle: true,
        verbose: 0,
        callbacks: opts.onEpoch ? { onEpochEnd: async (epoch, logs) => opts.onEpoch!(epoch, Number(logs?.loss)) } : undefined,
      });
    } finally {
      x.dispose();
      y.dispose();
    }
    return f;
  }

  normalize(x: number[]): number[] {
    return scaleRow(x, this.norm).map((v, j) => (v - this.norm.mean[j]) / this.norm.std[j]);
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
        const level = levelOf(xs[i], this.norm.scaleIndex);
        return row.map((v) => Math.max(0, v * this.norm.yScale * level));
      });
    });
  }

  dispose(): void {
    this.model.dispose();
  }
}
