import { describe, expect, it } from 'vitest';
import type { LogEvent } from '@riderflow/contracts';
import { buildProgram, resolveOptions } from '../src/cli/options.js';
import { Simulation } from '../src/engine/simulation.js';
import { buildScenario } from '../src/scenario.js';

// Rostering trains on history mode and forecasts the live city: both must draw orders at the
// same rate for the same seed, hour and settings, or the model learns a level it never faces.
// Runs the two modes as `npm start` launches them (history from three days earlier, live from
// the start) and compares the orders created per simulated hour over the same afternoon and
// evening. The two runs draw from different points of the demand stream, so counts differ by
// sampling noise only.

const START = Date.parse('2025-03-03T11:45:00Z');
const HOUR = 3_600_000;
const FROM = START + 15 * 60_000; // 12:00
const HOURS = 9; // 12:00 … 21:00, the lunch tail, the afternoon and the dinner peak

function ordersPerHour(args: string[]): number[] {
  const program = buildProgram({});
  program.parse([...args, '--seed', 'demand-rate', '--riders', '60', '--demand', '1.5', '--quiet'], { from: 'user' });
  const { world, settings } = buildScenario(resolveOptions(program, {}));
  const sim = new Simulation(world, settings);
  const counts = new Array<number>(HOURS).fill(0);
  const end = FROM + HOURS * HOUR;
  while (sim.now < end && !sim.done) {
    const out: LogEvent[] = [];
    sim.advance(Math.min(end, sim.now + HOUR), out);
    for (const e of out) {
      if (e.type !== 'order.created' || e.ts < FROM || e.ts >= end) continue;
      counts[Math.floor((e.ts - FROM) / HOUR)]++;
    }
  }
  return counts;
}

describe('history mode and live mode: the same demand', () => {
  it('orders per simulated hour agree within sampling noise for the same seed, hour and settings', () => {
    const historyStart = new Date(START - 3 * 24 * HOUR).toISOString();
    const history = ordersPerHour(['--history', '--start', historyStart, '--duration', `${3 * 24 + 10}h`]);
    const live = ordersPerHour(['--no-amqp', '--start', new Date(START).toISOString(), '--duration', '10h']);
    // Some demand in every hour, and a dinner peak well above the afternoon: the comparison is not vacuous.
    expect(Math.min(...live)).toBeGreaterThan(5);
    expect(Math.max(...live.slice(6, 9))).toBeGreaterThan(2 * Math.min(...live.slice(2, 5)));
    for (let h = 0; h < HOURS; h++) {
      // Two Poisson counts with the same mean: their difference has variance a + b.
      const sigma = Math.sqrt(history[h] + live[h]);
      expect(Math.abs(history[h] - live[h]), `hour ${h}: history ${history[h]}, live ${live[h]}`).toBeLessThanOrEqual(4 * sigma);
    }
    const total = (xs: number[]) => xs.reduce((s, v) => s + v, 0);
    const diff = Math.abs(total(history) - total(live));
    expect(diff).toBeLessThanOrEqual(4 * Math.sqrt(total(history) + total(live)));
  });

  it('the check has teeth: a different demand setting is caught', () => {
    const live = ordersPerHour(['--no-amqp', '--start', new Date(START).toISOString(), '--duration', '10h']);
    const program = buildProgram({});
    program.parse(['--no-amqp', '--start', new Date(START).toISOString(), '--duration', '10h', '--seed', 'demand-rate', '--riders', '60', '--demand', '1', '--quiet'], { from: 'user' });
    const { world, settings } = buildScenario(resolveOptions(program, {}));
    const lower = new Simulation(world, settings);
    const out: LogEvent[] = [];
    lower.advance(FROM + HOURS * HOUR, out);
    const lowerTotal = out.filter((e) => e.type === 'order.created' && e.ts >= FROM).length;
    const liveTotal = live.reduce((s, v) => s + v, 0);
    expect(liveTotal - lowerTotal).toBeGreaterThan(4 * Math.sqrt(liveTotal + lowerTotal));
  });
});
