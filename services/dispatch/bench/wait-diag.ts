/**
 * Diagnosis of ready→pickup waiting (issue 18, task 18a). For each order picked up after its ready
 * time, splits the wait by cause, from the couriers' committed plans at the order's placement:
 *  capacity  — no courier on shift could pick it up by its ready time from where its committed plan ended
 *              (the part of the wait up to that earliest possible pickup);
 *  shift     — as capacity, but the earliest possible courier was not yet on shift;
 *  given     — the courier that could have been earliest was given other work before this pickup (matching);
 *  late      — the earliest courier stayed unused for other orders, yet the pickup was later (commitment / estimate).
 * Usage: tsx services/dispatch/bench/wait-diag.ts <instance dir> [...]
 */
import { wholeMinuteTravel } from '@riderflow/geo';
import { dispatchConfig } from '../src/core/config.js';
import { halfService } from '../src/core/route.js';
import { loadInstance } from '../src/mdrp/instance.js';
import { simulateInstance } from '../src/mdrp/simulate.js';

for (const dir of process.argv.slice(2)) {
  const inst = loadInstance(dir);
  const cfg = dispatchConfig();
  const travel = wholeMinuteTravel(inst.params.metersPerMinute);
  const hp = halfService(inst.params.pickupServiceMin);
  const seen = new Set<string>();
  const best = new Map<string, { at: number; courier: string; notStarted: boolean; now: number }>();
  const res = simulateInstance(inst, cfg, {
    onRound(now, couriers, open) {
      for (const o of open) {
        if (seen.has(o.id)) continue;
        seen.add(o.id);
        const r = inst.restaurants.get(o.restaurantId)!;
        let b = { at: Infinity, courier: '', notStarted: false, now };
        for (const c of couriers) {
          if (c.offTime < now) continue;
          const start = Math.max(c.freeAt, c.onTime, now);
          const arrive = c.freeRestaurantId === r.id ? start : start + travel(c.freeLoc, r.loc);
          const pick = Math.max(arrive + hp, o.readyAt);
          if (pick > c.offTime) continue;
          if (pick < b.at) b = { at: pick, courier: c.id, notStarted: c.onTime > now, now };
        }
        best.set(o.id, b);
      }
    },
  });
  // assignments per courier: when given, pickup
  const given = new Map<string, { assignedAt: number; pickupAt: number; orderIds: string[] }[]>();
  for (const a of res.assignments) {
    const l = given.get(a.courierId) ?? [];
    l.push(a);
    given.set(a.courierId, l);
  }
  const causes = { capacity: 0, shift: 0, given: 0, late: 0 };
  const counts = { capacity: 0, shift: 0, given: 0, late: 0 };
  const byHour = new Map<number, { n: number; wait: number; cap: number; disp: number }>();
  let total = 0;
  let newerWait = 0;
  let newerN = 0;
  const placed = new Map(inst.orders.map((o) => [o.id, o.placedAt]));
  const hist = new Map<number, number>();
  for (const d of res.deliveries) {
    const w = d.pickupAt - d.readyAt;
    const h = Math.floor(d.readyAt / 60);
    const hb = byHour.get(h) ?? { n: 0, wait: 0, cap: 0, disp: 0 };
    hb.n++;
    hb.wait += w;
    byHour.set(h, hb);
    if (w <= 0) continue;
    total += w;
    hist.set(Math.min(30, Math.floor(w / 5) * 5), (hist.get(Math.min(30, Math.floor(w / 5) * 5)) ?? 0) + 1);
    const b = best.get(d.orderId)!;
    const capPart = Math.max(0, Math.min(b.at, d.pickupAt) - d.readyAt);
    const rest = w - capPart;
    if (capPart > 0) {
      const k = b.notStarted ? 'shift' : 'capacity';
      causes[k] += capPart;
      counts[k]++;
      hb.cap += capPart;
    }
    if (rest > 0) {
      const others = (given.get(b.courier) ?? []).filter((a) => a.assignedAt >= b.now && a.pickupAt < d.pickupAt && !a.orderIds.includes(d.orderId));
      const k = others.length ? 'given' : 'late';
      if (others.length) {
        const first = others[0];
        const newer = first.orderIds.every((id) => placed.get(id)! > d.placedAt);
        if (newer) { newerWait += rest; newerN++; }
      }
      causes[k] += rest;
      counts[k]++;
      hb.disp += rest;
    }
  }
  const n = res.deliveries.length;
  console.log(`\n${inst.name}: ${n} delivered, mean ready→pickup ${(res.deliveries.reduce((s, d) => s + d.pickupAt - d.readyAt, 0) / n).toFixed(2)} (positive part ${(total / n).toFixed(2)})`);
  for (const k of Object.keys(causes) as (keyof typeof causes)[]) console.log(`  ${k.padEnd(9)} ${(causes[k] / n).toFixed(2)} min/order  (${counts[k]} orders)`);
  console.log(`  of given: best courier went first to newer orders: ${(newerWait / n).toFixed(2)} min/order (${newerN} orders)`);
  console.log('  wait histogram (min):', [...hist.entries()].sort((a, b) => a[0] - b[0]).map(([k, v]) => `${k}+:${v}`).join(' '));
  console.log('  hour  orders  couriersOn  ord/cour  meanWait  capacity  dispatch');
  // one line per instance for aggregation: wait per order by cause, and by load of the hour
  const load = [0, 0, 0];
  for (const [h, v] of byHour) {
    const t = h * 60 + 30;
    const on = inst.couriers.filter((c) => c.onTime <= t && c.offTime > t).length;
    const r = v.n / Math.max(1, on);
    load[r < 1.5 ? 0 : r < 2.5 ? 1 : 2] += v.wait;
  }
  console.log(`SUMMARY ${inst.name} r2p ${(total / n).toFixed(3)} capacity ${(causes.capacity / n).toFixed(3)} shift ${(causes.shift / n).toFixed(3)} given ${(causes.given / n).toFixed(3)} late ${(causes.late / n).toFixed(3)} load<1.5 ${(load[0] / n).toFixed(3)} load1.5-2.5 ${(load[1] / n).toFixed(3)} load>=2.5 ${(load[2] / n).toFixed(3)}`);
  if (process.env.SUMMARY_ONLY) continue;
  for (const [h, v] of [...byHour.entries()].sort((a, b) => a[0] - b[0])) {
    const t = h * 60 + 30;
    const on = inst.couriers.filter((c) => c.onTime <= t && c.offTime > t).length;
    console.log(`  ${String(h).padStart(4)}  ${String(v.n).padStart(6)}  ${String(on).padStart(10)}  ${(v.n / Math.max(1, on)).toFixed(2).padStart(8)}  ${(v.wait / v.n).toFixed(2).padStart(8)}  ${(v.cap / v.n).toFixed(2).padStart(8)}  ${(v.disp / v.n).toFixed(2).padStart(8)}`);
  }
}
