#!/usr/bin/env tsx
/**
 * Where the guarantee paid for nothing comes from (issue 18, cost), from written solutions:
 *   npx tsx services/dispatch/bench/pay-diag.ts <instance root> <solution root> [instance ...]
 * (<solution root>/<instance>/ as `npm run mdrp -- --all <root> --out <solution root>` writes it).
 *
 * Pay = Σ max($10 × orders, guarantee) = Σ guarantees + E, where E (the excess) is what couriers
 * above their guarantee earn beyond it; the guarantee paid for nothing is U = Σ max(0, guarantee −
 * $10 × orders) = E + Σ guarantees − $10 × delivered, so U and E move together and cost per order
 * = 10 + U / delivered. Prints per instance U and E per order, and over all instances:
 *  - U by the hour the courier's shift starts, by shift length, and by orders short;
 *  - E by the hour its orders were picked up (an over-guarantee courier's last orders are its excess)
 *    and the part of E a courier ending under its guarantee could have taken in hindsight: idle
 *    (no trip under way) at the excess order's assignment and able to reach the restaurant by the
 *    actual pickup + SLACK_MIN (env, default 3) min (drive from its last drop-off or its start), with a free order left;
 *  - the share of U owed to couriers with no order at all.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { wholeMinuteTravel } from '@riderflow/geo';
import { instanceCostBound } from '../src/mdrp/certify.js';
import { loadInstance } from '../src/mdrp/instance.js';
import { SOLUTION_FILES } from '../src/mdrp/solution.js';
import { parseSolution } from '../src/mdrp/validate.js';

const [root, solRoot, ...only] = process.argv.slice(2);
if (!root || !solRoot) {
  console.error('usage: pay-diag.ts <instance root> <solution root> [instance ...]');
  process.exit(2);
}
const names = (only.length > 0 ? only : readdirSync(solRoot)).filter((n) => existsSync(path.join(solRoot, n, SOLUTION_FILES.orders))).sort();

const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
const uByStart = new Map<string, number>();
const uByLength = new Map<string, number>();
const uByShort = new Map<string, number>();
const eByHour = new Map<string, number>();
const eTakeByHour = new Map<string, number>();
const eMissReason = new Map<string, number>();
const eTooFarBy = new Map<string, number>();
/** Where a courier is at time at: its last drop-off before it, or its start. */
const before0 = (list: { to: number; endLoc: { x: number; y: number } }[], at: number, start: { x: number; y: number }) => {
  const done = list.filter((t) => t.to <= at);
  return done.length > 0 ? done.reduce((a, b) => (b.to > a.to ? b : a)).endLoc : start;
};
/** Minutes later than the actual pickup an idle courier may arrive and still count as a taker. */
const SLACK_MIN = Number(process.env.SLACK_MIN ?? 3);
/** ANY_ORDER=1: any order of an over-guarantee courier may be the one moved, not only its last ones (the reason tables then count only the orders tried). */
const ANY_ORDER = process.env.ANY_ORDER === '1';
const couriersByStart = new Map<string, number>();
const underByStart = new Map<string, number>();
let sumU = 0;
let sumE = 0;
let sumTake = 0;
let sumZero = 0;
let sumCostPerOrder = 0;
let sumBound = 0;
let sumUPerOrder = 0;
let sumEPerOrder = 0;
let sumTakePerOrder = 0;

console.log('instance\tdelivered\t$/order\tbound\tU/order\tE/order\ttakeable E/order\tcouriers under\tof them with 0 orders');
for (const name of names) {
  const inst = loadInstance(path.join(root, name));
  const p = inst.params;
  const travel = wholeMinuteTravel(p.metersPerMinute);
  const read = (f: string) => readFileSync(path.join(solRoot, name, f), 'utf8');
  const sol = parseSolution({ assignments: read(SOLUTION_FILES.assignments), orders: read(SOLUTION_FILES.orders), couriers: read(SOLUTION_FILES.couriers) }, []);
  const orderOf = new Map(inst.orders.map((o) => [o.id, o]));
  const deliveryOf = new Map(sol.deliveries.map((d) => [d.orderId, d]));
  const guarantee = new Map(inst.couriers.map((c) => [c.id, (p.payPerHour * (c.offTime - c.onTime)) / 60]));
  const count = new Map<string, number>();
  for (const d of sol.deliveries) add(count, d.courierId, 1);

  // trips per courier: [assignedAt, last drop-off], and where the courier is after it
  const trips = new Map<string, { from: number; to: number; endLoc: { x: number; y: number } }[]>();
  for (const a of sol.assignments) {
    let to = -Infinity;
    let endLoc = { x: 0, y: 0 };
    for (const id of a.orderIds) {
      const d = deliveryOf.get(id)!;
      if (d.dropoffAt > to) {
        to = d.dropoffAt;
        endLoc = orderOf.get(id)!.drop;
      }
    }
    const list = trips.get(a.courierId) ?? [];
    list.push({ from: a.assignedAt, to, endLoc });
    trips.set(a.courierId, list);
  }

  let U = 0;
  let E = 0;
  let zero = 0;
  let under = 0;
  let zeroCouriers = 0;
  // free orders left per courier ending under its guarantee (whole orders it was paid for anyway)
  const freeLeft = new Map<string, number>();
  for (const c of inst.couriers) {
    const g = guarantee.get(c.id)!;
    const n = count.get(c.id) ?? 0;
    const startHour = String(Math.floor(c.onTime / 60)).padStart(2, '0');
    add(couriersByStart, startHour, 1);
    const u = Math.max(0, g - p.payPerOrder * n);
    if (u > 0) {
      under++;
      add(underByStart, startHour, 1);
      U += u;
      add(uByStart, startHour, u);
      const hours = (c.offTime - c.onTime) / 60;
      add(uByLength, `${Math.floor(hours)}–${Math.floor(hours) + 1} h`, u);
      const short = Math.ceil(u / p.payPerOrder);
      add(uByShort, short >= 4 ? '4+' : String(short), u);
      if (n === 0) {
        zero += u;
        zeroCouriers++;
      }
      const free = Math.floor(u / p.payPerOrder);
      if (free > 0) freeLeft.set(c.id, free);
    }
  }

  // excess orders: an over-guarantee courier's orders beyond its guarantee, its last ones by pickup
  const excess: { orderId: string; courierId: string; dollars: number }[] = [];
  // with ANY_ORDER any order of an over-guarantee courier may move (each move saves up to $10 of its excess)
  const overLeft = new Map<string, number>();
  for (const c of inst.couriers) {
    const g = guarantee.get(c.id)!;
    const mine = sol.deliveries.filter((d) => d.courierId === c.id).sort((a, b) => a.pickupAt - b.pickupAt);
    const over = p.payPerOrder * mine.length - g;
    if (over <= 0) continue;
    E += over;
    overLeft.set(c.id, over);
    if (ANY_ORDER) {
      for (const d of mine) excess.push({ orderId: d.orderId, courierId: c.id, dollars: 0 });
      continue;
    }
    let left = over;
    for (let i = mine.length - 1; i >= 0 && left > 0; i--) {
      const dollars = Math.min(p.payPerOrder, left);
      left -= dollars;
      excess.push({ orderId: mine[i].orderId, courierId: c.id, dollars });
    }
  }
  excess.sort((a, b) => deliveryOf.get(a.orderId)!.pickupAt - deliveryOf.get(b.orderId)!.pickupAt);
  const assignedAt = new Map<string, number>();
  for (const a of sol.assignments) for (const id of a.orderIds) assignedAt.set(id, a.assignedAt);

  let take = 0;
  const startOf = new Map(inst.couriers.map((c) => [c.id, c]));
  for (const x of excess) {
    if (ANY_ORDER) {
      const left = overLeft.get(x.courierId)!;
      if (left <= 0) continue;
      x.dollars = Math.min(p.payPerOrder, left);
    }
    const d = deliveryOf.get(x.orderId)!;
    const o = orderOf.get(x.orderId)!;
    const at = assignedAt.get(x.orderId)!;
    const hour = String(Math.floor(d.pickupAt / 60)).padStart(2, '0');
    add(eByHour, hour, x.dollars);
    const r = inst.restaurants.get(o.restaurantId)!;
    let who: string | null = null;
    let reason = 'no under-guarantee courier on shift';
    let bestLate = Infinity;
    for (const [cid, free] of freeLeft) {
      if (free <= 0) continue;
      const c = startOf.get(cid)!;
      if (c.onTime > at || c.offTime < d.pickupAt) continue;
      const list = trips.get(cid) ?? [];
      if (list.some((t) => t.from <= at && t.to > at)) {
        if (reason !== 'idle, too far') reason = 'all busy';
        continue;
      }
      reason = 'idle, too far';
      const late0 = Math.max(at, c.onTime) + travel(before0(list, at, c.start), r.loc) + p.pickupServiceMin / 2 - d.pickupAt;
      if (late0 < bestLate) bestLate = late0;
      const before = list.filter((t) => t.to <= at);
      const loc = before.length > 0 ? before.reduce((a, b) => (b.to > a.to ? b : a)).endLoc : c.start;
      const arrive = Math.max(at, c.onTime) + travel(loc, r.loc) + p.pickupServiceMin / 2;
      if (arrive <= d.pickupAt + SLACK_MIN) {
        who = cid;
        break;
      }
    }
    if (!who) add(eMissReason, reason, x.dollars);
    if (!who && reason === 'idle, too far') add(eTooFarBy, bestLate <= 10 ? 'a: ≤ 10 min' : bestLate <= 20 ? 'b: 10–20 min' : bestLate <= 30 ? 'c: 20–30 min' : 'd: > 30 min', x.dollars);
    if (who) {
      overLeft.set(x.courierId, overLeft.get(x.courierId)! - x.dollars);
      freeLeft.set(who, freeLeft.get(who)! - 1);
      take += x.dollars;
      add(eTakeByHour, hour, x.dollars);
    }
  }

  const delivered = sol.deliveries.length;
  let pay = 0;
  for (const c of inst.couriers) pay += Math.max(p.payPerOrder * (count.get(c.id) ?? 0), guarantee.get(c.id)!);
  const bound = instanceCostBound(inst).perOrder;
  sumBound += bound;
  sumCostPerOrder += pay / delivered;
  sumUPerOrder += U / delivered;
  sumEPerOrder += E / delivered;
  sumTakePerOrder += take / delivered;
  sumU += U;
  sumE += E;
  sumTake += take;
  sumZero += zero;
  console.log(`${name}\t${delivered}\t${(pay / delivered).toFixed(3)}\t${bound.toFixed(3)}\t${(U / delivered).toFixed(3)}\t${(E / delivered).toFixed(3)}\t${(take / delivered).toFixed(3)}\t${under}/${inst.couriers.length}\t${zeroCouriers}`);
}

const n = names.length;
console.log(`\nAVERAGE per instance over ${n}: $/order ${(sumCostPerOrder / n).toFixed(3)} (lower bound ${(sumBound / n).toFixed(3)}), U/order ${(sumUPerOrder / n).toFixed(3)}, E/order ${(sumEPerOrder / n).toFixed(3)}, E an idle under-guarantee courier could have taken (hindsight) ${(sumTakePerOrder / n).toFixed(3)}`);
console.log(`TOTALS: U $${sumU.toFixed(0)} (of it couriers with no order $${sumZero.toFixed(0)}), E $${sumE.toFixed(0)}, takeable E $${sumTake.toFixed(0)}`);
const table = (title: string, m: Map<string, number>, total: number, extra?: (k: string) => string) => {
  console.log(`\n${title}`);
  for (const k of [...m.keys()].sort()) console.log(`  ${k}\t$${m.get(k)!.toFixed(0)}\t${((100 * m.get(k)!) / total).toFixed(1)} %${extra ? `\t${extra(k)}` : ''}`);
};
table('U by shift start hour (couriers under / all starting then)', uByStart, sumU, (k) => `${underByStart.get(k) ?? 0}/${couriersByStart.get(k) ?? 0}`);
table('U by shift length', uByLength, sumU);
table('U by orders short of the guarantee', uByShort, sumU);
table('E nobody could take, by why (at the excess order\'s assignment)', eMissReason, sumE);
table('E with an idle under-guarantee courier on shift but too far: how much later than the actual pickup the nearest could have picked up', eTooFarBy, sumE);
table('E by pickup hour (takeable in hindsight)', eByHour, sumE, (k) => `takeable $${(eTakeByHour.get(k) ?? 0).toFixed(0)}`);
