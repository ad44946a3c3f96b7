#!/usr/bin/env tsx
/**
 * `npm run bench:lab`: the lab's fidelity and speed on the default city (200 riders, 120 stores,
 * 16 zones). A 4-hour evening is recorded in process with the live dispatch policy; the 3-hour
 * window after its first hour is rebuilt from the recorded events and replayed with the same
 * policy; the KPIs of both and the replay's wall time are printed, at demand ×1 and ×2, for
 * three seeds (their mean and spread). Then, at ×2, rostering off / forecast / oracle.
 */
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
  const rec = recordCityRun({ seed: 'riderflow', riders: 200, stores: 120, zones: 16, startMs: start, durationMs: 4 * H, demandFactor: demand }, dispatchConfig());
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
  for (const name of ['off', 'forecast', 'oracle']) {
    const rostering = await resolveRostering(name);
    const t0 = Date.now();
    const lab = replayWindow(win, dispatchConfig(), SEEDS[0], undefined, rostering);
    const k = lab.kpis.total;
    console.log(
      `  demand ×2, rostering ${name}${rostering ? ` (${rostering.note})` : ''}, seed ${SEEDS[0]}: replay ${((Date.now() - t0) / 1000).toFixed(1)} s | click-to-door mean ${k.clickToDoorMeanMin.toFixed(2)} p90 ${k.clickToDoorP90Min.toFixed(2)} | ` +
        `on time ${(100 * k.onTimeShare).toFixed(1)} % | cancelled ${k.cancelled} | utilisation ${(100 * k.utilisation).toFixed(1)} %${lab.rostering ? ` | ${lab.rostering.plans} plans, ${lab.rostering.moves} moves, ${lab.rostering.ridersCalledIn} riders called in` : ''}`,
    );
  }
}
