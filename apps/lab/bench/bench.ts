#!/usr/bin/env tsx
/**
 * `npm run bench:lab`: the lab's fidelity and speed on the default city (200 riders, 120 stores,
 * 16 zones). A 4-hour evening is recorded in process with the live dispatch policy; the 3-hour
 * window after its first hour is rebuilt from the recorded events and replayed with the same
 * policy; the KPIs of both and the replay's wall time are printed, at demand ×1 and ×2.
 */
import { dispatchConfig } from '@riderflow/dispatch/core';
import { relativeDiff } from '../src/kpis.js';
import { recordedKpis, replayWindow } from '../src/lab-run.js';
import { recordCityRun } from '../src/record-city.js';
import { rebuildWindow } from '../src/recorded-window.js';

const H = 3_600_000;
const start = Date.parse('2025-03-03T16:00:00Z');
const pct = (v: number) => `${v >= 0 ? '+' : ''}${(100 * v).toFixed(2)} %`;
for (const demand of [1, 2]) {
  const rec = recordCityRun({ seed: 'riderflow', riders: 200, stores: 120, zones: 16, startMs: start, durationMs: 4 * H, demandFactor: demand }, dispatchConfig());
  const t0 = Date.now();
  const win = rebuildWindow(rec, start + H, start + 4 * H);
  const lab = replayWindow(win, dispatchConfig(), 'lab');
  const wallS = (Date.now() - t0) / 1000;
  const r = recordedKpis(win).total, l = lab.kpis.total;
  console.log(
    `demand ×${demand}, window 17:00–20:00Z: rebuild + replay ${wallS.toFixed(1)} s | ` +
      `click-to-door mean ${r.clickToDoorMeanMin.toFixed(2)} → ${l.clickToDoorMeanMin.toFixed(2)} min (${pct(relativeDiff(r.clickToDoorMeanMin, l.clickToDoorMeanMin))}) | ` +
      `p90 ${r.clickToDoorP90Min.toFixed(2)} → ${l.clickToDoorP90Min.toFixed(2)} | cancelled ${r.cancelled} → ${l.cancelled} (${pct(relativeDiff(r.cancelled, l.cancelled))}) | ` +
      `delivered ${r.delivered} → ${l.delivered} of ${r.created} | utilisation ${(100 * r.utilisation).toFixed(1)} → ${(100 * l.utilisation).toFixed(1)} % | distance ${r.distanceKm.toFixed(0)} → ${l.distanceKm.toFixed(0)} km`,
  );
}
