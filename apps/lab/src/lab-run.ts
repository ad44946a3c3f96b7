import type { LogEvent } from '@riderflow/contracts';
import type { DispatchConfig } from '@riderflow/dispatch/core';
import { Simulation } from '@riderflow/simulator';
import { runClosedLoop } from './closed-loop.js';
import { computeKpis, type KpiReport } from './kpis.js';
import type { RecordedWindow } from './recorded-window.js';
import { drawUnrecorded } from './remaining-randomness.js';
import { RosteringDriver, type RosteringStats } from './rostering-driver.js';
import type { LabRostering } from './rostering-policies.js';

export interface ReplayResult {
  seed: string;
  kpis: KpiReport;
  /** Every event the replay produced (world, decisions, answers), in log order. */
  events: LogEvent[];
  wallMs: number;
  /** What rostering did (absent when it was off). */
  rostering?: RosteringStats;
}

/**
 * Re-runs a recorded window in a sandbox (from its warm-up start, so riders are mid-job when the
 * window opens, as they were): the recorded orders, shifts and weather, the simulator's
 * own rider behaviour, the given dispatch policy deciding and, when given, rostering's round. The
 * seed draws what the log never showed (remaining-randomness.ts) and where called-in riders start
 * (the simulator's own draw). Pure and deterministic per seed: no I/O.
 */
export function replayWindow(win: RecordedWindow, policy: DispatchConfig, seed: string, onProgress?: (simNowMs: number) => void, rostering?: LabRostering | null): ReplayResult {
  const t0 = Date.now();
  const sim = new Simulation(win.world, {
    seed,
    startMs: win.replayFromMs,
    endMs: win.toMs,
    pingIntervalMs: win.pingIntervalMs,
    cancelAfterMs: win.cancelAfterMs,
    weather: false,
    scriptedOrders: drawUnrecorded(win, seed),
    scriptedShifts: win.shifts,
    scriptedWeather: win.weather,
    rosterScriptedShifts: true,
    scriptedAvailability: win.availability,
  });
  // What the live service knew when the replay starts: the log before it. Except the riders'
  // announcements of their hours: those days were booked (or not) by the recorded run, and the
  // recorded shifts are that booking; the lab's policy books the days announced in the replay.
  const before = (fold: (e: LogEvent) => void) => { for (const e of win.before) if (e.type !== 'rider.availability') fold(e); };
  const driver = rostering ? new RosteringDriver(rostering.settings, rostering.forecastFor(win), before) : undefined;
  const events: LogEvent[] = [];
  runClosedLoop(sim, policy, { onEvents: (evs) => { for (const e of evs) events.push(e); }, onStep: onProgress, rostering: driver });
  return { seed, kpis: computeKpis(events, win.fromMs, win.toMs), events, wallMs: Date.now() - t0, ...(driver ? { rostering: driver.stats } : {}) };
}

/** KPIs of the recorded run over the same window, by the same rules. */
export function recordedKpis(win: RecordedWindow): KpiReport {
  return computeKpis(win.events, win.fromMs, win.toMs);
}
