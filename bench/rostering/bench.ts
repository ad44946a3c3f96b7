import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { saveModel, initBackend, formatMetricsTable, trainAndEvaluate, type DemandForecaster } from '@riderflow/rostering';
import { runRealtimeLoop } from './realtime-loop.js';
import { runSimLoop } from './sim-loop.js';
import type { LoopArm, LoopResult } from './loop-result.js';
import { formatArmSummary, formatCalibration, formatRiderHours } from './loop-summary.js';
import { formatDiagnostics } from './loop-diagnostics.js';
import { bucketOf, DemandHistory, generateSyntheticHistory } from '@riderflow/rostering/core';
import { simulatorHistory, type HistorySource } from './sim-history.js';

const program = new Command()
  .name('bench:rostering')
  .description('Forecast accuracy on the held-out last day vs the best baseline; closed-loop rostering on/off.')
  .option('--days <n>', 'days of history', (v) => Number.parseInt(v, 10), 14)
  .option('--seed <text>', 'simulator seed', 'bench')
  .option('--riders <n>', 'riders in the simulated city', (v) => Number.parseInt(v, 10), 200)
  .option('--epochs <n>', 'training epochs', (v) => Number.parseInt(v, 10), 30)
  .option('--synthetic', "use the package's own synthetic generator instead of the simulator")
  .option('--no-loop', 'skip the closed-loop comparison')
  .option('--loop-riders <n>', 'riders in the closed-loop city (same in both arms)', (v) => Number.parseInt(v, 10), 60)
  .option('--loop-demand <factor>', 'simulator demand multiplier in the closed loop (3: riders are the bottleneck)', Number, 3)
  .option('--loop-duration <d>', 'simulated length of each closed-loop arm (24h from 05:00: every hour of the day\'s shifts, which end by 04:45, falls inside it in every arm)', '24h')
  .option('--loop-start <iso>', 'simulated start of the closed loop (a Monday 05:00, before any shift, after 14 days of history)', '2025-03-17T05:00:00Z')
  .option('--real-time', 'run the closed loop in real time on embedded brokers (the old engine; load-dependent) instead of the deterministic in-process loop')
  .option('--loop-speed <n>', 'with --real-time: simulated seconds per wall second', Number, 400)
  .option('--loop-cancel-after <min>', 'minutes an order waits unassigned before it is cancelled (simulator default 20)', Number)
  .option('--loop-rostering-env <json>', 'rostering settings for the on arm, e.g. \'{"ROSTERING_BOOK_SHIFTS":"false"}\'')
  .option('--dispatch-policy <json>', 'dispatch policy overrides for both arms, e.g. \'{"prepositionEnabled":false}\'')
  .option('--no-forecast', 'skip the forecast benchmark')
  .option('--seeds <list>', 'closed-loop seeds, comma-separated (each: its own 14-day history and model)', 'bench,bench-2,bench-3,bench-4,bench-5')
  .option('--arms <list>', 'closed-loop arms, comma-separated: off, ml, oracle', 'off,ml,oracle')
  .option('--diagnostics', 'print where each arm\'s delivered orders\' time goes')
  .parse();
const o = program.opts<{
  days: number; seed: string; riders: number; epochs: number; synthetic?: boolean;
  loop: boolean; forecast: boolean; realTime?: boolean; seeds: string; arms: string; diagnostics?: boolean; dispatchPolicy?: string; loopRiders: number; loopDemand: number; loopDuration: string; loopStart: string; loopSpeed: number; loopCancelAfter?: number; loopRosteringEnv?: string;
}>();

// Bad input is refused here, before TensorFlow.js loads: an error thrown later surfaces through the
// WebAssembly backend's own exception handler as a page of minified code.
function refuse(message: string): never {
  console.error(`bench:rostering: ${message}`);
  process.exit(2);
}
for (const a of o.arms.split(',').map((x) => x.trim())) if (!['off', 'ml', 'oracle'].includes(a)) refuse(`--arms: unknown arm "${a}" (off, ml, oracle)`);
for (const [flag, json, example] of [['--dispatch-policy', o.dispatchPolicy, '{"prepositionEnabled":false}'], ['--loop-rostering-env', o.loopRosteringEnv, '{"ROSTERING_BOOK_SHIFTS":"false"}']] as const) {
  if (json === undefined) continue;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (err) {
    refuse(`${flag}: not JSON (${(err as Error).message}); e.g. '${example}'`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) refuse(`${flag}: must be a JSON object, e.g. '${example}'`);
}

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

async function forecastBenchmark(backend: string): Promise<void> {
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
  const best = m.baselines[m.bestBaseline];
  const gain = (best.mae - m.metrics.mae) / best.mae;
  console.log(`RESULT forecast: model MAE ${m.metrics.mae.toFixed(3)} vs best baseline ${m.bestBaseline} ${best.mae.toFixed(3)} → ${(gain * 100).toFixed(1)} % lower (target ≥ 20 %): ${gain >= 0.2 ? 'MET' : 'NOT MET'}`);
  run.forecaster.dispose();
}

if (o.forecast) await forecastBenchmark(backend);

if (o.loop) {
  console.log(o.realTime
    ? '\n== Closed loop at equal rider-hours: rostering off / on (ML forecast) / oracle (true demand), IN REAL TIME: simulator + dispatch [+ rostering] on fresh embedded brokers (load-dependent) =='
    : '\n== Closed loop at equal rider-hours: rostering off / on (ML forecast) / oracle (true demand), deterministic: the simulator, the dispatch core [+ rostering\'s round] in simulated time in this process (@riderflow/lab/closed-loop) ==');
  const seeds = o.seeds.split(',').map((x) => x.trim()).filter(Boolean);
  const arms = o.arms.split(',').map((x) => x.trim()) as LoopArm[];
  console.log(`seeds ${seeds.join(', ')}; arms ${arms.join(', ')}; ${o.loopRiders} riders, demand ×${o.loopDemand}, ${o.loopStart} + ${o.loopDuration}${o.realTime ? `, speed ×${o.loopSpeed}` : ''}, dispatch policy ${o.dispatchPolicy ?? 'default'}`);
  console.log('same riders, days off and hours in every arm; on/oracle: rostering books when the announced hours fall and sends moves and plan-checked call-ins; oracle: the same code given the day\'s true orders');
  const results: LoopResult[] = [];
  const header = `${'seed'.padEnd(8)} ${'arm'.padEnd(7)} ${'created'.padStart(7)} ${'delivered'.padStart(9)} ${'cancelled'.padStart(9)} ${'mean c2d'.padStart(9)} ${'p90 c2d'.padStart(8)} ${'≤40/created'.padStart(11)} ${'moves'.padStart(6)} ${'called in'.padStart(9)} ${'booked/ref'.padStart(10)} ${'rider-h'.padStart(8)} ${'rostered'.padStart(8)}`;
  const row = (seed: string, r: LoopResult) =>
    `${seed.padEnd(8)} ${r.arm.padEnd(7)} ${String(r.created).padStart(7)} ${String(r.delivered).padStart(9)} ${String(r.cancelled).padStart(9)} ${r.meanClickToDoorMin.toFixed(2).padStart(9)} ${r.p90ClickToDoorMin.toFixed(1).padStart(8)} ${(r.within40OfCreated * 100).toFixed(1).padStart(9)} % ${String(r.moves).padStart(6)} ${String(r.ridersCalledIn).padStart(9)} ${`${r.shiftsBooked}/${r.shiftBookingsRefused}`.padStart(10)} ${r.riderHoursInWindow.toFixed(1).padStart(8)} ${r.rosteredHoursInWindow.toFixed(1).padStart(8)}   ${r.simLagNote}`;
  const bySeed = new Map<string, LoopResult[]>();
  for (const seed of seeds) {
    const historyStart = new Date(Date.parse(o.loopStart) - 14 * 86_400_000).toISOString();
    const loopHistory = await simulatorHistory({ days: 14, seed, riders: o.loopRiders, startIso: historyStart, demandFactor: o.loopDemand });
    const h = new DemandHistory();
    loopHistory.forEach((e) => h.add(e));
    const modelsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-rostering-bench-models-'));
    try {
      let model: { forecaster: DemandForecaster; version: string } | undefined;
      if (arms.includes('ml')) {
        const trained = await trainAndEvaluate(h, { backend, epochs: o.epochs, lastBucket: bucketOf(loopHistory.endMs) - 1, version: `loop-${seed}` });
        if (o.realTime) {
          await saveModel(modelsDir, trained.forecaster, trained.metadata);
          trained.forecaster.dispose();
        } else {
          model = { forecaster: trained.forecaster, version: trained.metadata.version };
        }
        console.log(`seed ${seed}: model trained on ${loopHistory.label}: MAE ${trained.metadata.metrics.mae.toFixed(3)} vs ${trained.metadata.bestBaseline} ${trained.metadata.baselines[trained.metadata.bestBaseline].mae.toFixed(3)}`);
      }
      const rosteringEnv = o.loopRosteringEnv ? (JSON.parse(o.loopRosteringEnv) as Record<string, string>) : undefined;
      const base = {
        seed, riders: o.loopRiders, zones: 16, stores: 120, startIso: o.loopStart, duration: o.loopDuration, speed: o.loopSpeed,
        pingIntervalS: 15, demandFactor: o.loopDemand, cancelAfterMin: o.loopCancelAfter, dispatchPolicy: o.dispatchPolicy,
        rosteringEnv, modelsDir, backend: { backend, skipped }, history: loopHistory,
      };
      const simArgs = ['--seed', seed, '--riders', String(o.loopRiders), '--zones', '16', '--stores', '120', '--start', o.loopStart, '--duration', o.loopDuration,
        '--ping-interval', '15', '--demand', String(o.loopDemand), ...(o.loopCancelAfter !== undefined ? ['--cancel-after', String(o.loopCancelAfter)] : [])];
      const mine: LoopResult[] = [];
      try {
        for (const arm of arms) {
          const r = o.realTime ? await runRealtimeLoop(base, arm) : runSimLoop({ simArgs, dispatchPolicy: o.dispatchPolicy, rosteringEnv, history: loopHistory, model }, arm);
          mine.push(r);
          results.push(r);
          console.log(header);
          console.log(row(seed, r));
          if (o.diagnostics && r.diagnostics) console.log(formatDiagnostics(r.arm, r.diagnostics));
        }
      } finally {
        model?.forecaster.dispose();
      }
      bySeed.set(seed, mine);
    } finally {
      fs.rmSync(modelsDir, { recursive: true, force: true });
    }
  }
  console.log('\nper seed and arm:');
  console.log(header);
  for (const [seed, rs] of bySeed) for (const r of rs) console.log(row(seed, r));
  console.log(formatArmSummary(results, arms, seeds.length));
  console.log(formatRiderHours(bySeed));
  console.log(formatCalibration(results));
}
process.exit(0);
