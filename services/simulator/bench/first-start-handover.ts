#!/usr/bin/env tsx
// What a first start's hand-over does, on the engine alone (no brokers): the history `npm start`
// writes (its arguments, default settings), a digest of its events (the training data: the same
// digest before and after a change that must not touch them), and a simulated hour of the live run
// that takes it over, without a dispatcher: how each order the history left in flight ended.
// `npx tsx services/simulator/bench/first-start-handover.ts [seed ...]` (default seed riderflow).
import { createHash } from 'node:crypto';
import type { LogEvent } from '@riderflow/contracts';
import { buildProgram, resolveOptions } from '../src/cli/options.js';
import { formatTakeOver } from '../src/engine/history-handover.js';
import { Simulation } from '../src/engine/simulation.js';
import { inFlightOrders } from '../src/engine/stranded-orders.js';
import { buildScenario } from '../src/scenario.js';

const START = '2025-03-03T11:45:00Z'; // npm start's SIM_START; 3 days of history (SIM_HISTORY_DAYS) before it
const options = (seed: string, args: string[]) => {
  const p = buildProgram({});
  p.parse(['--riders', '120', '--seed', seed, '--demand', '1.5', ...args], { from: 'user' });
  return resolveOptions(p, {});
};

for (const seed of process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['riderflow']) {
  const h = buildScenario(options(seed, ['--history', '--days', '3', '--start', new Date(Date.parse(START) - 3 * 86_400_000).toISOString()]));
  const history = new Simulation(h.world, h.settings);
  const events: LogEvent[] = [];
  history.advance(h.settings.endMs, events);
  const digest = createHash('sha256').update(JSON.stringify(events)).digest('hex').slice(0, 16);
  const handover = history.historyHandover({ seed, riders: 120, stores: 120, zones: 16 });
  const onLog = inFlightOrders(events, h.settings.endMs).length;
  const startMs = events.reduce((m, e) => Math.max(m, e.ts), 0) + 1_000; // as npm start does: one second after the newest record
  const l = buildScenario(options(seed, ['--start', new Date(startMs).toISOString(), '--duration', '1h']));
  const live = new Simulation(l.world, { ...l.settings, takeOver: handover });
  const out: LogEvent[] = [];
  live.advance(l.settings.endMs, out);
  const handed = new Set(handover.orders.map((o) => o.plan.id));
  const ends: Record<string, number> = {};
  for (const e of out) {
    if (!('orderId' in e) || !handed.has(e.orderId)) continue;
    if (e.type === 'order.delivered') ends.delivered = (ends.delivered ?? 0) + 1;
    if (e.type === 'order.cancelled') ends[`cancelled ${e.reason}`] = (ends[`cancelled ${e.reason}`] ?? 0) + 1;
  }
  console.log(`seed ${seed}: history ${events.length} events, sha256 ${digest}; in flight at its end ${onLog} on the log, ${handed.size} handed over`);
  console.log(`  ${formatTakeOver(handover)}`);
  console.log(`  after a simulated hour of the live run: ${JSON.stringify(ends)}`);
}
