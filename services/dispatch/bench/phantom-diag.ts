// Phantom diagnostics (issue 18, end-game foresight): along the default run of one instance, every
// end-game round is planned again with and without phantoms; prints, per round where phantoms
// exist, the phantoms (restaurant, placed, ready), the real orders each plan delivers and the
// couriers whose first trip differs (held back: the phantom plan sends nothing).
// npx tsx services/dispatch/bench/phantom-diag.ts <instance dir> '<json config overrides>' [from]
import { wholeMinuteTravel } from '@riderflow/geo';
import type { Bundle } from '../src/core/bundling.js';
import { buildBundles } from '../src/core/bundling.js';
import { dispatchConfig } from '../src/core/config.js';
import { planEndgame } from '../src/core/endgame.js';
import { phantomOrders } from '../src/core/phantoms.js';
import { halfService } from '../src/core/route.js';
import type { OpenOrder } from '../src/core/types.js';
import { loadInstance } from '../src/mdrp/instance.js';
import { simulateInstance } from '../src/mdrp/simulate.js';

const [dir, json, fromS] = process.argv.slice(2);
const inst = loadInstance(dir);
const base = dispatchConfig({});
const over = dispatchConfig(JSON.parse(json ?? '{}'));
const svc = { pickupServiceMin: inst.params.pickupServiceMin, dropoffServiceMin: inst.params.dropoffServiceMin };
const cfg = { ...over, ...svc };
const travel = wholeMinuteTravel(inst.params.metersPerMinute);
const hp = halfService(svc.pickupServiceMin);
const from = Number(fromS ?? 0);
let rounds = 0;
let withPhantoms = 0;
let differ = 0;
simulateInstance(inst, base, {
  onRound: (now, couriers, open) => {
    if (now < from) return;
    const live = couriers.filter((c) => c.offTime >= now);
    if (live.length === 0 || live.length > base.endgameMaxCouriers) return;
    const placed = open.filter((o) => o.placedAt <= now);
    if (placed.length === 0) return;
    // the bundles as the round builds them, without risk (close enough for a diagnosis)
    const byR = new Map<string, OpenOrder[]>();
    for (const o of placed) byR.set(o.restaurantId, [...(byR.get(o.restaurantId) ?? []), o]);
    const bundles: Bundle[] = [];
    for (const [rid, os] of byR) bundles.push(...buildBundles(inst.restaurants.get(rid)!, os, base.bundleCourierValueBaseMin, travel, cfg, { now, risk: new Map(), riskCourierValueMin: 0 }));
    if (bundles.length > base.endgameMaxBundles) return;
    rounds++;
    const recent = inst.orders.filter((o) => o.placedAt <= now && o.placedAt > now - cfg.endgamePhantomWindowMin);
    const ph = phantomOrders(now, recent, inst.restaurants, Math.max(...live.map((c) => c.offTime)), cfg, (rid, _p, readyAt) => {
      const r = inst.restaurants.get(rid)!;
      return live.filter((c) => Math.max(Math.max(now, c.freeAt, c.onTime) + (c.freeRestaurantId === rid ? 0 : travel(c.freeLoc, r.loc)) + hp, readyAt) <= c.offTime).length;
    });
    if (ph.length === 0) return;
    withPhantoms++;
    const plain = planEndgame(now, bundles, live, inst.restaurants, travel, { ...cfg, endgamePhantomWeight: 0, endgamePhantomMissMin: 0 });
    const fore = planEndgame(now, bundles, live, inst.restaurants, travel, cfg, undefined, ph.map((o) => ({ restaurantId: o.restaurantId, orders: [o] })));
    const key = (t?: { bundle: Bundle }) => (t ? t.bundle.orders.map((o) => o.id).join('+') : '-');
    const diffs = live.filter((c) => key(plain.firstTrips.get(c.id)) !== key(fore.firstTrips.get(c.id))).map((c) => `${c.id}: ${key(plain.firstTrips.get(c.id))} → ${key(fore.firstTrips.get(c.id))}`);
    if (diffs.length > 0) differ++;
    console.log(`${now} live ${live.length} open ${placed.length} phantoms ${ph.map((o) => `${o.restaurantId}@${o.placedAt}/${o.readyAt}`).join(' ')} | delivered plain ${plain.delivered} fore ${fore.delivered}${diffs.length ? ' | first trips ' + diffs.join(', ') : ''}`);
  },
});
console.log(`end-game rounds ${rounds}, with phantoms ${withPhantoms}, first trips differ in ${differ}`);
