import { BUCKET_MS, BUCKETS_PER_DAY, dayFraction, weekFraction, bucketOf } from '../core/buckets.js';
import type { AnyEvent } from '../core/events.js';
import { createRng } from '@riderflow/geo';

/**
 * Our own documented synthetic city, for tests and for the forecast benchmark when the
 * simulator's history is not at hand. Orders per zone and 15-minute bucket are Poisson with
 *   λ = base_z × day(time of day) × week(day of week) × (1 + rainBoost × raining)
 * day(): a night floor plus a lunch peak (12:30) and a larger dinner peak (19:30);
 * week(): Friday and Saturday +25 %, Sunday +15 %;
 * rain: one city-wide two-state Markov chain stepped hourly (start 6 %/h, stop 30 %/h).
 * Riders are staffed from a fixed plan (not from demand) and ping once per bucket, so
 * "riders active" is a real but weak feature.
 */
export interface SyntheticOptions {
  seed?: number;
  days?: number;
  zones?: number;
  /** Simulated start; default Monday 2026-03-02 00:00 UTC. */
  startMs?: number;
  /** Peak orders per bucket for zone i is base[i % base.length]. */
  base?: number[];
  rainBoost?: number;
  ridersPerZone?: number;
}

export interface SyntheticHistory {
  events: AnyEvent[];
  startMs: number;
  endMs: number;
  zoneIds: string[];
  centers: { lat: number; lon: number }[];
  /** The true Poisson rate per zone and bucket: the floor no forecaster can beat on average. */
  rates: Map<string, Map<number, number>>;
}

export function poisson(lambda: number, rand: () => number): number {
  if (lambda <= 0) return 0;
  if (lambda > 30) {
    // Normal approximation keeps big rates cheap; rounding keeps it an integer count.
    const u = Math.max(1e-12, rand());
    const v = rand();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * z));
  }
  const l = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= rand();
  } while (p > l);
  return k - 1;
}

export function dayProfile(fraction: number): number {
  const hour = fraction * 24;
  const bump = (mu: number, sigma: number, amp: number) => amp * Math.exp(-((hour - mu) ** 2) / (2 * sigma * sigma));
  const night = hour < 6 ? 0.05 : 0.2;
  return night + bump(12.5, 1.1, 0.8) + bump(19.5, 1.4, 1.0);
}

export function weekProfile(fraction: number): number {
  const day = Math.floor(fraction * 7); // 0 = Monday
  return day === 4 || day === 5 ? 1.25 : day === 6 ? 1.15 : 1;
}

export const DEFAULT_START_MS = Date.UTC(2026, 2, 2);

export function generateSyntheticHistory(opts: SyntheticOptions = {}): SyntheticHistory {
  const rand = createRng(opts.seed ?? 7).next;
  const days = opts.days ?? 14;
  const zoneCount = opts.zones ?? 6;
  const base = opts.base ?? [10, 6, 4, 8, 3, 5, 7, 2];
  const rainBoost = opts.rainBoost ?? 0.4;
  const ridersPerZone = opts.ridersPerZone ?? 3;
  const startMs = opts.startMs ?? DEFAULT_START_MS;
  const startBucket = bucketOf(startMs);
  const buckets = days * BUCKETS_PER_DAY;
  const zoneIds = Array.from({ length: zoneCount }, (_, i) => `z${i + 1}`);
  const centers = zoneIds.map((_, i) => ({ lat: 52.5 + 0.02 * Math.floor(i / 3), lon: 13.4 + 0.03 * (i % 3) }));
  const events: AnyEvent[] = [];
  const rates = new Map<string, Map<number, number>>(zoneIds.map((z) => [z, new Map()]));
  let raining = false;
  let seq = 0;
  for (let k = 0; k < buckets; k++) {
    const b = startBucket + k;
    const t0 = b * BUCKET_MS;
    if (k % 4 === 0) {
      const was: boolean = raining;
      raining = raining ? rand() > 0.3 : rand() < 0.06;
      if (k === 0 || was !== raining) {
        const mm = raining ? 2 + rand() * 6 : 0;
        zoneIds.forEach((zoneId) => {
          events.push({
            type: 'weather.updated', v: 1, id: `w${seq++}`, ts: t0, zoneId,
            condition: raining ? 'rain' : 'clear', rainMmH: mm, demandFactor: raining ? 1 + rainBoost : 1, speedFactor: raining ? 0.85 : 1,
          } as AnyEvent);
        });
      }
    }
    const level = dayProfile(dayFraction(b)) * weekProfile(weekFraction(b)) * (raining ? 1 + rainBoost : 1);
    zoneIds.forEach((zoneId, zi) => {
      const c = centers[zi];
      const lambda = base[zi % base.length] * level;
      rates.get(zoneId)!.set(b, lambda);
      const n = poisson(lambda, rand);
      for (let j = 0; j < n; j++) {
        const ts = t0 + Math.floor(rand() * BUCKET_MS);
        events.push({
          type: 'order.created', v: 1, id: `o${seq}`, ts, orderId: `o${seq++}`, storeId: `s${zi}`, customerId: `c${seq}`, zoneId,
          storeLat: c.lat + (rand() - 0.5) * 0.01, storeLon: c.lon + (rand() - 0.5) * 0.015,
          dropLat: c.lat + (rand() - 0.5) * 0.015, dropLon: c.lon + (rand() - 0.5) * 0.02, placedAt: ts, expectedReadyAt: ts + 600_000,
        } as AnyEvent);
      }
      const riders = Math.round(ridersPerZone * (0.3 + dayProfile(dayFraction(b))));
      for (let r = 0; r < riders; r++) {
        events.push({
          type: 'rider.location', v: 1, id: `p${seq++}`, ts: t0 + 60_000, riderId: `r${zi}-${r}`, zoneId,
          lat: c.lat, lon: c.lon, status: 'idle', speedKmh: 0,
        } as AnyEvent);
      }
    });
  }
  events.sort((a, b) => a.ts - b.ts);
  return { events, startMs, endMs: startMs + buckets * BUCKET_MS, zoneIds, centers, rates };
}
