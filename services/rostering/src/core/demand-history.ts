import { bucketOf } from './buckets.js';
import type {
  AnyEvent,
  OrderClosedLike,
  OrderCreatedLike,
  RiderLocationLike,
  RiderShiftEndedLike,
  RiderShiftStartedLike,
  RiderStatusLike,
  WeatherUpdatedLike,
} from './events.js';

export interface RiderState {
  riderId: string;
  zoneId: string;
  lat: number;
  lon: number;
  status: RiderStatusLike;
  lastSeen: number;
  /** Planned shift end (simulated ms) if a shift_started was seen. */
  shiftEnd?: number;
}

interface ZoneSeries {
  orders: Map<number, number>;
  activeRiders: Map<number, Set<string>>;
  /** Weather updates sorted by time; the rain at a moment is the latest update at or before it. */
  rain: { ts: number; mmH: number }[];
  latSum: number;
  lonSum: number;
  points: number;
  /** Stores only: where pickups start, so where an idle rider is worth most. */
  storeLatSum: number;
  storeLonSum: number;
  storePoints: number;
}

/**
 * Per-zone demand history on 15-minute buckets, fed one event at a time. Every aggregate is
 * order-independent (counts, sets, a sorted weather list), because a replay interleaves
 * partitions and topics in no particular time order.
 */
/** Pseudo zone id for the whole city: orders(CITY, b) is the sum over all zones. */
export const CITY = '*';

export class DemandHistory {
  private readonly zones = new Map<string, ZoneSeries>();
  private readonly cityOrders = new Map<number, number>();
  private readonly riders = new Map<string, RiderState>();
  /** Orders created and not yet assigned/cancelled/delivered: orderId → zone and creation time. */
  private readonly unassigned = new Map<string, { zoneId: string; ts: number }>();
  /** Orders closed before their creation was seen (a replay interleaves partitions). */
  private readonly closedEarly = new Map<string, number>();
  private first = Number.POSITIVE_INFINITY;
  private last = Number.NEGATIVE_INFINITY;
  private latestTs = Number.NEGATIVE_INFINITY;
  eventsSeen = 0;

  add(event: AnyEvent): void {
    switch (event.type) {
      case 'order.created':
        this.addOrder(event as OrderCreatedLike);
        break;
      case 'weather.updated':
        this.addWeather(event as WeatherUpdatedLike);
        break;
      case 'rider.location':
        this.addRiderLocation(event as RiderLocationLike);
        break;
      case 'rider.shift_started':
        this.addShiftStarted(event as RiderShiftStartedLike);
        break;
      case 'rider.shift_ended':
        this.addShiftEnded(event as RiderShiftEndedLike);
        break;
      case 'order.assigned':
      case 'order.cancelled':
      case 'order.delivered':
      case 'order.picked_up': {
        const id = (event as OrderClosedLike).orderId;
        // Later events of an order already closed (picked up, delivered) or of old history need no memory.
        if (!this.unassigned.delete(id) && event.ts >= this.latestTs - 30 * 60_000) this.closedEarly.set(id, event.ts);
        return;
      }
      default:
        return;
    }
    this.eventsSeen++;
    this.touch(event.ts);
  }

  /** Zones seen so far, sorted so feature rows come out in a stable order. */
  zoneIds(): string[] {
    return [...this.zones.keys()].sort();
  }

  /** First bucket any event fell in; earlier buckets are unknown, not zero. */
  firstBucket(): number {
    return this.first;
  }

  /** Latest simulated time seen. */
  watermark(): number {
    return this.latestTs;
  }

  /** The last bucket that is over (the watermark's bucket is still filling). */
  lastCompleteBucket(): number {
    return Number.isFinite(this.latestTs) ? bucketOf(this.latestTs) - 1 : Number.NEGATIVE_INFINITY;
  }

  /** Whether the history covers bucket `b` (so a zero there means "no orders", not "no data"). */
  covers(b: number): boolean {
    return b >= this.first && b <= this.last;
  }

  orders(zoneId: string, b: number): number {
    if (zoneId === CITY) return this.cityOrders.get(b) ?? 0;
    return this.zones.get(zoneId)?.orders.get(b) ?? 0;
  }

  ridersActive(zoneId: string, b: number): number {
    return this.zones.get(zoneId)?.activeRiders.get(b)?.size ?? 0;
  }

  /** Rain in mm/h in force at simulated time `ts` (0 before the first update). */
  rainAt(zoneId: string, ts: number): number {
    const list = this.zones.get(zoneId)?.rain;
    if (!list || list.length === 0) return 0;
    let lo = 0;
    let hi = list.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].ts <= ts) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found < 0 ? 0 : list[found].mmH;
  }

  /** Mean position of the zone's stores, drops and rider pings: where a repositioned rider is sent. */
  centroid(zoneId: string): { lat: number; lon: number } | undefined {
    const z = this.zones.get(zoneId);
    if (!z || z.points === 0) return undefined;
    return { lat: z.latSum / z.points, lon: z.lonSum / z.points };
  }

  /** Mean position of the zone's stores (falls back to `centroid`): where pickups begin. */
  storeCentroid(zoneId: string): { lat: number; lon: number } | undefined {
    const z = this.zones.get(zoneId);
    if (!z || z.storePoints === 0) return this.centroid(zoneId);
    return { lat: z.storeLatSum / z.storePoints, lon: z.storeLonSum / z.storePoints };
  }

  /**
   * Orders waiting for a rider per zone: created within `maxAgeMs` of the watermark and not yet
   * assigned, cancelled or delivered. Dispatch will take idle riders for these within a minute.
   */
  unassignedOrders(maxAgeMs = 30 * 60_000): Map<string, number> {
    const out = new Map<string, number>();
    const since = this.latestTs - maxAgeMs;
    for (const [id, o] of this.unassigned) {
      if (o.ts < since) {
        this.unassigned.delete(id); // long gone (timed out); keeps the map bounded
        continue;
      }
      out.set(o.zoneId, (out.get(o.zoneId) ?? 0) + 1);
    }
    for (const [id, ts] of this.closedEarly) if (ts < since) this.closedEarly.delete(id);
    return out;
  }

  riderStates(): RiderState[] {
    return [...this.riders.values()].sort((a, b) => (a.riderId < b.riderId ? -1 : 1));
  }

  /** Drops buckets older than `beforeBucket` so a long-running service keeps bounded memory. */
  prune(beforeBucket: number): void {
    for (const b of this.cityOrders.keys()) if (b < beforeBucket) this.cityOrders.delete(b);
    for (const z of this.zones.values()) {
      for (const b of z.orders.keys()) if (b < beforeBucket) z.orders.delete(b);
      for (const b of z.activeRiders.keys()) if (b < beforeBucket) z.activeRiders.delete(b);
    }
    if (this.first < beforeBucket) this.first = beforeBucket;
  }

  private zone(zoneId: string): ZoneSeries {
    let z = this.zones.get(zoneId);
    if (!z) {
      z = { orders: new Map(), activeRiders: new Map(), rain: [], latSum: 0, lonSum: 0, points: 0, storeLatSum: 0, storeLonSum: 0, storePoints: 0 };
      this.zones.set(zoneId, z);
    }
    return z;
  }

  private touch(ts: number): void {
    const b = bucketOf(ts);
    if (b < this.first) this.first = b;
    if (b > this.last) this.last = b;
    if (ts > this.latestTs) this.latestTs = ts;
  }

  private addOrder(e: OrderCreatedLike): void {
    const z = this.zone(e.zoneId);
    const b = bucketOf(e.ts);
    z.orders.set(b, (z.orders.get(b) ?? 0) + 1);
    this.cityOrders.set(b, (this.cityOrders.get(b) ?? 0) + 1);
    // Centroids only need to be roughly right; the first few hundred points settle them.
    if (z.points < 2000) {
      z.latSum += e.storeLat + e.dropLat;
      z.lonSum += e.storeLon + e.dropLon;
      z.points += 2;
    }
    if (z.storePoints < 1000) {
      z.storeLatSum += e.storeLat;
      z.storeLonSum += e.storeLon;
      z.storePoints += 1;
    }
    if (this.closedEarly.delete(e.orderId)) return;
    // Only recent orders can still be waiting; replaying weeks of history must not fill the map.
    if (!Number.isFinite(this.latestTs) || e.ts >= this.latestTs - 30 * 60_000) this.unassigned.set(e.orderId, { zoneId: e.zoneId, ts: e.ts });
  }

  private addWeather(e: WeatherUpdatedLike): void {
    const list = this.zone(e.zoneId).rain;
    const item = { ts: e.ts, mmH: e.rainMmH };
    if (list.length === 0 || list[list.length - 1].ts <= e.ts) list.push(item);
    else list.splice(list.findIndex((x) => x.ts > e.ts), 0, item);
  }

  private addRiderLocation(e: RiderLocationLike): void {
    const prev = this.riders.get(e.riderId);
    if (!prev || prev.lastSeen <= e.ts) {
      this.riders.set(e.riderId, {
        riderId: e.riderId,
        zoneId: e.zoneId,
        lat: e.lat,
        lon: e.lon,
        status: e.status,
        lastSeen: e.ts,
        shiftEnd: prev?.shiftEnd,
      });
    }
    if (e.status === 'off_shift') return;
    const z = this.zone(e.zoneId);
    const b = bucketOf(e.ts);
    let set = z.activeRiders.get(b);
    if (!set) z.activeRiders.set(b, (set = new Set()));
    set.add(e.riderId);
  }

  private addShiftStarted(e: RiderShiftStartedLike): void {
    const prev = this.riders.get(e.riderId);
    if (prev && prev.lastSeen > e.ts) {
      prev.shiftEnd = e.shiftEnd;
      return;
    }
    this.riders.set(e.riderId, {
      riderId: e.riderId,
      zoneId: e.zoneId,
      lat: e.lat,
      lon: e.lon,
      status: 'idle',
      lastSeen: e.ts,
      shiftEnd: e.shiftEnd,
    });
  }

  private addShiftEnded(e: RiderShiftEndedLike): void {
    const prev = this.riders.get(e.riderId);
    if (prev && prev.lastSeen <= e.ts) {
      prev.status = 'off_shift';
      prev.lastSeen = e.ts;
    }
  }
}
