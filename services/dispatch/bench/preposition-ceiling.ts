/**
 * How much could prepositioning save at most? (issue 18, thirteenth stop.) Prepositioning moves only
 * couriers that are idle (free, on shift, with shift left); it cannot shorten a wait in a round where
 * every courier is busy. For each delivered order this replays the policy and looks at the round the
 * order is placed in: its *capacity* wait (ready → the earliest pickup any courier could make from
 * where its committed plan ends, as in wait-diag.ts) and its whole ready → pickup wait, each counted
 * as *reachable* if at that round some courier stood idle (freeAt ≤ now, on shift, at least
 * prepositionMinShiftLeftMin left): had that courier been waiting at the restaurant, the capacity
 * wait would be 0 (capacityIdle; loose: one idle courier anywhere counts for every order of the
 * round). An idle courier can wait at one restaurant only, so capacityOnePer keeps, per round, only
 * the largest capacity waits of the orders placed in it, as many as couriers stand idle: a tighter
 * (still optimistic: it ignores what the moves do to later states) bound on what any placement of
 * idle couriers saves at placement time.
 * Usage: tsx services/dispatch/bench/preposition-ceiling.ts [--config <json>] <instance dir>...
 * Prints one line per instance and the means per instance (minutes per delivered order).
 */
import { wholeMinuteTravel } from '@riderflow/geo';
import { dispatchConfig } from '../src/core/config.js';
import { halfService } from '../src/core/route.js';
import { loadInstance } from '../src/mdrp/instance.js';
import { simulateInstance } from '../src/mdrp/simulate.js';

const args = process.argv.slice(2);
let configJson = '{}';
const dirs: string[] = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--config') configJson = args[++i];
  else dirs.push(args[i]);
}
if (dirs.length === 0) {
  console.error('usage: preposition-ceiling.ts [--config <json>] <instance dir>...');
  process.exit(2);
}
const cfg = dispatchConfig(JSON.parse(configJson));
const keys = ['wait', 'capacity', 'capacityIdle', 'capacityOnePer', 'waitIdle', 'idleShare'] as const;
const sum = Object.fromEntries(keys.map((k) => [k, 0])) as Record<(typeof keys)[number], number>;
for (const dir of dirs) {
  const inst = loadInstance(dir);
  const travel = wholeMinuteTravel(inst.params.metersPerMinute);
  const hp = halfService(inst.params.pickupServiceMin);
  const atPlacement = new Map<string, { earliest: number; idle: number; round: number }>();
  const res = simulateInstance(inst, cfg, {
    onRound(now, couriers, open) {
      let idle = -1;
      for (const o of open) {
        if (atPlacement.has(o.id)) continue;
        if (idle < 0) idle = couriers.filter((c) => c.freeAt <= now && c.onTime <= now && c.offTime - now >= cfg.prepositionMinShiftLeftMin).length;
        const r = inst.restaurants.get(o.restaurantId)!;
        let earliest = Infinity;
        for (const c of couriers) {
          if (c.offTime < now) continue;
          const start = Math.max(c.freeAt, c.onTime, now);
          const pick = Math.max((c.freeRestaurantId === r.id ? start : start + travel(c.freeLoc, r.loc)) + hp, o.readyAt);
          if (pick <= c.offTime && pick < earliest) earliest = pick;
        }
        atPlacement.set(o.id, { earliest, idle, round: now });
      }
    },
  });
  const n = res.deliveries.length;
  const s = Object.fromEntries(keys.map((k) => [k, 0])) as Record<(typeof keys)[number], number>;
  const byRound = new Map<number, { idle: number; caps: number[] }>();
  for (const d of res.deliveries) {
    const w = Math.max(0, d.pickupAt - d.readyAt);
    const p = atPlacement.get(d.orderId)!;
    const cap = Math.max(0, Math.min(p.earliest, d.pickupAt) - d.readyAt);
    s.wait += w;
    s.capacity += cap;
    const r = byRound.get(p.round) ?? { idle: p.idle, caps: [] };
    r.caps.push(cap);
    byRound.set(p.round, r);
    if (p.idle > 0) {
      s.capacityIdle += cap;
      s.waitIdle += w;
      s.idleShare += 1;
    }
  }
  for (const r of byRound.values()) s.capacityOnePer += r.caps.sort((a, b) => b - a).slice(0, r.idle).reduce((a, b) => a + b, 0);
  for (const k of keys) {
    s[k] /= Math.max(1, n);
    sum[k] += s[k];
  }
  console.log(`${inst.name} delivered ${n} ${keys.map((k) => `${k} ${s[k].toFixed(3)}`).join(' ')}`);
}
console.log(`MEAN over ${dirs.length} instances: ${keys.map((k) => `${k} ${(sum[k] / dirs.length).toFixed(3)}`).join(' ')}`);
