import { describe, expect, it } from 'vitest';
import type { LogEvent } from '@riderflow/contracts';
import { dispatchConfig } from '@riderflow/dispatch/core';
import { recordedKpis, replayWindow } from '../src/lab-run.js';
import { recordCityRun } from '../src/record-city.js';
import { rebuildWindow } from '../src/recorded-window.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

/** Orders placed in [fromMs, toMs − 45 min) that neither were delivered nor cancelled before toMs. */
function leftOpen(events: readonly LogEvent[], fromMs: number, toMs: number): string[] {
  const placed = new Set<string>();
  const ended = new Set<string>();
  for (const e of events) {
    if (e.ts >= toMs) continue;
    if (e.type === 'order.created' && e.placedAt >= fromMs && e.placedAt < toMs - 45 * MIN) placed.add(e.orderId);
    if (e.type === 'order.delivered' || e.type === 'order.cancelled') ended.add(e.orderId);
  }
  return [...placed].filter((id) => !ended.has(id)).sort();
}

// What a first `npm start` records: hours of statistical history, then the live simulator starts
// (announcing again every shift under way, its riders idle; the history's open orders never end in
// the log) and dispatch decides. A window opening 30 minutes after that start, replayed with the
// default 60-minute warm-up, used to reach back into the history: its open orders were replayed,
// never ready and never cancelled, and every rider sent to one waited at the store for good with
// everything queued behind it (on a real recording, 18 orders of the window's first hour).
describe('a warm-up never reaches back before the simulator that recorded the window started', () => {
  it('replays from the live start, and the window\'s orders end as they did in the recording', () => {
    const start = Date.parse('2025-03-03T11:45:00Z');
    const rec = recordCityRun({ seed: 'lab-handover', riders: 60, stores: 20, zones: 9, startMs: start, durationMs: 3 * HOUR, demandFactor: 2, historyMs: 6 * HOUR }, dispatchConfig());
    // The situation of the real recording: history orders still open at the live start.
    const endedInLog = new Set(rec.filter((e) => e.type === 'order.delivered' || e.type === 'order.cancelled').map((e) => (e as { orderId: string }).orderId));
    const orphans = rec.filter((e) => e.type === 'order.created' && e.placedAt < start && !endedInLog.has(e.orderId));
    expect(orphans.length).toBeGreaterThan(0);

    const fromMs = start + 30 * MIN, toMs = start + 3 * HOUR;
    const win = rebuildWindow(rec, fromMs, toMs);
    expect(win.replayFromMs).toBe(start);
    expect(win.simulatorStartMs).toBe(start);
    expect(win.orders.every((o) => o.placedAt >= start)).toBe(true);

    const lab = replayWindow(win, dispatchConfig(), 'lab');
    const recorded = recordedKpis(win).total, replayed = lab.kpis.total;
    const recOpen = leftOpen(rec, fromMs, toMs), labOpen = leftOpen(lab.events, fromMs, toMs);
    console.log(`history then live start: ${orphans.length} history orders open at the start; delivered recorded ${recorded.delivered}, lab ${replayed.delivered} of ${recorded.created}; ` +
      `cancelled ${recorded.cancelled} vs ${replayed.cancelled}; placed 45+ min before the end and left open: recorded ${recOpen.length}, lab ${labOpen.length} ${labOpen.slice(0, 5).join(' ')}`);
    expect(replayed.created).toBe(recorded.created);
    expect(labOpen).toEqual(recOpen);
    expect(Math.abs(replayed.delivered - recorded.delivered)).toBeLessThanOrEqual(Math.max(2, 0.03 * recorded.delivered));
  }, 300_000);

  it('with no restart in the log, the warm-up is the one asked for', () => {
    const start = Date.parse('2025-03-03T11:45:00Z');
    const rec = recordCityRun({ seed: 'lab-handover', riders: 30, stores: 10, zones: 9, startMs: start, durationMs: 2 * HOUR }, dispatchConfig());
    const win = rebuildWindow(rec, start + 90 * MIN, start + 2 * HOUR, 60 * MIN);
    expect(win.replayFromMs).toBe(start + 30 * MIN);
    expect(win.simulatorStartMs).toBe(-Infinity);
  }, 300_000);
});
