import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { DemandHistory } from '../src/core/demand-history.js';
import { featureVector } from '../src/core/features.js';
import { initBackend, type BackendChoice } from '../src/model/backend.js';
import { BaselineForecastSource, loadForecastSource, ModelForecastSource } from '../src/model/forecast-source.js';
import { loadModel, ModelLoadError, saveModel, WEIGHTS_FILE, MODEL_FILE, METADATA_FILE, latestVersion } from '../src/model/model-store.js';
import { generateSyntheticHistory } from '../src/synthetic/demand-generator.js';
import { trainAndEvaluate, formatMetricsTable, type TrainRunResult } from '../src/training.js';

let dir: string;
let choice: BackendChoice;
let history: DemandHistory;
let run: TrainRunResult;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-rostering-'));
  choice = await initBackend();
  // Small on purpose: four zones, nine days, a few epochs — seconds on one core.
  const syn = generateSyntheticHistory({ seed: 11, days: 9, zones: 4 });
  history = new DemandHistory();
  for (const e of syn.events) history.add(e);
  run = await trainAndEvaluate(history, { backend: choice.backend, epochs: 25, version: 'v-test', lastBucket: Math.floor(syn.endMs / 900_000) - 1 });
});

afterAll(() => {
  run?.forecaster.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('TensorFlow.js backend without tfjs-node', () => {
  it('falls back to wasm (or cpu), says why, and predicts', () => {
    expect(['wasm', 'cpu']).toContain(choice.backend);
    expect(tf.getBackend()).toBe(choice.backend);
    expect(choice.skipped[0]?.backend).toBe('tensorflow');
    expect(choice.skipped[0]?.reason).toMatch(/tfjs-node/);
    const preds = run.forecaster.predict(run.set.test.slice(0, 3).map((s) => s.x));
    expect(preds).toHaveLength(3);
    expect(preds[0]).toHaveLength(run.set.horizon);
    expect(preds.flat().every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
  });
});

describe('forecaster trained on a small synthetic series', () => {
  it('beats every baseline on MAE on the held-out day', () => {
    const { metrics, baselines } = run.metadata;
    expect(Object.keys(baselines)).toHaveLength(3);
    for (const [name, b] of Object.entries(baselines)) expect(metrics.mae, `${name}\n${formatMetricsTable(run.metadata)}`).toBeLessThan(b.mae);
    expect(metrics.n).toBe(run.set.test.length * run.set.horizon);
  });

  it('saves to <dir>/<version> with a file handler and loads back to identical predictions', async () => {
    await saveModel(dir, run.forecaster, run.metadata);
    for (const f of [MODEL_FILE, WEIGHTS_FILE, METADATA_FILE]) expect(fs.existsSync(path.join(dir, 'v-test', f))).toBe(true);
    expect(latestVersion(dir)).toBe('v-test');
    const loaded = await loadModel(path.join(dir, 'v-test'));
    const xs = run.set.test.slice(0, 5).map((s) => s.x);
    const a = run.forecaster.predict(xs).flat();
    const b = loaded.forecaster.predict(xs).flat();
    b.forEach((v, i) => expect(v).toBeCloseTo(a[i], 4));
    expect(loaded.metadata.bestBaseline).toBe(run.metadata.bestBaseline);
    const src = await loadForecastSource(dir);
    expect(src.error).toBeUndefined();
    expect(src.source).toBeInstanceOf(ModelForecastSource);
    expect(src.source.version).toBe('v-test');
    const origin = run.set.lastBucket - 8;
    expect(src.source.forecast(history, origin).get('z1')).toHaveLength(8);
    loaded.forecaster.dispose();
    src.source.dispose();
  });
});

describe('a bad or missing model file', () => {
  function copyVersion(name: string): string {
    const to = path.join(dir, name);
    fs.cpSync(path.join(dir, 'v-test'), to, { recursive: true });
    return to;
  }

  it('missing model folder: clear error, fallback to a baseline chosen on live history', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-rostering-empty-'));
    try {
      const { source, error } = await loadForecastSource(empty);
      expect(error).toBeInstanceOf(ModelLoadError);
      expect(error!.message).toMatch(/no model version has been trained yet/);
      expect(source).toBeInstanceOf(BaselineForecastSource);
      const f = source.forecast(history, run.set.lastBucket - 8);
      expect(f.size).toBe(4);
      expect(source.version).toMatch(/^baseline:seasonal_naive|^baseline:moving/);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it('truncated weights: names the file, falls back to the best baseline from metadata', async () => {
    const v = copyVersion('v-truncated');
    const w = path.join(v, WEIGHTS_FILE);
    fs.writeFileSync(w, fs.readFileSync(w).subarray(0, 100));
    await expect(loadModel(v)).rejects.toThrow(/weights\.bin has 100 bytes/);
    const { source, error } = await loadForecastSource(dir, 'v-truncated');
    expect(error?.message).toMatch(/cannot load forecasting model from .*v-truncated: weights\.bin/);
    expect(source.version).toBe(`baseline:${run.metadata.bestBaseline}`);
  });

  it('garbage model.json or missing weights file: clear errors', async () => {
    const v = copyVersion('v-garbage');
    fs.writeFileSync(path.join(v, MODEL_FILE), '{not json');
    await expect(loadModel(v)).rejects.toThrow(/model\.json is not valid JSON/);
    const v2 = copyVersion('v-noweights');
    fs.rmSync(path.join(v2, WEIGHTS_FILE));
    await expect(loadModel(v2)).rejects.toThrow(/weights\.bin is missing/);
    const v3 = copyVersion('v-badmeta');
    fs.writeFileSync(path.join(v3, METADATA_FILE), JSON.stringify({ version: 'x' }));
    await expect(loadModel(v3)).rejects.toThrow(ModelLoadError);
    const { source } = await loadForecastSource(dir, 'v-badmeta');
    expect(source.kind).toBe('baseline');
  });
});

describe('the live forecast follows the level it faces', () => {
  // The held-out day's afternoon with half the orders from noon on (every other order dropped):
  // a day far quieter than the model's training days, as a Monday after a weekend is.
  function halvedFrom(noon: number): DemandHistory {
    const h = new DemandHistory();
    let k = 0;
    for (const e of generateSyntheticHistory({ seed: 11, days: 9, zones: 4 }).events) {
      if (e.type === 'order.created' && e.ts >= noon && k++ % 2 === 0) continue;
      h.add(e);
    }
    return h;
  }
  const cityForecast = (f: Map<string, number[]>) => [...f.values()].reduce((s, p) => s + p[0] + p[1] + p[2], 0);
  const cityActual = (h: DemandHistory, origin: number) => h.zoneIds().reduce((s, z) => s + h.orders(z, origin + 1) + h.orders(z, origin + 2) + h.orders(z, origin + 3), 0);

  it('scales the network by the last two hours, so a halved day is forecast near half', () => {
    const noon = (run.set.holdoutStart + 48) * 900_000;
    const h = halvedFrom(noon);
    const origin = noon / 900_000 + 12; // 15:00: three hours into the quieter afternoon
    const source = new ModelForecastSource(run.forecaster, 'v-test');
    const corrected = cityForecast(source.forecast(h, origin));
    const raw = run.forecaster.predict(h.zoneIds().map((z) => featureVector(h, z, origin, run.set.horizon))).reduce((s, p) => s + p[0] + p[1] + p[2], 0);
    expect(source.lastCorrection).toBeLessThan(0.95); // the network itself adapts part of the way (today's counts, the day trend)
    expect(corrected).toBeCloseTo(raw * source.lastCorrection, 6);
    expect(Math.abs(corrected - cityActual(h, origin))).toBeLessThan(Math.abs(raw - cityActual(h, origin)));
  });

  it('leaves a day at the level it trained on about as it is', () => {
    const source = new ModelForecastSource(run.forecaster, 'v-test');
    source.forecast(history, run.set.holdoutStart + 60);
    expect(source.lastCorrection).toBeGreaterThan(0.75);
    expect(source.lastCorrection).toBeLessThan(1.33);
  });
});

