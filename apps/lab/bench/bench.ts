#!/usr/bin/env tsx
/**
 * `npm run bench:lab`: the lab's fidelity and speed on the default city (200 riders, 120 stores,
 * 16 zones). A 4-hour evening is recorded in process with the live dispatch policy; the 3-hour
 * window after its first hour is rebuilt from the recorded events and replayed with the same
 * policy; the KPIs of both and the replay's wall time are printed, at demand ×1 and ×2, for
 * three seeds (their mean and spread). Then, at ×2, rostering off / forecast (best baseline, and a
 * model trained here with the rostering package's own training) / oracle. At ×2 the recording
 * starts, as a first `npm start` does, with four days of statistical history: the day-ahead
 * forecast of rostering's day bookings and the model's training need it (the live part, and so
 * the fidelity figures, are the same with or without it).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { initBackend, saveModel, trainAndEvaluate } from '@riderflow/rostering';
import { bucketOf, DemandHistory } from '@riderflow/rostering/core';
import { dispatchConfig } from '@riderflow/dispatch/core';
import { relativeDiff, type Kpis } from '../src/kpis.js';
import { recordedKpis, replayWindow } from '../src/lab-run.js';
import { recordCityRun } from '../src/record-city.js';
import { rebuildWindow } from '../src/recorded-window.js';
import { resolveRostering } from '../src/rostering-policies.js';

const H = 3_600_000;
const SEEDS = ['lab-1', 'lab-2', 'lab-3'];
const start = Date.parse('2025-03-03T16:00:00Z');
const pct = (v: number) => `${v >= 0 ? '+' : ''}${(100 * v).toFixed(2)} %`;
const spread = (ks: Kpis[], f: (k: Kpis) => number, digits: number) => {
  const vs = ks.map(f);
  const mean = vs.reduce((s, v) => s + v, 0) / vs.length;
  return { mean, text: `${mean.toFixed(digits)} [${Math.min(...vs).toFixed(digits)}–${Math.max(...vs).toFixed(digits)}]` };
};
for (const demand of [1, 2]) {
  const rec = recordCityRun({ seed: 'riderflow', riders: 200, stores: 120, zones: 16, startMs: start, durationMs: 4 * H, demandFactor: demand, ...(demand === 2 ? { historyMs: 4 * 24 * H } : {}) }, dispatchConfig());
  const win = rebuildWindow(rec, start + H, start + 4 * H);
  const r = recordedKpis(win).total;
  const runs = SEEDS.map((seed) => {
    const t0 = Date.now();
    const lab = replayWindow(rebuildWindow(rec, start + H, start + 4 * H), dispatchConfig(), seed);
    return { k: lab.kpis.total, wallS: (Date.now() - t0) / 1000 };
  });
  const ks = runs.map((x) => x.k);
  const c2d = spread(ks, (k) => k.clickToDoorMeanMin, 2), p90 = spread(ks, (k) => k.clickToDoorP90Min, 2), canc = spread(ks, (k) => k.cancelled, 1);
  const util = spread(ks, (k) => 100 * k.utilisation, 1), dist = spread(ks, (k) => k.distanceKm, 0), del = spread(ks, (k) => k.delivered, 1);
  console.log(
    `demand ×${demand}, window 17:00–20:00Z, live policy, seeds ${SEEDS.join(' ')}: rebuild + replay ${runs.map((x) => x.wallS.toFixed(1)).join(' / ')} s | ` +
      `click-to-door mean ${r.clickToDoorMeanMin.toFixed(2)} → ${c2d.text} min (mean ${pct(relativeDiff(r.clickToDoorMeanMin, c2d.mean))}) | ` +
      `p90 ${r.clickToDoorP90Min.toFixed(2)} → ${p90.text} | cancelled ${r.cancelled} → ${canc.text} (mean ${pct(relativeDiff(r.cancelled, canc.mean))}) | ` +
      `delivered ${r.delivered} → ${del.text} of ${r.created} | utilisation ${(100 * r.utilisation).toFixed(1)} → ${util.text} % | distance ${r.distanceKm.toFixed(0)} → ${dist.text} km`,
  );
  if (demand !== 2) continue;
  // A small model, trained on the history before the replay, as `npm run train` would (few epochs: a bench, not a study).
  const modelsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-lab-bench-models-'));
  const t0 = Date.now();
  const history = new DemandHistory();
  for (const e of win.before) history.add(e);
  const trained = await trainAndEvaluate(history, { backend: (await initBackend()).backend, epochs: 10, version: 'v-bench', lastBucket: bucketOf(win.replayFromMs) - 1 });
  await saveModel(modelsDir, trained.forecaster, trained.metadata);
  trained.forecaster.dispose();
  console.log(`  trained model v-bench in ${((Date.now() - t0) / 1000).toFixed(1)} s: MAE ${trained.metadata.metrics.mae.toFixed(3)} on the held-out day (best baseline ${trained.metadata.bestBaseline} ${trained.metadata.baselines[trained.metadata.bestBaseline]?.mae.toFixed(3)})`);
  for (const [name, modelsAt] of [['off', undefined], ['forecast', '/nonexistent/models'], ['forecast', modelsDir], ['oracle', undefined]] as const) {
    const rostering = await resolveRostering(name, modelsAt ? { modelsDir: modelsAt } : {});
    const t0 = Date.now();
    const lab = replayWindow(win, dispatchConfig(), SEEDS[0], undefined, rostering);
    const k = lab.kpis.total;
    console.log(
      `  demand ×2, rostering ${name}${rostering ? ` (${rostering.note})` : ''}, seed ${SEEDS[0]}: replay ${((Date.now() - t0) / 1000).toFixed(1)} s | click-to-door mean ${k.clickToDoorMeanMin.toFixed(2)} p90 ${k.clickToDoorP90Min.toFixed(2)} | ` +
        `on time ${(100 * k.onTimeShare).toFixed(1)} % | cancelled ${k.cancelled} | utilisation ${(100 * k.utilisation).toFixed(1)} %${lab.rostering ? ` | ${lab.rostering.plans} plans, ${lab.rostering.moves} moves, ${lab.rostering.ridersCalledIn} riders called in, day bookings ${lab.rostering.bookingsTaken} of ${lab.rostering.bookingsSent} taken (${lab.rostering.bookingsMoved} moved a start)${lab.rostering.refusals.map((r) => `; ${r.count} × ${r.reason}`).join('')}` : ''}`,
    );
  }
  fs.rmSync(modelsDir, { recursive: true, force: true });
}
