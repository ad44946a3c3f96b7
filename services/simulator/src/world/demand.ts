import { cumulative, distance, type Rng } from '@riderflow/geo';
import { MINUTE, dayOfWeek, hourOfDay } from './time.js';
import type { World } from './world.js';

/**
 * Demand over the day, 0..1 (1 at the dinner peak): a night floor, a lunch peak around 12:30
 * and a larger dinner peak around 19:30.
 */
export function hourProfile(hour: number): number {
  const bump = (mu: number, sd: number) => Math.exp(-0.5 * ((hour - mu) / sd) ** 2);
  const night = hour < 6 ? 0.02 : 0.06;
  return Math.min(1, night + 0.65 * bump(12.6, 1.1) + 0.95 * bump(19.4, 1.5) + 0.12 * bump(16, 2.5));
}

/** Monday … Sunday: weekends and Friday evening order more. */
export const DAY_OF_WEEK_FACTOR = [0.85, 0.86, 0.9, 0.95, 1.12, 1.2, 1.1] as const;

export interface DemandSettings {
  /** City-wide orders per hour at the dinner peak on an average weekday in clear weather. */
  ordersPerHourAtPeak: number;
  /** Share of orders the customer cancels before pickup. */
  customerCancelShare: number;
}

export function defaultDemand(riders: number, factor = 1): DemandSettings {
  // About one order per rider per hour at the peak: a fleet that good dispatch can keep up with.
  return { ordersPerHourAtPeak: Math.max(1, riders * 1.0 * factor), customerCancelShare: 0.01 };
}

export interface PlannedOrder {
  seq: number;
  id: string;
  storeIndex: number;
  customerIndex: number;
  zoneIndex: number;
  placedAt: number;
  /** When the food is actually ready (drawn from the store's distribution). */
  readyAt: number;
  /** What the store announces (its mean preparation time). */
  expectedReadyAt: number;
  /** Set for the few orders the customer will cancel if not yet picked up. */
  customerCancelAt?: number;
}

/** Per-zone lookup tables, built once per world. */
export interface DemandIndex {
  zoneShare: number[];
  customersByZone: number[][];
  /** Per zone: candidate store indices and cumulative weights (popularity × closeness). */
  storesByZone: { stores: number[]; cum: number[] }[];
}

export function buildDemandIndex(world: World): DemandIndex {
  const totalWeight = world.zones.reduce((s, z) => s + z.weight, 0);
  const customersByZone: number[][] = world.zones.map(() => []);
  world.customers.forEach((c, i) => customersByZone[c.zoneIndex].push(i));
  const storesByZone = world.zones.map((z) => {
    const scored = world.stores
      .map((s, i) => ({ i, w: s.popularity * Math.exp(-distance(s.pos, z.centre) / 1_500) }))
      .sort((a, b) => b.w - a.w || a.i - b.i)
      .slice(0, 40);
    return { stores: scored.map((s) => s.i), cum: cumulative(scored.map((s) => s.w)) };
  });
  return { zoneShare: world.zones.map((z) => z.weight / totalWeight), customersByZone, storesByZone };
}

/** Expected orders in one zone during the minute starting at t. */
export function expectedOrdersPerMinute(index: DemandIndex, settings: DemandSettings, zoneIndex: number, t: number, demandFactor: number): number {
  const share = index.zoneShare[zoneIndex];
  return (settings.ordersPerHourAtPeak / 60) * share * hourProfile(hourOfDay(t)) * DAY_OF_WEEK_FACTOR[dayOfWeek(t)] * demandFactor;
}

/** Orders placed during the minute starting at t. Deterministic given the rng stream. */
export function ordersForMinute(
  rng: Rng,
  world: World,
  index: DemandIndex,
  settings: DemandSettings,
  t: number,
  demandFactorOfZone: (zoneIndex: number) => number,
  nextSeq: number,
): PlannedOrder[] {
  const out: PlannedOrder[] = [];
  for (let z = 0; z < world.zones.length; z++) {
    const n = rng.poisson(expectedOrdersPerMinute(index, settings, z, t, demandFactorOfZone(z)));
    for (let k = 0; k < n; k++) {
      const customers = index.customersByZone[z];
      const customerIndex = customers.length > 0 ? customers[Math.floor(rng.next() * customers.length)] : Math.floor(rng.next() * world.customers.length);
      const cand = index.storesByZone[z];
      const storeIndex = cand.stores[rng.weightedIndex(cand.cum)];
      const store = world.stores[storeIndex];
      const placedAt = t + Math.floor(rng.next() * MINUTE);
      const prepMin = Math.max(2, Math.exp(rng.normal(Math.log(store.prepMeanMin), store.prepSdMin / store.prepMeanMin)));
      const cancel = rng.chance(settings.customerCancelShare);
      const cancelAfterMin = rng.range(2, 15);
      const seq = nextSeq + out.length;
      out.push({
        seq,
        id: '',
        storeIndex,
        customerIndex,
        zoneIndex: world.customers[customerIndex].zoneIndex,
        placedAt,
        readyAt: placedAt + Math.round(prepMin * MINUTE),
        expectedReadyAt: placedAt + Math.round(store.prepMeanMin * MINUTE),
        ...(cancel ? { customerCancelAt: placedAt + Math.round(cancelAfterMin * MINUTE) } : {}),
      });
    }
  }
  // Ids name the simulated minute the order was placed in, so they stay unique across runs that
  // continue the same log (a resumed platform, history then live) and identical for identical runs.
  const minute = Math.floor(t / MINUTE).toString(36);
  return out.sort((a, b) => a.placedAt - b.placedAt || a.seq - b.seq).map((o, i) => ({ ...o, seq: nextSeq + i, id: `o${minute}-${i + 1}` }));
}
