import path from 'node:path';
import { Command } from 'commander';
import { TOPIC, type LogEvent, type RosterPlan } from '@riderflow/contracts';
import { createKafka, loadConfig } from '@riderflow/service-kit';
import { DEMAND_TOPICS, replayLog } from '../src/adapters/replay.js';
import { BASELINES, baselineForecast, type BaselineName } from '../src/core/baselines.js';
import { BUCKET_MS, bucketOf } from '../src/core/buckets.js';
import { DemandHistory } from '../src/core/demand-history.js';
import { featureVector } from '../src/core/features.js';
import { initBackend } from '../src/model/backend.js';
import { loadModel } from '../src/model/model-store.js';
import { ModelForecastSource } from '../src/model/forecast-source.js';
import { scaleRow } from '../src/model/forecaster.js';

// Why the live forecast is off, measured: for every plan a model published, the same model
// re-run on the complete log (what it would have said had every event of the origin's bucket
// been in when it planned), and each input feature's live mean in the model's own standardised
// units (0 = the training mean, ±1 = one training standard deviation). A feature far from 0 live
// is one the model meets outside what it learned.
//   KAFKA_BROKERS=127.0.0.1:19092 npx tsx services/rostering/bench/live-forecast-drift.ts --models-dir data/models
const program = new Command()
  .option('--models-dir <dir>', 'the platform\'s models dir (DATA_DIR/models)', path.join('data', 'models'))
  .option('--from <iso>', 'only plans whose window starts at or after this simulated time')
  .option('--model <dir>', 'score this model instead of the published ones, on the same plans (a retrain evaluated offline: train with --to, score from there)')
  .parse();
const o = program.opts<{ modelsDir: string; from?: string; model?: string }>();
await initBackend({ log: () => {} });
const kafka = createKafka(loadConfig(), 'rostering-live-drift');
const history = new DemandHistory();
const plans: RosterPlan[] = [];
let lastOrderTs = -Infinity;
await replayLog({
  kafka,
  topics: [...DEMAND_TOPICS, TOPIC.rosterPlans],
  onEvent: (e: LogEvent) => {
    if (e.type === 'roster.plan') plans.push(e);
    else history.add(e);
    if (e.type === 'order.created' && e.ts > lastOrderTs) lastOrderTs = e.ts;
  },
});
const from = o.from ? Date.parse(o.from) : -Infinity;
const byVersion = new Map<string, RosterPlan[]>();
for (const p of plans) {
  if (p.bucketStart < from || p.bucketStart + p.horizonMin * 60_000 > bucketOf(lastOrderTs) * BUCKET_MS) continue;
  const key = o.model ? path.resolve(o.model) : p.modelVersion;
  byVersion.set(key, [...(byVersion.get(key) ?? []), p]);
}
for (const [version, ps] of byVersion) {
  if (version.startsWith('baseline')) continue;
  const { forecaster, metadata } = await loadModel(o.model ? version : path.join(o.modelsDir, version));
  const names = metadata.featureNames;
  const drift = new Array(names.length).fill(0);
  let published = 0, rerun = 0, actual = 0, rows = 0, absRerun = 0, absPublished = 0, corrected = 0, absCorrected = 0;
  const source = new ModelForecastSource(forecaster, version);
  const absBase = Object.fromEntries(BASELINES.map((b) => [b, 0])) as Record<BaselineName, number>;
  for (const p of ps) {
    const origin = bucketOf(p.bucketStart) - 1;
    const steps = Math.round(p.horizonMin / 15);
    const withLevel = source.forecast(history, origin);
    for (const z of p.zones) {
      const x = featureVector(history, z.zoneId, origin, forecaster.horizon);
      const pred = forecaster.predict([x])[0];
      const f = pred.slice(0, steps).reduce((s, v) => s + v, 0);
      let a = 0;
      for (let i = 1; i <= steps; i++) a += history.orders(z.zoneId, origin + i);
      rerun += f;
      published += z.forecastOrders;
      actual += a;
      absRerun += Math.abs(f - a);
      absPublished += Math.abs(z.forecastOrders - a);
      const c = (withLevel.get(z.zoneId) ?? []).slice(0, steps).reduce((s, v) => s + v, 0);
      corrected += c;
      absCorrected += Math.abs(c - a);
      for (const b of BASELINES) absBase[b] += Math.abs(baselineForecast(b, history, z.zoneId, origin, steps).reduce((s, v) => s + v, 0) - a);
      const scaled = scaleRow(x, forecaster.norm);
      for (let j = 0; j < names.length; j++) drift[j] += (scaled[j] - forecaster.norm.mean[j]) / forecaster.norm.std[j];
      rows++;
    }
  }
  console.log(`${version}: ${ps.length} plans; Σ published ${published.toFixed(0)} (MAE ${(absPublished / rows).toFixed(3)}), Σ this model on the complete log ${rerun.toFixed(0)} (MAE ${(absRerun / rows).toFixed(3)}), Σ actual ${actual}`);
  console.log(`  the same with the level correction (ModelForecastSource): Σ ${corrected.toFixed(0)} (MAE ${(absCorrected / rows).toFixed(3)}, bias ${((corrected / actual - 1) * 100).toFixed(1)} %); raw bias ${((rerun / actual - 1) * 100).toFixed(1)} %`);
  console.log(`  baselines' MAE on the same windows: ${BASELINES.map((b) => `${b} ${(absBase[b] / rows).toFixed(3)}`).join(', ')}`);
  const order = names.map((n, j) => ({ n, d: drift[j] / rows, frozen: forecaster.norm.frozen?.includes(j) })).sort((a, b) => Math.abs(b.d) - Math.abs(a.d));
  console.log('  live mean of each feature in training standard deviations (largest first):');
  for (const f of order.slice(0, 14)) console.log(`    ${f.n.padEnd(26)} ${f.d >= 0 ? '+' : ''}${f.d.toFixed(2)}${f.frozen ? ' (frozen)' : ''}`);
  source.dispose();
}
process.exit(0);
