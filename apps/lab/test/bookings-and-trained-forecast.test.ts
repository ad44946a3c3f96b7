import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogEvent, RosterShift } from '@riderflow/contracts';
import { dispatchConfig } from '@riderflow/dispatch/core';
import { initBackend, saveModel, trainAndEvaluate } from '@riderflow/rostering';
import { bucketOf, DemandHistory } from '@riderflow/rostering/core';
import { Simulation } from '@riderflow/simulator';
import { replayWindow } from '../src/lab-run.js';
import { recordCityRun } from '../src/record-city.js';
import { rebuildWindow, type RecordedWindow } from '../src/recorded-window.js';
import { resolveRostering } from '../src/rostering-policies.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const MIN = 60_000;
const HOUR = 60 * MIN;

// A recording as a first `npm start` makes it: days of statistical history (the simulator's
// history mode), then the city dispatched live from 09:00. The riders announce today's hours at
// 09:00, inside the replay, so rostering's day booking falls in the window — and the history gives
// its day-ahead forecast (yesterday) and the forecast model its training days.
const start = Date.parse('2025-03-06T09:00:00Z');
let rec: LogEvent[];
let win: RecordedWindow;
let modelsDir: string;

beforeAll(() => {
  rec = recordCityRun({ seed: 'lab-book', riders: 60, stores: 20, zones: 9, startMs: start, durationMs: 4 * HOUR, demandFactor: 2, historyMs: 4 * 24 * HOUR }, dispatchConfig());
  win = rebuildWindow(rec, start + 30 * MIN, start + 4 * HOUR, 30 * MIN);
  modelsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-lab-models-'));
}, 300_000);
afterAll(() => { if (modelsDir) fs.rmSync(modelsDir, { recursive: true, force: true }); });

describe('day bookings in a replay', () => {
  it('rostering\'s bookings of riders announced in the replay move their recorded shifts (the simulator\'s own booking path), and say why the others could not act', async () => {
    expect(win.availability.length).toBeGreaterThan(10);
    const res = replayWindow(win, dispatchConfig(), 's1', undefined, await resolveRostering('forecast', { modelsDir: '/nonexistent/models' }));
    const st = res.rostering!;
    console.log(`bookings: ${JSON.stringify(st)}`);
    expect(st.bookingsSent).toBeGreaterThan(0);
    expect(st.bookingsTaken).toBeGreaterThan(0);
    expect(st.bookingsMoved).toBeGreaterThan(0);
    expect(st.bookingsTaken + st.bookingsRefused).toBe(st.bookingsSent);
    expect(st.refusals.reduce((n, r) => n + r.count, 0)).toBe(st.bookingsRefused);
    // Riders whose shift begins after the recording ends cannot be moved inside it: said, not dropped.
    for (const r of st.refusals) expect(r.reason).toMatch(/holds no shift of a rider on 2025-03-06 that began before this run ends|already begun/);
    // A moved booking shows: the rider starts at the booked time, not the recorded one (unless called in earlier).
    const plan = res.events.find((e): e is Extract<LogEvent, { type: 'roster.shift_plan' }> => e.type === 'roster.shift_plan');
    expect(plan).toBeDefined();
    const started = new Map<string, number>();
    for (const e of res.events) if (e.type === 'rider.shift_started' && !started.has(e.riderId)) started.set(e.riderId, e.ts);
    const moved = plan!.shifts.filter((sh) => win.shifts.get(sh.riderId) && win.shifts.get(sh.riderId)!.shift.start !== sh.start && sh.start < win.toMs);
    expect(moved.length).toBeGreaterThan(0);
    const startedAsBooked = moved.filter((sh) => started.get(sh.riderId) === sh.start);
    expect(startedAsBooked.length).toBeGreaterThan(0);
    for (const sh of startedAsBooked) expect(started.get(sh.riderId)).not.toBe(win.shifts.get(sh.riderId)!.shift.start);
  }, 300_000);

  it('outside the lab a script stays fixed: the simulator refuses bookings of MDRP-style shifts', () => {
    const [riderId, { shift }] = [...win.shifts].find(([, s]) => s.shift.start > win.replayFromMs + HOUR)!;
    const day = Date.UTC(2025, 2, 6);
    const req: RosterShift = { type: 'roster.shift', v: 1, id: 'b1', ts: 0, riderId, day, start: shift.start + 30 * MIN, end: shift.end + 30 * MIN, planId: 'p' };
    const make = (rosterScriptedShifts: boolean) => new Simulation(win.world, { seed: 's', startMs: win.replayFromMs, endMs: win.toMs, pingIntervalMs: 5_000, cancelAfterMs: win.cancelAfterMs, weather: false, scriptedOrders: win.orders, scriptedShifts: win.shifts, rosterScriptedShifts });
    expect(make(false).bookShift(req)).toBe('shifts are fixed in this scenario');
    const lab = make(true);
    expect(lab.bookShift(req)).toBeNull();
    expect(lab.shiftStartOn(riderId, day)).toBe(shift.start + 30 * MIN);
    // Other hours than the rider's own are refused, as live.
    expect(lab.bookShift({ ...req, end: req.end + HOUR })).toMatch(/works \d+(\.\d+)? h on 2025-03-06/);
  }, 300_000);
});

describe('--rostering forecast with a trained model', () => {
  it('trains a small model with the rostering package\'s own training on the recorded history, and the replay plans with it and says so', async () => {
    const { backend } = await initBackend();
    const history = new DemandHistory();
    for (const e of win.before) history.add(e);
    // The history before the replay: four days of statistical history and the first half hour live.
    const run = await trainAndEvaluate(history, { backend, epochs: 3, version: 'v-lab-test', lastBucket: bucketOf(win.replayFromMs) - 1 });
    try {
      await saveModel(modelsDir, run.forecaster, run.metadata);
    } finally {
      run.forecaster.dispose();
    }
    const forecast = await resolveRostering('forecast', { modelsDir });
    expect(forecast!.note).toBe('forecast: model v-lab-test');
    // The CLI loads it too, in a fresh process (no TensorFlow.js backend chosen by anyone before it).
    const fresh = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e',
      `import { resolveRostering } from './apps/lab/src/rostering-policies.ts'; process.stdout.write((await resolveRostering('forecast', { modelsDir: ${JSON.stringify(modelsDir)} })).note);`], { cwd: repo, encoding: 'utf8', timeout: 180_000 });
    expect(fresh.stdout, fresh.stderr).toBe('forecast: model v-lab-test');
    const res = replayWindow(win, dispatchConfig(), 's1', undefined, forecast);
    const plans = res.events.filter((e): e is Extract<LogEvent, { type: 'roster.plan' }> => e.type === 'roster.plan');
    expect(plans.length).toBeGreaterThanOrEqual(12);
    expect(plans.every((p) => p.modelVersion === 'v-lab-test')).toBe(true);
    // The model's forecast is not the baseline's: the plans differ from the fallback's.
    const base = replayWindow(win, dispatchConfig(), 's1', undefined, await resolveRostering('forecast', { modelsDir: '/nonexistent/models' }));
    const needed = (evs: LogEvent[]) => evs.filter((e) => e.type === 'roster.plan').map((e) => (e.type === 'roster.plan' ? e.zones.map((z) => z.forecastOrders.toFixed(2)).join() : '')).join('|');
    expect(needed(res.events)).not.toBe(needed(base.events));
    console.log(`trained model v-lab-test (${run.metadata.trainedOn.trainSamples} samples, MAE ${run.metadata.metrics.mae.toFixed(3)}): cancelled ${res.kpis.total.cancelled}, on time ${res.kpis.total.onTimeShare.toFixed(3)}; baseline: ${base.kpis.total.cancelled}, ${base.kpis.total.onTimeShare.toFixed(3)}`);
  }, 300_000);
});
