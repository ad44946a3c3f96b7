// Issue 18, eighth stop: is each uncertified miss avoidable? Runs the policy on one instance, takes
// the run's exact state at T (committed trips, positions, open orders), and with every later order
// known searches offline (ruin and recreate from the run's own plan from T) for a plan that
// delivers more; the plan is spliced into the run before T and checked by src/mdrp/validate.ts.
//   npx tsx services/dispatch/bench/miss-search.ts <instance dir> [--config <json file>]
//     [--at <T,...>] [--before <min,...>] [--seconds <cpu s per T>] [--out <dir>] [--seed <s>]
//     [--rolling <horizon min,...> [--round-ms <cpu ms a round>]] [--max-bundle <n>]
// --max-bundle caps the orders a trip (MDRP has no cap; the policy's maxBundleSize is 3).
// Without --at, T is each uncertified order's placement minus each --before (default 0,30,60,120).
// --out writes the best spliced solution per T to <dir>/<instance>-T<T>/ (evaluator's three files).
// --rolling also runs the online counterpart from each T (miss-search/rolling.ts): the same search
// every minute over the orders known so far (placed, or placed within the horizon), carrying out
// only what a dispatcher could do then; horizon 0 is a policy without foresight.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DispatchConfigSchema } from '../src/core/config.js';
import { InstanceError, loadInstance, type MdrpInstance } from '../src/mdrp/instance.js';
import { simulateInstance } from '../src/mdrp/simulate.js';
import { SOLUTION_FILES } from '../src/mdrp/solution.js';
import { writeFilesAtomically } from '../src/mdrp/write-atomic.js';
import { checkSolution } from './miss-search/check.js';
import { describePlanDiff } from './miss-search/describe.js';
import { rollingFrom } from './miss-search/rolling.js';
import { searchFrom } from './miss-search/search-from.js';
import { spliceSolution } from './miss-search/splice.js';

function usage(problem: string): never {
  console.error(`miss-search: ${problem}`);
  console.error(
    'usage: miss-search.ts <instance dir> [--config <json file>] [--at <T,...>] [--before <min,...>] [--seconds <s>] [--out <dir>] [--seed <s>] [--rolling <horizon min,...> [--round-ms <ms>]] [--max-bundle <n>]',
  );
  process.exit(2);
}

const args = process.argv.slice(2);
const opts = new Map<string, string>();
const dirs: string[] = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a.startsWith('--')) {
    if (i + 1 >= args.length) usage(`${a} needs a value`);
    opts.set(a.slice(2), args[++i]);
  } else dirs.push(a);
}
for (const k of opts.keys()) if (!['config', 'at', 'before', 'seconds', 'out', 'seed', 'rolling', 'round-ms', 'max-bundle'].includes(k)) usage(`unknown option --${k}`);
if (dirs.length !== 1) usage('give exactly one instance folder');
const numbers = (name: string, text: string) => {
  const xs = text.split(',').map(Number);
  if (xs.some((x) => !Number.isFinite(x))) usage(`--${name} takes numbers separated by commas, got '${text}'`);
  return xs;
};
let config = DispatchConfigSchema.parse({});
const configFile = opts.get('config');
if (configFile) {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(configFile, 'utf8'));
  } catch (err) {
    usage(`${configFile}: cannot read JSON config (${(err as Error).message})`);
  }
  const parsed = DispatchConfigSchema.safeParse(raw);
  if (!parsed.success) usage(`${configFile}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  config = parsed.data;
}
const maxBundle = opts.has('max-bundle') ? numbers('max-bundle', opts.get('max-bundle')!)[0] : undefined;
const seconds = numbers('seconds', opts.get('seconds') ?? '60')[0];
// every option is read before the day is simulated, so a typo costs no minutes
const asked = opts.has('at') ? numbers('at', opts.get('at')!) : undefined;
const before = numbers('before', opts.get('before') ?? '0,30,60,120');
const horizons = opts.has('rolling') ? numbers('rolling', opts.get('rolling')!) : [];
const roundMs = numbers('round-ms', opts.get('round-ms') ?? '100')[0];
let instance: MdrpInstance;
try {
  instance = loadInstance(dirs[0]);
} catch (err) {
  if (err instanceof InstanceError) usage(err.message);
  throw err;
}
const whole = simulateInstance(instance, config);
const run = checkSolution(instance, whole);
const placed = new Map(instance.orders.map((o) => [o.id, o]));
console.log(`${instance.name}: run delivers ${run.metrics.delivered}/${instance.orders.length}, violations ${run.violations.length}, uncertified ${run.uncertified.length} (${run.uncertified.map((id) => `${id} ${placed.get(id)!.restaurantId} placed ${placed.get(id)!.placedAt}`).join(', ')})`);

const times = asked ?? [...new Set(run.uncertified.flatMap((id) => before.map((b) => placed.get(id)!.placedAt - b)))].sort((a, b) => a - b);
for (const at of times) {
  let r: ReturnType<typeof searchFrom>;
  try {
    r = searchFrom(instance, config, whole, at, seconds * 1000, opts.get('seed'), maxBundle);
  } catch (err) {
    // e.g. a T after the run's last round: say so and go on with the other times
    console.error(`miss-search: T ${at}: ${(err as Error).message}`);
    process.exitCode = 2;
    continue;
  }
  const same = r.runChecked.violations.length === 0 && r.runChecked.metrics.delivered === run.metrics.delivered;
  const saved = run.uncertified.filter((id) => !r.checked.uncertified.includes(id));
  console.log(
    `T ${r.state.now}: free orders ${r.state.free.length} (servable ${r.servable}), couriers on shift after T ${r.state.couriers.filter((c) => c.offTime >= r.state.now).length}; ` +
      `run delivers ${r.runFrom} of them (its plan re-spliced: ${r.runChecked.metrics.delivered} delivered, ${r.runChecked.violations.length} violations${same ? '' : ' — DIFFERS FROM THE RUN'}); ` +
      `search ${r.search.delivered} (best at iteration ${r.search.bestAt} of ${r.search.iterations}); spliced: ${r.checked.metrics.delivered}/${instance.orders.length} delivered, ` +
      `${r.checked.violations.length} violations, uncertified ${r.checked.uncertified.length} (${r.checked.uncertified.join(' ')}), saved ${saved.join(' ') || '-'}, ` +
      `c2d ${r.checked.metrics.clickToDoorMean.toFixed(2)} (run ${run.metrics.clickToDoorMean.toFixed(2)})`,
  );
  for (const v of r.checked.violations.slice(0, 10)) console.log(`  [${v.rule}] ${v.file} line ${v.line}: ${v.message}`);
  if (r.search.delivered > r.runFrom) for (const line of describePlanDiff(r)) console.log(`  ${line}`);
  for (const horizonMin of horizons) {
    const cpu0 = process.cpuUsage();
    const roll = rollingFrom(r.state, r.ctx, { horizonMin, roundBudgetMs: roundMs, seed: opts.get('seed') ?? 'rolling', maxBundle });
    const cpu = process.cpuUsage(cpu0);
    const rc = checkSolution(instance, spliceSolution(r.state, roll.plans, r.ctx));
    console.log(
      `  rolling from ${r.state.now}, horizon ${horizonMin} min: ${roll.delivered} of the free orders (run ${r.runFrom}, offline ${r.search.delivered}), ${roll.rounds} rounds, CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s; ` +
        `spliced: ${rc.metrics.delivered}/${instance.orders.length}, ${rc.violations.length} violations, uncertified ${rc.uncertified.length} (${rc.uncertified.join(' ')}), c2d ${rc.metrics.clickToDoorMean.toFixed(2)} p90 ${rc.metrics.clickToDoorP90.toFixed(1)}`,
    );
  }
  const out = opts.get('out');
  if (out && r.checked.violations.length === 0) {
    writeFilesAtomically(path.join(out, `${instance.name}-T${r.state.now}`), {
      [SOLUTION_FILES.assignments]: r.checked.texts.assignments,
      [SOLUTION_FILES.orders]: r.checked.texts.orders,
      [SOLUTION_FILES.couriers]: r.checked.texts.couriers,
    });
  }
}
