import { Command } from 'commander';
import { initBackend, ModelForecastSource, trainAndEvaluate } from '@riderflow/rostering';
import { BASELINES, baselineForecast, bucketOf, DemandHistory, featureVector, type BaselineName } from '@riderflow/rostering/core';
import { simulatorHistory } from './sim-history.js';

// The first model of `npm start`, offline and in seconds: history mode for SIM_HISTORY_DAYS
// before SIM_START, the model trained on it exactly as the platform's first start does, then
// scored on the simulated hours after SIM_START the way the live measurement scores
// roster.plans (every 15 minutes, every zone, orders over the next 45 minutes, against the
// baselines computed the same way). History mode draws the same demand as the live city (the
// simulator's history-live-demand test), so this is the live forecast without rostering's
// feedback on the fleet. `npm run rostering:forecast-truth` measures the real thing.
const program = new Command()
  .name('first-start-forecast')
  .option('--history-days <n>', 'SIM_HISTORY_DAYS', Number, 3)
  .option('--start <iso>', 'SIM_START', '2025-03-03T11:45:00Z')
  .option('--hours <n>', 'simulated hours scored after the start', Number, 8.25)
  .option('--seed <text>', 'SIM_SEED', 'riderflow')
  .option('--riders <n>', 'SIM_RIDERS', Number, 120)
  .option('--demand <x>', 'SIM_DEMAND', Number, 1.5)
  .option('--epochs <n>', 'training epochs (the platform trains with 30)', Number, 30)
  .option('--no-level-correction', 'the raw model, without the level correction the service applies')
  .parse();
const o = program.opts<{ levelCorrection: boolean; historyDays: number; start: string; hours: number; seed: string; riders: number; demand: number; epochs: number }>();

const start = Date.parse(o.start);
const source = await simulatorHistory({ days: o.historyDays + o.hours / 24, seed: o.seed, riders: o.riders, demandFactor: o.demand, startIso: new Date(start - o.historyDays * 86_400_000).toISOString() });
const before = new DemandHistory();
const all = new DemandHistory();
source.forEach((e) => {
  all.add(e);
  if (e.ts < start) before.add(e);
});
const { backend } = await initBackend({ log: () => {} });
const t0 = Date.now();
const run = await trainAndEvaluate(before, { backend, epochs: o.epochs, version: 'first-start' });
console.log(`history ${o.historyDays} d before ${o.start}; trained in ${((Date.now() - t0) / 1000).toFixed(1)} s on ${run.set.train.length} samples; held-out MAE ${run.metadata.metrics.mae.toFixed(3)} vs ${run.metadata.bestBaseline} ${run.metadata.baselines[run.metadata.bestBaseline].mae.toFixed(3)}`);

const STEPS = 3;
const zones = all.zoneIds();
let n = 0, abs = 0, f = 0, a = 0;
const bAbs = Object.fromEntries(BASELINES.map((b) => [b, 0])) as Record<BaselineName, number>;
const bSum = Object.fromEntries(BASELINES.map((b) => [b, 0])) as Record<BaselineName, number>;
const hourly = new Map<number, { f: number; a: number; abs: number; n: number; bAbs: Record<BaselineName, number> }>();
const first = bucketOf(start) - 1;
const last = bucketOf(start + o.hours * 3_600_000) - 1 - STEPS;
// The service's own forecast source (level correction included), or the bare network.
const live = new ModelForecastSource(run.forecaster, 'first-start');
for (let origin = first; origin <= last; origin++) {
  const forecasts = o.levelCorrection ? live.forecast(all, origin) : null;
  const preds = forecasts ? zones.map((z) => forecasts.get(z)!) : run.forecaster.predict(zones.map((z) => featureVector(all, z, origin, run.set.horizon)));
  const hour = Math.floor(((origin + 1) * 900_000) / 3_600_000) * 3_600_000;
  const h = hourly.get(hour) ?? { f: 0, a: 0, abs: 0, n: 0, bAbs: Object.fromEntries(BASELINES.map((b) => [b, 0])) as Record<BaselineName, number> };
  hourly.set(hour, h);
  zones.forEach((z, i) => {
    const fc = preds[i].slice(0, STEPS).reduce((s, v) => s + v, 0);
    let ac = 0;
    for (let k = 1; k <= STEPS; k++) ac += all.orders(z, origin + k);
    n++; abs += Math.abs(fc - ac); f += fc; a += ac;
    h.n++; h.abs += Math.abs(fc - ac); h.f += fc; h.a += ac;
    for (const b of BASELINES) {
      const bf = baselineForecast(b, all, z, origin, STEPS).reduce((s, v) => s + v, 0);
      bAbs[b] += Math.abs(bf - ac); bSum[b] += bf; h.bAbs[b] += Math.abs(bf - ac);
    }
  });
}
const best = BASELINES.reduce((x, y) => (bAbs[y] < bAbs[x] ? y : x));
const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %`;
for (const [hour, h] of hourly) console.log(`  ${new Date(hour).toISOString().slice(0, 16)}  forecast ${h.f.toFixed(0).padStart(4)} actual ${h.a.toFixed(0).padStart(4)}  MAE ${(h.abs / h.n).toFixed(3)} vs ${(h.bAbs[best] / h.n).toFixed(3)}  bias ${pct(h.f / h.a - 1)}`);
console.log(`live span ${o.hours} h: MAE ${(abs / n).toFixed(3)} vs best baseline ${best} ${(bAbs[best] / n).toFixed(3)} = ${(abs / n / (bAbs[best] / n)).toFixed(2)}×; bias ${pct(f / a - 1)}; baselines: ${BASELINES.map((b) => `${b} ${(bAbs[b] / n).toFixed(3)} (${pct(bSum[b] / a - 1)})`).join(', ')}`);
process.exit(0);
