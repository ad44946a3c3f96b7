import { beforeAll, describe, expect, it } from 'vitest';
import { DemandHistory } from '../src/core/demand-history.js';
import { buildTrainingSet, type TrainingSet } from '../src/core/features.js';
import { initBackend } from '../src/model/backend.js';
import { DemandForecaster } from '../src/model/forecaster.js';
import { generateSyntheticHistory } from '../src/synthetic/demand-generator.js';

// The held-out benchmark (issue 7's "≥ 20 % under the best baseline") moved 17.7-22.8 % between
// runs of the same code because fit() shuffled with Math.random. A model is a function of its
// data and seed: two trainings with both the same must give the same forecasts.
let set: TrainingSet;

beforeAll(async () => {
  await initBackend();
  const syn = generateSyntheticHistory({ seed: 5, days: 4, zones: 3 });
  const history = new DemandHistory();
  for (const e of syn.events) history.add(e);
  set = buildTrainingSet(history, { lastBucket: Math.floor(syn.endMs / 900_000) - 1 });
});

async function trainedForecasts(seed: number): Promise<number[]> {
  // Small batches, so the order of the rows decides many updates per epoch.
  const f = await DemandForecaster.train(set.train, set.featureNames, { seed, epochs: 4, batchSize: 32 });
  try {
    return f.predict(set.test.slice(0, 40).map((s) => s.x)).flat();
  } finally {
    f.dispose();
  }
}

describe('forecaster training is deterministic for a given seed', () => {
  it('the same data and seed give the same forecasts (to 1e-6); another seed gives others', async () => {
    expect(set.train.length).toBeGreaterThan(32 * 4);
    const a = await trainedForecasts(7);
    const b = await trainedForecasts(7);
    const maxDiff = Math.max(...a.map((v, i) => Math.abs(v - b[i])));
    expect(maxDiff).toBeLessThan(1e-6);
    const c = await trainedForecasts(8);
    expect(Math.max(...a.map((v, i) => Math.abs(v - c[i])))).toBeGreaterThan(1e-4);
  });
});
