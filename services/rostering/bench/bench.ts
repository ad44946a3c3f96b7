import { Command } from 'commander';
import { bucketOf } from '../src/core/buckets.js';
import { DemandHistory } from '../src/core/demand-history.js';
import { initBackend } from '../src/model/backend.js';
import { generateSyntheticHistory } from '../src/synthetic/demand-generator.js';
import { formatMetricsTable, trainAndEvaluate } from '../src/training.js';
import { simulatorHistory, type HistorySource } from './sim-history.js';

const program = new Command()
  .name('bench:rostering')
  .description('Forecast accuracy on the held-out last day vs the best baseline; closed-loop rostering on/off.')
  .option('--days <n>', 'days of history', (v) => Number.parseInt(v, 10), 14)
  .option('--seed <text>', 'simulator seed', 'bench')
  .option('--riders <n>', 'riders in the simulated city', (v) => Number.parseInt(v, 10), 200)
  .option('--epochs <n>', 'training epochs', (v) => Number.parseInt(v, 10), 30)
  .option('--synthetic', "use the package's own synthetic generator instead of the simulator")
  .parse();
const o = program.opts<{ days: number; seed: string; riders: number; epochs: number; synthetic?: boolean }>();

async function historySource(): Promise<HistorySource> {
  if (!o.synthetic) {
    try {
      return await simulatorHistory({ days: o.days, seed: o.seed, riders: o.riders });
    } catch (err) {
      console.log(`simulator unavailable (${(err as Error).message.split('\n')[0]}); using the synthetic generator`);
    }
  }
  const syn = generateSyntheticHistory({ days: o.days, zones: 8 });
  return {
    label: `synthetic generator (services/rostering/src/synthetic, ${o.days} days, 8 zones)`,
    startMs: syn.startMs,
    endMs: syn.endMs,
    forEach: (fn) => syn.events.forEach(fn),
  };
}

const { backend, skipped } = await initBackend();
console.log(`TensorFlow.js backend: ${backend}${skipped.length ? ` (skipped: ${skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ')})` : ''}`);

console.log('\n== Forecast: model vs baselines on the held-out last simulated day ==');
const source = await historySource();
const t0 = Date.now();
const history = new DemandHistory();
source.forEach((e) => history.add(e));
const genSeconds = (Date.now() - t0) / 1000;
console.log(`history: ${source.label}: ${history.eventsSeen} events used in ${genSeconds.toFixed(1)} s`);
const t1 = Date.now();
const run = await trainAndEvaluate(history, { backend, epochs: o.epochs, lastBucket: bucketOf(source.endMs) - 1, version: 'bench' });
const m = run.metadata;
console.log(`training set: ${m.trainedOn.trainSamples} zone-origins, ${m.featureNames.length} features, ${m.horizon} outputs; trained in ${m.trainSeconds.toFixed(1)} s (${((Date.now() - t1) / 1000).toFixed(1)} s with features)`);
console.log(formatMetricsTable(m));
const best = m.metrics.baselines[m.bestBaseline];
const gain = (best.mae - m.metrics.model.mae) / best.mae;
console.log(`RESULT forecast: model MAE ${m.metrics.model.mae.toFixed(3)} vs best baseline ${m.bestBaseline} ${best.mae.toFixed(3)} → ${(gain * 100).toFixed(1)} % lower (target ≥ 20 %): ${gain >= 0.2 ? 'MET' : 'NOT MET'}`);
run.forecaster.dispose();
