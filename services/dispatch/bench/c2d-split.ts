#!/usr/bin/env tsx
/**
 * Where click-to-door goes (issue 18, eleventh stop), from written solutions:
 *   npx tsx services/dispatch/bench/c2d-split.ts <instance root> <solution root> [instance ...]
 * (<solution root>/<instance>/ as `npm run mdrp -- --all <root> --out <solution root>` writes it).
 *
 * Each delivered order's click-to-door = kitchen (ready − placement, fixed by the instance)
 * + forced (earliest pickup any courier could make alone, as the per-order certificate computes it,
 * minus ready: no courier on shift could be there sooner) + wait (pickup − that earliest pickup: the
 * courier came later, because it was busy, was sent late or took a bundle that waited for a later
 * order) + leg (half pickup service + direct drive restaurant → customer + half drop-off service)
 * + detour (drop-off − pickup − leg: the customers dropped first on a bundled trip).
 * kitchen + forced + leg is a floor no dispatcher, clairvoyant or not, can go under for that order
 * (`floor` below, averaged over every order of the instance, delivered or not). Prints per instance
 * the means over delivered orders and, last, their averages over instances (the paper's way) and
 * by instance class (t<speed> s<service>). Instances of <instance root> without a solution get
 * their floor only (`FLOOR` rows and their average): the floor needs no run.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { wholeMinuteTravel } from '@riderflow/geo';
import { halfService } from '../src/core/route.js';
import { loadInstance } from '../src/mdrp/instance.js';
import { SOLUTION_FILES } from '../src/mdrp/solution.js';
import { parseSolution } from '../src/mdrp/validate.js';

const [root, solRoot, ...only] = process.argv.slice(2);
if (!root || !solRoot) {
  console.error('usage: c2d-split.ts <instance root> <solution root> [instance ...]');
  process.exit(2);
}
const all = (only.length > 0 ? only : readdirSync(root)).filter((n) => existsSync(path.join(root, n, 'orders.txt'))).sort();
if (all.length === 0) {
  console.error(`no instances under ${root}`);
  process.exit(2);
}
const solved = (n: string) => existsSync(path.join(solRoot, n, SOLUTION_FILES.orders));
const COLS = ['c2d', 'kitchen', 'forced', 'wait', 'leg', 'detour', 'floorAll', 'bundled'] as const;
type Row = Record<(typeof COLS)[number], number>;
const rows: { name: string; row: Row }[] = [];
const floors: { name: string; floor: number; orders: number }[] = [];
console.log(['instance', ...COLS].join('\t'));
for (const name of all) {
  const inst = loadInstance(path.join(root, name));
  const p = inst.params;
  const travel = wholeMinuteTravel(p.metersPerMinute);
  const hp = halfService(p.pickupServiceMin);
  const hd = halfService(p.dropoffServiceMin);
  const floorOf = new Map<string, { earliest: number; leg: number }>();
  let floorAll = 0;
  for (const o of inst.orders) {
    const r = inst.restaurants.get(o.restaurantId)!;
    let earliest = Infinity;
    for (const c of inst.couriers) {
      const t = Math.max(o.readyAt, o.placedAt, c.onTime + travel(c.start, r.loc) + hp);
      if (t <= c.offTime && t < earliest) earliest = t;
    }
    const leg = hp + travel(r.loc, o.drop) + hd;
    floorOf.set(o.id, { earliest, leg });
    // an order no courier can serve has no floor; count it at its ready time (it is undelivered anyway)
    floorAll += (Number.isFinite(earliest) ? earliest : o.readyAt) + leg - o.placedAt;
  }
  floors.push({ name, floor: floorAll / Math.max(1, inst.orders.length), orders: inst.orders.length });
  if (!solved(name)) {
    console.log(`FLOOR ${name}\t${(floorAll / Math.max(1, inst.orders.length)).toFixed(3)}`);
    continue;
  }
  const read = (f: string) => readFileSync(path.join(solRoot, name, f), 'utf8');
  const violations: { message: string }[] = [];
  const sol = parseSolution({ assignments: read(SOLUTION_FILES.assignments), orders: read(SOLUTION_FILES.orders), couriers: read(SOLUTION_FILES.couriers) }, violations as never[]);
  if (violations.length > 0) throw new Error(`${name}: unreadable solution: ${violations[0].message}`);
  const bundledIds = new Set(sol.assignments.filter((a) => a.orderIds.length > 1).flatMap((a) => a.orderIds));
  const orderOf = new Map(inst.orders.map((o) => [o.id, o]));
  const sum: Row = { c2d: 0, kitchen: 0, forced: 0, wait: 0, leg: 0, detour: 0, floorAll: 0, bundled: 0 };
  for (const d of sol.deliveries) {
    const o = orderOf.get(d.orderId)!;
    const f = floorOf.get(o.id)!;
    sum.c2d += d.dropoffAt - o.placedAt;
    sum.kitchen += o.readyAt - o.placedAt;
    sum.forced += f.earliest - o.readyAt;
    sum.wait += d.pickupAt - f.earliest;
    sum.leg += f.leg;
    sum.detour += d.dropoffAt - d.pickupAt - f.leg;
    if (bundledIds.has(o.id)) sum.bundled += 1;
  }
  const n = Math.max(1, sol.deliveries.length);
  const row = Object.fromEntries(COLS.map((k) => [k, sum[k] / n])) as Row;
  row.floorAll = floorAll / Math.max(1, inst.orders.length);
  rows.push({ name, row });
  console.log([name, ...COLS.map((k) => row[k].toFixed(3))].join('\t'));
}
const fmean = (list: typeof floors) => (list.reduce((s, r) => s + r.floor, 0) / Math.max(1, list.length)).toFixed(3);
const perOrder = floors.reduce((s, f) => s + f.floor * f.orders, 0) / Math.max(1, floors.reduce((s, f) => s + f.orders, 0));
console.log(`FLOOR PER ORDER\t${perOrder.toFixed(3)}`);
console.log(`FLOOR AVERAGE\t${fmean(floors)}\t(${floors.length} instances; of the ${rows.length} with a solution: ${fmean(floors.filter((f) => rows.some((r) => r.name === f.name)))})`);
if (rows.length === 0) process.exit(0);
const mean = (list: typeof rows) => COLS.map((k) => (list.reduce((s, r) => s + r.row[k], 0) / list.length).toFixed(3));
console.log(['AVERAGE', ...mean(rows)].join('\t') + `\t(${rows.length} instances)`);
const classOf = (name: string) => /t\d+s\d/.exec(name)?.[0] ?? '?';
for (const k of [...new Set(floors.map((r) => classOf(r.name)))].sort()) {
  const list = rows.filter((r) => classOf(r.name) === k);
  const fl = floors.filter((r) => classOf(r.name) === k);
  console.log([`CLASS ${k}`, ...(list.length > 0 ? mean(list) : [])].join('\t') + `\t(${list.length}; floor of all ${fl.length}: ${fmean(fl)})`);
}
