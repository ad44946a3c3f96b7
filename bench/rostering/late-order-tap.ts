import { latLonDistance } from '@riderflow/geo';

const MIN = 60_000;
/** Rider statuses in which a rider is free for a new trip (a reposition is preempted). */
const FREE = new Set(['idle', 'repositioning']);

/** Everything the log tells about one order, from the click to the door (or the cancellation). */
export interface OrderTrace {
  orderId: string;
  zoneId: string;
  placedAt: number;
  expectedReadyAt: number;
  readyAt?: number;
  store: { lat: number; lon: number };
  drop: { lat: number; lon: number };
  /** Straight store→door metres. */
  rideM: number;
  assignedAt?: number;
  riderId?: string;
  /** Orders in its trip, and its place in the drop-off sequence (0 = first). */
  bundleSize?: number;
  dropIndex?: number;
  plannedDropoffAt?: number;
  /** Rider's distance to the store when the order was assigned, and its last pinged status then. */
  riderKmAtAssign?: number;
  riderStatusAtAssign?: string;
  /** Nearest free (idle or repositioning) rider to the store when placed and when assigned, km. */
  nearestFreeKmAtPlace?: number;
  nearestFreeKmAtAssign?: number;
  /** Free riders within 3 km of the store when the order was placed. */
  freeWithin3KmAtPlace?: number;
  pickedAt?: number;
  deliveredAt?: number;
  cancelledAt?: number;
  cancelReason?: string;
  /** Weather speed factor in the order's zone when it was picked up (1 = clear). */
  speedFactorAtPickup?: number;
}

interface RiderSeen {
  lat: number;
  lon: number;
  status: string;
  onShift: boolean;
  /** Fastest pinged speed: the rider's own clear-weather speed once it has ridden in the clear. */
  maxKmh: number;
}

/**
 * A bench-side tap (nothing in the dispatch core): follows every order and rider on the log so
 * late orders can be taken apart afterwards (see late-order-explain.ts).
 */
export class LateOrderTap {
  readonly orders = new Map<string, OrderTrace>();
  readonly riders = new Map<string, RiderSeen>();
  private readonly weather = new Map<string, number>();
  private readonly trips = new Map<string, { orderIds: string[]; plannedDropoffs: { orderId: string; at: number }[] }>();

  add(e: { type: string; ts: number; [k: string]: unknown }): void {
    switch (e.type) {
      case 'order.created': {
        const store = { lat: e.storeLat as number, lon: e.storeLon as number };
        const drop = { lat: e.dropLat as number, lon: e.dropLon as number };
        const near = this.nearestFree(store);
        this.orders.set(e.orderId as string, {
          orderId: e.orderId as string, zoneId: e.zoneId as string, placedAt: (e.placedAt as number | undefined) ?? e.ts, expectedReadyAt: e.expectedReadyAt as number,
          store, drop, rideM: latLonDistance(store.lat, store.lon, drop.lat, drop.lon), nearestFreeKmAtPlace: near.km, freeWithin3KmAtPlace: near.within3,
        });
        break;
      }
      case 'order.ready': {
        const o = this.orders.get(e.orderId as string);
        if (o) o.readyAt = e.ts;
        break;
      }
      case 'dispatch.assigned':
        this.trips.set(e.assignmentId as string, { orderIds: e.orderIds as string[], plannedDropoffs: e.plannedDropoffs as { orderId: string; at: number }[] });
        break;
      case 'order.assigned': {
        const o = this.orders.get(e.orderId as string);
        if (!o) break;
        o.assignedAt = e.ts;
        o.riderId = e.riderId as string;
        const trip = this.trips.get(e.assignmentId as string);
        if (trip) {
          o.bundleSize = trip.orderIds.length;
          o.dropIndex = trip.orderIds.indexOf(o.orderId);
          o.plannedDropoffAt = trip.plannedDropoffs.find((d) => d.orderId === o.orderId)?.at;
        }
        const r = this.riders.get(o.riderId);
        if (r) {
          o.riderKmAtAssign = latLonDistance(r.lat, r.lon, o.store.lat, o.store.lon) / 1000;
          o.riderStatusAtAssign = r.status;
        }
        o.nearestFreeKmAtAssign = this.nearestFree(o.store).km;
        break;
      }
      case 'order.picked_up': {
        const o = this.orders.get(e.orderId as string);
        if (o) {
          o.pickedAt = e.ts;
          o.speedFactorAtPickup = this.weather.get(o.zoneId) ?? 1;
        }
        break;
      }
      case 'order.delivered': {
        const o = this.orders.get(e.orderId as string);
        if (o) o.deliveredAt = e.ts;
        break;
      }
      case 'order.cancelled': {
        const o = this.orders.get(e.orderId as string);
        if (o) {
          o.cancelledAt = e.ts;
          o.cancelReason = e.reason as string;
        }
        break;
      }
      case 'weather.updated':
        this.weather.set(e.zoneId as string, e.speedFactor as number);
        break;
      case 'rider.shift_started':
        this.riders.set(e.riderId as string, { lat: e.lat as number, lon: e.lon as number, status: 'idle', onShift: true, maxKmh: this.riders.get(e.riderId as string)?.maxKmh ?? 0 });
        break;
      case 'rider.shift_ended': {
        const r = this.riders.get(e.riderId as string);
        if (r) r.onShift = false;
        break;
      }
      case 'rider.location': {
        const prev = this.riders.get(e.riderId as string);
        const maxKmh = Math.max(prev?.maxKmh ?? 0, (e.speedKmh as number) / (this.weather.get(e.zoneId as string) ?? 1));
        this.riders.set(e.riderId as string, { lat: e.lat as number, lon: e.lon as number, status: e.status as string, onShift: e.status !== 'off_shift', maxKmh });
        break;
      }
      default:
    }
  }

  private nearestFree(at: { lat: number; lon: number }): { km: number; within3: number } {
    let best = Infinity;
    let within3 = 0;
    for (const r of this.riders.values()) {
      if (!r.onShift || !FREE.has(r.status)) continue;
      const d = latLonDistance(r.lat, r.lon, at.lat, at.lon);
      if (d < best) best = d;
      if (d <= 3000) within3++;
    }
    return { km: best / 1000, within3 };
  }
}

export const MINUTE_MS = MIN;
