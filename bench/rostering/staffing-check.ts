import { parseArgs } from 'node:util';
import {
  CalibrationTap, DEFAULT_STAFFING, ServiceTimeTap, calibrationVerdict, observedService, observedStaffing,
  type CalibrationHour, type StaffingParams,
} from '@riderflow/rostering/core';
import { runStaffingDay } from './staffing-day.js';
import { KitchenBoundTap } from './kitchen-bound.js';
import { LateOrderTap } from './late-order-tap.js';
import { explain, printBreakdown, type Explained } from './late-order-explain.js';

/**
 * `npm run rostering:staffing-check`: is "riders needed" right? Whole simulated days of the
 * city with the live dispatch core and no rostering (bench/rostering/staffing-day.ts), at several
 * fleet sizes and demand levels so that some hours are well staffed and some short. Per simulated
 * hour: riders the rule says the city needed (one pooled M/M/c queue on the hour's busiest 15
 * minutes of real orders, with the rule's default service and door minutes as the rostering
 * service uses them, or with --service-from-log those dispatch achieved over the previous hours),
 * riders on shift (time-averaged), and the share of
 * the hour's orders delivered within 40 minutes of the click (a cancelled order is a miss).
 * The rule holds if hours with present ≥ needed deliver ≥ 95 % on time and hours with
 * present < 0.8 × needed fewer. Exit code 1 when it does not.
 */

const OPTIONS = {
    runs: { type: 'string', default: '120x1,120x1.5,120x2,120x3,80x1.5,160x0.6' },
    seed: { type: 'string', default: 'riderflow' },
    start: { type: 'string', default: '2025-03-03T00:00:00Z' },
    hours: { type: 'string', default: '24' },
    json: { type: 'boolean', default: false },
    'service-from-log': { type: 'boolean', default: false },
    explain: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
} as const;
let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>;
try {
  parsed = parseArgs({ options: OPTIONS });
} catch (err) {
  console.error(`staffing-check: ${(err as Error).message} (see --help)`);
  process.exit(2);
}
const { values } = parsed;
if (values.help) {
  console.log('usage: npm run rostering:staffing-check -- [--runs 120x1,120x2,...] [--seed riderflow] [--start 2025-03-03T00:00:00Z] [--hours 24] [--service-from-log] [--explain] [--json]\n  --explain: takes apart every order that missed 40 min in hours with present ≥ needed (bench/rostering/late-order-explain.ts)\n  --service-from-log: the rule reads its minutes from the last 6 simulated hours (ROSTERING_SERVICE_FROM_LOG) instead of the defaults\n  a run is <riders>x<demand factor>; the demand factor multiplies the city\'s default orders (about one per rider per hour at the dinner peak)');
  process.exit(0);
}
const runs = values.runs.split(',').map((r) => {
  const m = /^(\d+)x(\d+(?:\.\d+)?)$/.exec(r.trim());
  if (!m || Number(m[1]) < 1 || !(Number(m[2]) > 0)) {
    console.error(`staffing-check: --runs: ${JSON.stringify(r)} is not <riders>x<demand factor>, e.g. 120x1.5`);
    process.exit(2);
  }
  return { riders: Number(m[1]), demandFactor: Number(m[2]) };
});
const hours = Number(values.hours);
if (!Number.isInteger(hours) || hours < 1 || hours > 24 * 7) {
  console.error('staffing-check: --hours must be a whole number of hours from 1 to 168');
  process.exit(2);
}
if (!Number.isFinite(Date.parse(values.start))) {
  console.error(`staffing-check: --start ${JSON.stringify(values.start)} is not an ISO time`);
  process.exit(2);
}

type Row = CalibrationHour & { run: string; rule: StaffingParams & { observed: boolean }; kitchenBound: number; customerCancelled: number };
const all: Row[] = [];
const staffedOrders: Explained[] = [];
const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)} %` : '—');
const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
const band = (r: CalibrationHour) => (r.created === 0 ? '' : r.ridersPresent >= r.ridersNeeded ? 'staffed' : r.ridersPresent < 0.8 * r.ridersNeeded ? 'short' : 'between');

for (const run of runs) {
  const name = `${run.riders} riders ×${run.demandFactor} demand`;
  const calibration = new CalibrationTap();
  const service = new ServiceTimeTap();
  const kitchen = new KitchenBoundTap();
  const late = values.explain ? new LateOrderTap() : null;
  // What the rule knew at the start of each hour: the service it had seen dispatch achieve before.
  const ruleAt = new Map<number, StaffingParams & { observed: boolean }>();
  let hourSeen = -1;
  // One simulated hour past the window, so the last hour's orders have their 40 minutes too.
  const res = runStaffingDay({ seed: values.seed, riders: run.riders, demandFactor: run.demandFactor, startIso: values.start, durationH: hours + 1 }, (events) => {
    for (const e of events) {
      const h = Math.floor(e.ts / 3_600_000) * 3_600_000;
      if (h > hourSeen) {
        hourSeen = h;
        ruleAt.set(h, values['service-from-log'] ? observedStaffing(service, h, DEFAULT_STAFFING) : { ...DEFAULT_STAFFING, observed: false });
      }
      calibration.add(e);
      service.add(e);
      kitchen.add(e);
      late?.add(e);
    }
  });
  const ruleOf = (h: number) => ruleAt.get(h) ?? { ...DEFAULT_STAFFING, observed: false };
  const windowEnd = res.simStartMs + hours * 3_600_000;
  const rows = calibration.rows(res.simStartMs, windowEnd, ruleOf).map((r) => ({ ...r, run: name, rule: ruleOf(r.hourStart), kitchenBound: kitchen.inHour(r.hourStart), customerCancelled: kitchen.customerCancelledInHour(r.hourStart) }));
  all.push(...rows);
  if (late) {
    const staffedHours = new Set(rows.filter((r) => band(r) === 'staffed').map((r) => r.hourStart));
    for (const o of late.orders.values()) if (staffedHours.has(Math.floor(o.placedAt / 3_600_000) * 3_600_000)) staffedOrders.push(explain(o, late));
  }
  const day = observedService(service.rows(res.simStartMs, windowEnd), 1);
  if (!values.json) {
    console.log(`\n${name} — seed ${values.seed}, ${hhmm(res.simStartMs)} ${new Date(res.simStartMs).toISOString().slice(0, 10)} + ${hours} h (+1 h for the last orders) simulated in ${(res.wallMs / 1000).toFixed(1)} s wall; dispatch achieved ${day ? `${day.serviceMin.toFixed(1)} rider-min per order, ${day.doorMin.toFixed(1)} min assignment→door` : 'no deliveries'}`);
    console.log('hour   orders  busiest 15 min  rule (rider-min/order, door min)  needed  present  within 40 min  world-bound  band');
    for (const r of rows) {
      console.log([
        hhmm(r.hourStart), String(r.created).padStart(6), String(r.busiest).padStart(14),
        `${r.rule.serviceMin.toFixed(1)}, ${r.rule.doorMin.toFixed(1)}${r.rule.observed || !values['service-from-log'] ? '' : ' (default)'}`.padEnd(32),
        String(r.ridersNeeded).padStart(6), r.ridersPresent.toFixed(1).padStart(7), (r.created > 0 ? pct(r.within40 / r.created) : '—').padStart(13), String(r.kitchenBound + r.customerCancelled).padStart(11), band(r),
      ].join('  '));
    }
  }
}

const v = calibrationVerdict(all);
const between = all.filter((r) => band(r) === 'between');
const betweenCreated = between.reduce((s, r) => s + r.created, 0);
const betweenShare = betweenCreated > 0 ? between.reduce((s, r) => s + r.within40, 0) / betweenCreated : NaN;
if (values.json) {
  console.log(JSON.stringify({ runs, seed: values.seed, hours: all, verdict: v, between: { hours: between.length, created: betweenCreated, share: betweenShare } }));
} else {
  console.log(`\nOver ${runs.length} run${runs.length === 1 ? '' : 's'} (${all.length} simulated hours):`);
  const count = (n: number, one: string) => `${String(n).padStart(5)} ${n === 1 ? one : `${one}s`}`;
  console.log(`  present ≥ needed:                ${count(v.staffed.hours, 'hour')}, ${count(v.staffed.created, 'order')}, ${pct(v.staffed.share)} within 40 min (goal ≥ 95 %)`);
  console.log(`  0.8 × needed ≤ present < needed: ${count(between.length, 'hour')}, ${count(betweenCreated, 'order')}, ${pct(betweenShare)} within 40 min`);
  console.log(`  present < 0.8 × needed:          ${count(v.short.hours, 'hour')}, ${count(v.short.created, 'order')}, ${pct(v.short.share)} within 40 min (goal: fewer than staffed)`);
  // What neither staffing nor dispatch can change: the customer cancelled, or the food was ready too late for any rider.
  const worldOf = (pick: (r: Row) => boolean) => {
    const rs = all.filter((r) => r.created > 0 && pick(r));
    const created = rs.reduce((s, r) => s + r.created, 0);
    const kitchenBound = rs.reduce((s, r) => s + r.kitchenBound, 0);
    const customer = rs.reduce((s, r) => s + r.customerCancelled, 0);
    const bound = kitchenBound + customer;
    const within = rs.reduce((s, r) => s + r.within40, 0);
    return `${bound} of ${created} orders (${pct(bound / created)}: ${customer} cancelled by the customer, ${kitchenBound} kitchen-bound) no rider could have delivered within 40 min (ceiling ${pct(1 - bound / created)}); of the others ${pct(within / (created - bound))} were`;
  };
  console.log(`  world-bound (customer cancelled, or food ready + half pickup + the fleet's fastest straight ride + half drop-off > 40 min):`);
  console.log(`    present ≥ needed:       ${worldOf((r) => band(r) === 'staffed')}`);
  console.log(`    present < 0.8 × needed: ${worldOf((r) => band(r) === 'short')}`);
  if (values.explain) printBreakdown(`Orders placed in hours with present ≥ needed, seed ${values.seed}`, staffedOrders);
  console.log(v.holds ? 'The staffing rule holds.' : 'The staffing rule does NOT hold on these runs.');
}
process.exit(v.holds ? 0 : 1);
