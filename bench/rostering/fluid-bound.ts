import type { LogEvent } from '@riderflow/contracts';
import { Command } from 'commander';
import { buildProgram, buildScenario, resolveOptions, Simulation } from '@riderflow/simulator';
import { RosteringEnvSchema, roundSettings } from '@riderflow/rostering';
import { BUCKET_MS, BUCKETS_PER_DAY, bucketOf, DemandHistory, planDay, type Availability } from '@riderflow/rostering/core';
import { oracleDayForecast, trueDemand } from './oracle.js';

/**
 * A fluid model of the closed loop's day (issue 17, target 3), to say how far any timing of the
 * same riders' hours could go, without a solver. Per 15-minute bucket the day's true orders bring
 * `orders × busyMin` rider-minutes of work; the riders on shift supply 15 minutes each; work beyond
 * that is lost (as orders: ÷ busyMin). No backlog, no geography: it is a model, not the simulator.
 *
 * - *off*: the riders' own shifts (the simulator run with nobody booking).
 * - *booking*: rostering's own day plan (planDay with the service's settings and the oracle's
 *   day-ahead forecast), once per search setting, riders whose hours were announced re-timed.
 * - *bound*: the announced riders' hours placed freely, bucket by bucket, anywhere between the
 *   open and close hours (at most one per rider per bucket): this drops the rule that a shift is
 *   one block of fixed length, so no placement that keeps it can lose fewer orders in this model.
 *   It is looser than an LP over contiguous shifts (the README's one-off −40.8 %).
 */
const program = new Command()
  .name('fluid-bound')
  .option('--seeds <list>', 'closed-loop seeds, comma-separated', 'bench,bench-2,bench-3,bench-4,bench-5')
  .option('--loop-riders <n>', 'riders in the closed-loop city', (v) => Number.parseInt(v, 10), 60)
  .option('--loop-demand <factor>', 'demand multiplier', Number, 3)
  .option('--loop-start <iso>', 'the day\'s start (the bench\'s default)', '2025-03-17T05:00:00Z')
  .option('--loop-duration <d>', 'window', '24h')
  .option('--busy-min <min>', 'rider-minutes per delivered order (the closed loop measured 14.2–15.5)', Number, 15)
  .option('--iterations <n>', 'subgradient steps for the bound (more: tighter, never invalid)', (v) => Number.parseInt(v, 10), 3000)
  .parse();
const o = program.opts<{ seeds: string; loopRiders: number; loopDemand: number; loopStart: string; loopDuration: string; busyMin: number; iterations: number }>();

interface DayFacts {
  /** Window buckets (absolute bucket numbers) and orders per bucket. */
  first: number;
  orders: number[];
  /** Riders on shift per window bucket with nobody booking. */
  offCover: number[];
  /** Per rider: its own shift [start, end) in ms and whether its hours were announced for the day. */
  shifts: Map<string, { start: number; end: number }>;
  announced: Availability[];
  announcedAt: number;
  day: number;
}

function runOff(simArgs: string[]): DayFacts {
  const prog = buildProgram({});
  prog.parse([...simArgs, '--no-amqp', '--speed', 'max', '--quiet'], { from: 'user' });
  const { world, settings } = buildScenario(resolveOptions(prog, {}));
  const sim = new Simulation(world, settings);
  const first = bucketOf(settings.startMs);
  const n = bucketOf(settings.endMs) - first;
  const orders = new Array<number>(n).fill(0);
  const shifts = new Map<string, { start: number; end: number }>();
  const day = Math.floor(settings.startMs / 86_400_000) * 86_400_000;
  const announced: Availability[] = [];
  let announcedAt = settings.startMs;
  while (!sim.done && sim.now < settings.endMs) {
    const out: LogEvent[] = [];
    sim.advance(Math.min(settings.endMs, sim.now + 3_600_000), out);
    for (const e of out) {
      if (e.type === 'order.created') orders[bucketOf(e.ts) - first]++;
      else if (e.type === 'rider.shift_started' && !shifts.has(e.riderId)) shifts.set(e.riderId, { start: e.ts, end: e.shiftEnd });
      else if (e.type === 'rider.availability' && e.day === day && !announced.some((a) => a.riderId === e.riderId)) {
        announced.push({ riderId: e.riderId, hours: e.hours });
        announcedAt = Math.max(announcedAt, e.ts);
      }
    }
  }
  const offCover = new Array<number>(n).fill(0);
  for (const s of shifts.values()) for (let b = Math.max(0, bucketOf(s.start) - first); b < Math.min(n, Math.ceil(s.end / BUCKET_MS) - first); b++) offCover[b]++;
  return { first, orders, offCover, shifts, announced, announcedAt, day };
}

/** Orders lost in the fluid model with `cover` riders per window bucket. */
function lost(orders: number[], cover: number[], busy: number): number {
  return orders.reduce((sum, n, b) => sum + Math.max(0, n * busy - 15 * cover[b]) / busy, 0);
}

/**
 * The lower bound on lost orders for any timing of the announced riders' shifts (whole blocks of
 * their own lengths, starting on the quarter hour between max(open, announcement + lead) and
 * close − length), fractional ones included. Lost work in a bucket is max(0, W − 15 r) =
 * max over λ in [0, 1] of λ (W − 15 r), so for EVERY price vector λ,
 *   L(λ) = Σ_b λ_b (W_b − 15 fixed_b) − 15 Σ_riders max over its starts of Σ_{b in its shift} λ_b
 * is at most the lost work of every placement (weak duality of the LP relaxation). Projected
 * subgradient ascent on λ finds a good one; whatever it finds is a valid bound (the best L seen),
 * convergence only makes it tighter.
 */
function bound(f: DayFacts, busy: number, openHour: number, closeHour: number, leadMin: number, iterations: number): number {
  const ids = new Set(f.announced.map((a) => a.riderId));
  const n = f.orders.length;
  const fixed = new Array<number>(n).fill(0);
  for (const [id, s] of f.shifts) {
    if (ids.has(id)) continue;
    for (let b = Math.max(0, bucketOf(s.start) - f.first); b < Math.min(n, Math.ceil(s.end / BUCKET_MS) - f.first); b++) fixed[b]++;
  }
  const dayFirst = bucketOf(f.day) - f.first; // window index of the day's 00:00
  const earliest = Math.max(dayFirst + openHour * 4, Math.ceil((f.announcedAt + leadMin * 60_000) / BUCKET_MS) - f.first);
  const close = dayFirst + closeHour * 4;
  const lens = f.announced.map((a) => Math.round(a.hours * 4));
  const residual = f.orders.map((o, b) => o * busy - 15 * fixed[b]);
  const lambda = residual.map((r): number => (r > 0 ? 1 : 0));
  const prefix = new Float64Array(n + 1);
  let best = -Infinity;
  for (let it = 0; it < iterations; it++) {
    for (let b = 0; b < n; b++) prefix[b + 1] = prefix[b] + lambda[b];
    let value = residual.reduce((sum, r, b) => sum + lambda[b] * r, 0);
    const grad = [...residual];
    for (const len of lens) {
      let s0 = -1;
      let w = -Infinity;
      for (let s = Math.max(0, earliest); s + len <= Math.min(n, close); s++) {
        const v = prefix[s + len] - prefix[s];
        if (v > w) { w = v; s0 = s; }
      }
      if (s0 < 0) continue; // does not fit: it adds no capacity in any placement
      value -= 15 * w;
      for (let b = s0; b < s0 + len; b++) grad[b] -= 15;
    }
    best = Math.max(best, value);
    const step = 0.02 / Math.sqrt(it + 1) / 15;
    for (let b = 0; b < n; b++) lambda[b] = Math.min(1, Math.max(0, lambda[b] + step * grad[b]));
  }
  return best / busy;
}

const bookingMs = new Map<string, number>();

function booked(f: DayFacts, simArgs: string[], name: string, env: Record<string, string>): number[] {
  const s = roundSettings(RosteringEnvSchema.parse(env), oracleDayForecast(trueDemand(simArgs)));
  const t0 = performance.now();
  const plan = planDay(new DemandHistory(), f.day, f.announced, {
    staffing: s.staffing, openHour: s.openHour, closeHour: s.closeHour, notBefore: f.announcedAt + s.shiftLeadMin * 60_000,
    dayForecast: s.dayForecast, passes: s.bookPasses ?? 0, pairMoves: s.bookPairs ?? false, kicks: s.bookKicks ?? 0, worth: s.bookWorth ?? 'need',
  });
  bookingMs.set(name, (bookingMs.get(name) ?? 0) + performance.now() - t0);
  if (!plan) throw new Error('no day plan');
  const ids = new Set(f.announced.map((a) => a.riderId));
  const cover = new Array<number>(f.orders.length).fill(0);
  for (const [id, sh] of f.shifts) {
    if (ids.has(id)) continue;
    for (let b = Math.max(0, bucketOf(sh.start) - f.first); b < Math.min(cover.length, Math.ceil(sh.end / BUCKET_MS) - f.first); b++) cover[b]++;
  }
  for (const sh of plan.booking.shifts) for (let b = Math.max(0, bucketOf(sh.start) - f.first); b < Math.min(cover.length, Math.ceil(sh.end / BUCKET_MS) - f.first); b++) cover[b]++;
  if (BUCKETS_PER_DAY !== 96) throw new Error('15-minute buckets assumed');
  return cover;
}

const variants: [string, Record<string, string>][] = [
  ['greedy', { ROSTERING_BOOK_PASSES: '0', ROSTERING_BOOK_KICKS: '0' }],
  ['single passes', { ROSTERING_BOOK_PAIRS: 'false', ROSTERING_BOOK_KICKS: '0' }],
  ['+ pairs', { ROSTERING_BOOK_PAIRS: 'true', ROSTERING_BOOK_KICKS: '0' }],
  ['erlang-b worth', { ROSTERING_BOOK_WORTH: 'erlang-b' }],
  ['+ pairs + 50 kicks', { ROSTERING_BOOK_KICKS: '50' }],
  ['service defaults', {}],
];
const totals = new Map<string, number>();
const add = (k: string, v: number) => totals.set(k, (totals.get(k) ?? 0) + v);
const seeds = o.seeds.split(',').map((x) => x.trim()).filter(Boolean);
const base = RosteringEnvSchema.parse({});
for (const seed of seeds) {
  const simArgs = ['--seed', seed, '--riders', String(o.loopRiders), '--zones', '16', '--stores', '120', '--start', o.loopStart, '--duration', o.loopDuration, '--ping-interval', '15', '--demand', String(o.loopDemand)];
  const f = runOff(simArgs);
  const line = [`seed ${seed.padEnd(8)} off ${lost(f.orders, f.offCover, o.busyMin).toFixed(1)}`];
  add('off', lost(f.orders, f.offCover, o.busyMin));
  for (const [name, env] of variants) {
    const l = lost(f.orders, booked(f, simArgs, name, env), o.busyMin);
    add(name, l);
    line.push(`${name} ${l.toFixed(1)}`);
  }
  const b = bound(f, o.busyMin, base.ROSTERING_OPEN_HOUR, base.ROSTERING_CLOSE_HOUR, base.ROSTERING_SHIFT_LEAD_MIN, o.iterations);
  add('bound', b);
  line.push(`bound ${b.toFixed(1)}`);
  console.log(line.join('; '));
}
const off = totals.get('off')!;
console.log(`fluid model, ${seeds.length} seeds, ${o.busyMin} rider-min per order; lost orders, mean per seed (vs off):`);
for (const [k, v] of totals) {
  const ms = bookingMs.get(k);
  console.log(`  ${k.padEnd(17)} ${(v / seeds.length).toFixed(1).padStart(7)}${k === 'off' ? '' : `  ${(((v - off) / off) * 100).toFixed(1).padStart(6)} %`}${ms === undefined ? '' : `   booking ${(ms / seeds.length).toFixed(0)} ms`}`);
}
console.log('bound: a Lagrangian (LP-dual) lower bound over every timing of the announced shifts, whole blocks of their own lengths: no booking loses fewer in this model.');
