import { beforeAll, describe, expect, it } from 'vitest';
import { DemandHistory } from '../src/core/demand-history.js';
import { buildTrainingSet, featuresToFreeze, featureVector, levelCorrectionFor } from '../src/core/features.js';
import { initBackend } from '../src/model/backend.js';
import { correctedPredictions, ModelForecastSource } from '../src/model/forecast-source.js';
import { DemandForecaster } from '../src/model/forecaster.js';
import { generateSyntheticHistory } from '../src/synthetic/demand-generator.js';

// The level correction answers a level the network cannot know: with less than a week of
// training origins it has not seen the weekday it faces. A model that has seen every weekday
// is not corrected: on the validation day (3 histories × 3 training seeds) the correction's own
// noise cost 3-9 points of the gain over the best baseline.
function synthetic(days: number): { history: DemandHistory; lastBucket: number } {
  const syn = generateSyntheticHistory({ seed: 3, days, zones: 3 });
  const history = new DemandHistory();
  for (const e of syn.events) history.add(e);
  return { history, lastBucket: Math.floor(syn.endMs / 900_000) - 1 };
}

async function trained(days: number) {
  const { history, lastBucket } = synthetic(days);
  const set = buildTrainingSet(history, { lastBucket });
  const forecaster = await DemandForecaster.train(set.train, set.featureNames, { epochs: 2, freeze: featuresToFreeze(set.train), levelCorrection: levelCorrectionFor(set.train) });
  return { history, set, forecaster };
}

beforeAll(async () => {
  await initBackend();
});

describe('which models the level correction applies to', () => {
  it('a model trained on less than a week of origins is corrected (the weekday is frozen)', async () => {
    const { history, set, forecaster } = await trained(5);
    try {
      expect(forecaster.norm.frozen?.length).toBeGreaterThan(0);
      expect(forecaster.needsLevelCorrection).toBe(true);
      const source = new ModelForecastSource(forecaster, 'short');
      expect(source.levelCorrection).toBe(true);
      expect(new ModelForecastSource(forecaster, 'short', false).levelCorrection).toBe(false);
      // Scored as published: the held-out day's forecasts are the corrected ones.
      const some = set.test.slice(0, 50);
      const raw = forecaster.predict(some.map((s) => s.x)).flat();
      const corrected = correctedPredictions(forecaster, history, some).flat();
      expect(Math.max(...raw.map((v, i) => Math.abs(v - corrected[i])))).toBeGreaterThan(1e-6);
    } finally {
      forecaster.dispose();
    }
  });

  it('a model trained on a week or more is not corrected: the service publishes the network as it is', async () => {
    // Ten days: eight of training origins, each weekday seen once, so the weekday stays frozen
    // (features.ts featuresToFreeze), but the level correction is off.
    const { history, set, forecaster } = await trained(10);
    try {
      expect(forecaster.norm.frozen?.length).toBeGreaterThan(0);
      expect(forecaster.needsLevelCorrection).toBe(false);
      const source = new ModelForecastSource(forecaster, 'week');
      expect(source.levelCorrection).toBe(false);
      const origin = set.holdoutStart + 60;
      const published = source.forecast(history, origin);
      const raw = forecaster.predict(history.zoneIds().map((z) => featureVector(history, z, origin, set.horizon)));
      history.zoneIds().forEach((z, i) => published.get(z)!.forEach((v, k) => expect(v).toBeCloseTo(raw[i][k], 9)));
      expect(source.lastCorrection).toBe(1);
      const some = set.test.slice(0, 50);
      expect(correctedPredictions(forecaster, history, some)).toEqual(forecaster.predict(some.map((s) => s.x)));
    } finally {
      forecaster.dispose();
    }
  });

  it('a model saved before the rule (no flag in its normalisation) keeps the correction', () => {
    const model = DemandForecaster.build(3, 2, 4, 1);
    const f = new DemandForecaster(model, { mean: [0, 0, 0], std: [1, 1, 1], yScale: 1, scaleIndex: -1, countIndices: [] }, 2, 3);
    try {
      expect(f.needsLevelCorrection).toBe(true);
    } finally {
      f.dispose();
    }
  });
});
