import { plannedMinutesBetween, solveAssignment } from '@riderflow/geo';

export interface ZoneNeed {
  zoneId: string;
  needed: number;
}

/**
 * Spreads `available` riders over zones. When there are enough, every zone gets what it needs
 * (spare riders are not assigned a zone and stay where they are). When there are not, riders are
 * handed out one at a time to the zone with the largest unmet share of its need (ties: the larger
 * need, then zone id), so every zone falls short by about the same fraction instead of small
 * zones being starved.
 */
export function allocateTargets(needs: ZoneNeed[], available: number): Map<string, number> {
  const targets = new Map<string, number>(needs.map((n) => [n.zoneId, 0]));
  const total = needs.reduce((s, n) => s + Math.max(0, n.needed), 0);
  if (total <= available) {
    for (const n of needs) targets.set(n.zoneId, Math.max(0, n.needed));
    return targets;
  }
  const order = [...needs].filter((n) => n.needed > 0);
  for (let r = 0; r < available; r++) {
    let best: ZoneNeed | undefined;
    let bestShare = -1;
    for (const n of order) {
      const given = targets.get(n.zoneId)!;
      if (given >= n.needed) continue;
      const unmet = (n.needed - given) / n.needed;
      if (
        unmet > bestShare + 1e-12 ||
        (Math.abs(unmet - bestShare) <= 1e-12 && best && (n.needed > best.needed || (n.needed === best.needed && n.zoneId < best.zoneId)))
      ) {
        best = n;
        bestShare = unmet;
      }
    }
    if (!best) break;
    targets.set(best.zoneId, targets.get(best.zoneId)! + 1);
  }
  return targets;
}

export interface RiderPosition {
  riderId: string;
  zoneId: string;
  lat: number;
  lon: number;
  idle: boolean;
}

export interface Move {
  riderId: string;
  fromZoneId: string;
  toZoneId: string;
  lat: number;
  lon: number;
  travelMin: number;
}

export interface MoveOptions {
  speedKmh?: number;
  /** A move longer than this is not worth it: the demand it chases would be over on arrival. */
  maxTravelMin?: number;
  /**
   * Idle riders each zone keeps whatever its target: the orders there waiting for a rider (and
   * about to be placed). Dispatch takes an idle rider for such an order within a minute, which
   * pre-empts a reposition, so moving that rider only sends it the wrong way first.
   */
  keepIdle?: Map<string, number>;
}

/**
 * Reposition moves: idle riders in zones above target are candidates, each missing rider in a
 * zone below target is a slot, and a minimum-cost assignment on travel time matches them.
 * Only idle riders move, and only out of zones with a surplus, so no zone drops below target.
 */
export function planMoves(
  riders: RiderPosition[],
  targets: Map<string, number>,
  centroids: Map<string, { lat: number; lon: number }>,
  opts: MoveOptions = {},
): Move[] {
  const speed = opts.speedKmh; // undefined: the world's expected ride speed (@riderflow/geo)
  const maxTravel = opts.maxTravelMin ?? 25;
  const present = new Map<string, number>();
  for (const r of riders) present.set(r.zoneId, (present.get(r.zoneId) ?? 0) + 1);

  const candidates: RiderPosition[] = [];
  const surplusLeft = new Map<string, number>();
  for (const [zoneId, count] of present) surplusLeft.set(zoneId, count - (targets.get(zoneId) ?? 0));
  const keepLeft = new Map(opts.keepIdle ?? []);
  for (const r of riders) {
    if (!r.idle) continue;
    const keep = keepLeft.get(r.zoneId) ?? 0;
    if (keep > 0) {
      keepLeft.set(r.zoneId, keep - 1);
      continue;
    }
    const left = surplusLeft.get(r.zoneId) ?? 0;
    if (left <= 0) continue;
    candidates.push(r);
    surplusLeft.set(r.zoneId, left - 1);
  }
  const slots: string[] = [];
  for (const [zoneId, target] of [...targets].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (!centroids.has(zoneId)) continue;
    for (let k = present.get(zoneId) ?? 0; k < target; k++) slots.push(zoneId);
  }
  if (candidates.length === 0 || slots.length === 0) return [];

  // Moves over the limit cost a large constant: the assignment prefers leaving them unmatched
  // (we drop them afterwards) to distorting the other matches.
  const BIG = 1e6;
  const travel = candidates.map((r) =>
    slots.map((z) => {
      const c = centroids.get(z)!;
      return plannedMinutesBetween(r.lat, r.lon, c.lat, c.lon, speed);
    }),
  );
  const cost = travel.map((row) => row.map((t) => (t > maxTravel ? BIG : t)));
  const assign = solveAssignment(cost).rowToCol;
  const moves: Move[] = [];
  assign.forEach((slot, i) => {
    if (slot < 0 || cost[i][slot] >= BIG) return;
    const r = candidates[i];
    const to = slots[slot];
    if (to === r.zoneId) return;
    const c = centroids.get(to)!;
    moves.push({ riderId: r.riderId, fromZoneId: r.zoneId, toZoneId: to, lat: c.lat, lon: c.lon, travelMin: travel[i][slot] });
  });
  return moves;
}

export interface CallIn {
  hourStart: number;
  riders: number;
}

/**
 * Shift suggestions: for each coming hour, riders needed (sum over zones of the need at that
 * hour's busiest bucket) minus riders whose shift still runs through the hour.
 */
export function suggestCallIns(
  hours: { hourStart: number; needed: number }[],
  shiftEnds: (number | undefined)[],
): CallIn[] {
  return hours.map(({ hourStart, needed }) => {
    // A rider with no known shift end is assumed to stay; one ending mid-hour does not count.
    const onShift = shiftEnds.filter((end) => end === undefined || end >= hourStart + 3_600_000).length;
    return { hourStart, riders: Math.max(0, needed - onShift) };
  });
}
