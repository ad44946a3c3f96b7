import { allocateTargets, planMoves, suggestCallIns, type CallIn, type Move, type RiderPosition } from './allocation.js';
import { BUCKETS_PER_DAY, BUCKET_MIN, bucketStartMs } from './buckets.js';
import type { DemandHistory } from './demand-history.js';
import { DEFAULT_STAFFING, ridersNeeded, type StaffingParams } from './erlang-c.js';

export interface PlanOptions {
  staffing?: StaffingParams;
  /** Buckets the allocation plans for; riders need time to get there, so the peak of these counts. */
  planBuckets?: number;
  speedKmh?: number;
  maxTravelMin?: number;
  /** A rider not heard from for this long is not counted as present. */
  staleAfterMs?: number;
  /** A rider with less than this left on shift is not moved (it would arrive to leave). */
  minShiftLeftMin?: number;
  /**
   * Minutes of forecast orders, beyond those already waiting, for which a zone keeps its idle
   * riders at home (dispatch is about to assign them).
   */
  keepForMin?: number;
}

export interface ZonePlan {
  zoneId: string;
  /** Forecast orders over the plan window (planBuckets × 15 min). */
  forecastOrders: number;
  ridersNeeded: number;
  /** Riders the allocation gives the zone (≤ needed when riders are short). */
  ridersTarget: number;
  ridersPresent: number;
}

export interface Plan {
  bucketStart: number;
  /** Riders the city needs over the window: one pooled queue, the busiest bucket's city-wide forecast. */
  cityRidersNeeded: number;
  horizonMin: number;
  zones: ZonePlan[];
  moves: Move[];
  callIns: CallIn[];
  ridersAvailable: number;
}

/**
 * One planning step. `forecasts` maps a zone to its forecast orders for buckets origin+1,
 * origin+2, … (at least planBuckets; 8 gives the two hours of call-in suggestions).
 */
export function plan(history: DemandHistory, origin: number, forecasts: Map<string, number[]>, opts: PlanOptions = {}): Plan {
  const staffing = opts.staffing ?? DEFAULT_STAFFING;
  const planBuckets = opts.planBuckets ?? 3;
  const minShiftLeftMs = (opts.minShiftLeftMin ?? 30) * 60_000;
  const keepForMin = opts.keepForMin ?? 10;
  const staleAfter = opts.staleAfterMs ?? 10 * 60_000;
  const now = history.watermark();

  const riders: RiderPosition[] = history
    .riderStates()
    .filter((r) => r.status !== 'off_shift' && now - r.lastSeen <= staleAfter)
    .map((r) => ({
      riderId: r.riderId, zoneId: r.zoneId, lat: r.lat, lon: r.lon,
      // Only a rider with nothing to do and time left on shift is free to move.
      idle: r.status === 'idle' && (r.shiftEnd === undefined || r.shiftEnd - now >= minShiftLeftMs),
    }));
  const present = new Map<string, number>();
  for (const r of riders) present.set(r.zoneId, (present.get(r.zoneId) ?? 0) + 1);

  const zoneIds = [...new Set([...forecasts.keys(), ...present.keys()])].sort();
  const pooled = pooledNeed(zoneIds, forecasts, planBuckets, staffing);
  const needs = zoneIds.map((zoneId) => ({ zoneId, needed: pooled.perZone.get(zoneId) ?? 0, forecastOrders: pooled.windowOrders.get(zoneId) ?? 0 }));
  const targets = allocateTargets(needs, riders.length);

  // Riders are sent where pickups begin (the zone's stores), not to the middle of stores and doors.
  const centroids = new Map<string, { lat: number; lon: number }>();
  for (const z of zoneIds) {
    const c = history.storeCentroid(z);
    if (c) centroids.set(z, c);
  }
  const waiting = history.unassignedOrders();
  const keepIdle = new Map<string, number>();
  for (const zoneId of zoneIds) {
    const soon = ((forecasts.get(zoneId) ?? [])[0] ?? 0) * (keepForMin / BUCKET_MIN);
    keepIdle.set(zoneId, (waiting.get(zoneId) ?? 0) + Math.ceil(soon));
  }
  const idleCount = riders.filter((r) => r.idle).length;
  const waitingCount = [...waiting.values()].reduce((s, v) => s + v, 0);
  // A backlog (orders waiting ≥ idle riders) means dispatch will use every idle rider where it
  // is within a minute: no move would survive, so none is sent.
  const moves = waitingCount >= idleCount ? [] : planMoves(riders, targets, centroids, { speedKmh: opts.speedKmh, maxTravelMin: opts.maxTravelMin, keepIdle });

  const hours: { hourStart: number; needed: number }[] = [];
  const horizon = Math.max(0, ...[...forecasts.values()].map((f) => f.length));
  const perHour = 60 / BUCKET_MIN;
  // City-wide, like the day plan: dispatch assigns riders across zones, and a sum of per-zone
  // needs would ask for a rider in every zone with any demand (16 riders for 2 orders at night).
  for (let k = 0; k * perHour < horizon; k++) {
    let busiest = 0;
    for (let i = k * perHour; i < Math.min(horizon, (k + 1) * perHour); i++) {
      let city = 0;
      for (const zoneId of zoneIds) city += (forecasts.get(zoneId) ?? [])[i] ?? 0;
      busiest = Math.max(busiest, city);
    }
    hours.push({ hourStart: bucketStartMs(origin + 1 + k * perHour), needed: ridersNeeded(busiest, BUCKET_MIN, staffing) });
  }
  const shiftEnds = history
    .riderStates()
    .filter((r) => r.status !== 'off_shift' && now - r.lastSeen <= staleAfter)
    .map((r) => r.shiftEnd);
  const callIns = suggestCallIns(hours, shiftEnds);

  return {
    bucketStart: bucketStartMs(origin + 1),
    cityRidersNeeded: pooled.city,
    horizonMin: planBuckets * BUCKET_MIN,
    zones: needs.map((n) => ({
      zoneId: n.zoneId,
      forecastOrders: round2(n.forecastOrders),
      ridersNeeded: n.needed,
      ridersTarget: targets.get(n.zoneId) ?? 0,
      ridersPresent: present.get(n.zoneId) ?? 0,
    })),
    moves,
    callIns,
    ridersAvailable: riders.length,
  };
}

/**
 * Riders needed, city-wide and per zone. Dispatch gives an order to the best rider wherever it
 * is, so the city is one pooled M/M/c queue: its need is the rule on the city's busiest bucket
 * of the window. Summing per-zone needs would staff every zone as if riders never crossed a
 * border (145 "needed" for a city served well by 48). The zones' needs are the city's need
 * shared by their forecast over the window (largest remainders), so they add up to it and say
 * where riders should be, not how many more the city needs.
 */
export function pooledNeed(zoneIds: readonly string[], forecasts: Map<string, number[]>, planBuckets: number, staffing: StaffingParams = DEFAULT_STAFFING): { city: number; perZone: Map<string, number>; windowOrders: Map<string, number> } {
  const windowOrders = new Map<string, number>();
  let busiest = 0;
  for (let i = 0; i < planBuckets; i++) {
    let city = 0;
    for (const z of zoneIds) city += Math.max(0, (forecasts.get(z) ?? [])[i] ?? 0);
    busiest = Math.max(busiest, city);
  }
  for (const z of zoneIds) windowOrders.set(z, (forecasts.get(z) ?? []).slice(0, planBuckets).reduce((s, v) => s + Math.max(0, v), 0));
  const city = ridersNeeded(busiest, BUCKET_MIN, staffing);
  return { city, perZone: apportion(city, windowOrders), windowOrders };
}

/** Splits `total` whole riders over keys in proportion to `weights` (Hamilton: floors, then the largest remainders; ties by key). */
export function apportion(total: number, weights: Map<string, number>): Map<string, number> {
  const sum = [...weights.values()].reduce((s, v) => s + v, 0);
  const out = new Map<string, number>([...weights.keys()].map((k) => [k, 0]));
  if (total <= 0 || sum <= 0) return out;
  const rest: { k: string; r: number }[] = [];
  let given = 0;
  for (const [k, w] of weights) {
    const exact = (total * w) / sum;
    out.set(k, Math.floor(exact));
    given += Math.floor(exact);
    rest.push({ k, r: exact - Math.floor(exact) });
  }
  rest.sort((a, b) => b.r - a.r || (a.k < b.k ? -1 : 1));
  for (let i = 0; i < total - given; i++) out.set(rest[i].k, out.get(rest[i].k)! + 1);
  return out;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Buckets kept in memory by a long-running service: a week plus a day of margin for "last week". */
export const HISTORY_KEEP_BUCKETS = BUCKETS_PER_DAY * 8;
