import { FLEET, latLonDistance } from '@riderflow/geo';

/** The fastest any rider of the world's fleet rides, clear weather (rain only slows riders down). */
const FASTEST_MPS = Math.max(...FLEET.map((v) => v.kmh[1])) / 3.6;

/**
 * Orders that no rider could have delivered within `targetMin` of the click, whatever the
 * staffing: the food was ready so late that even the fastest rider of the fleet, waiting at the
 * store and riding straight to the door with no service time, arrives after the target. A lower
 * bound on the misses staffing cannot remove (the kitchen's, not the fleet's), per hour of placement.
 */
export class KitchenBoundTap {
  private readonly orders = new Map<string, { placedAt: number; rideMs: number }>();
  private readonly perHour = new Map<number, number>();

  constructor(private readonly targetMin = 40) {}

  add(e: { type: string; ts: number; [k: string]: unknown }): void {
    if (e.type === 'order.created') {
      const ride = latLonDistance(e.storeLat as number, e.storeLon as number, e.dropLat as number, e.dropLon as number) / FASTEST_MPS;
      this.orders.set(e.orderId as string, { placedAt: (e.placedAt as number | undefined) ?? e.ts, rideMs: ride * 1000 });
    } else if (e.type === 'order.ready') {
      const o = this.orders.get(e.orderId as string);
      if (!o) return;
      this.orders.delete(e.orderId as string);
      if (e.ts + o.rideMs - o.placedAt > this.targetMin * 60_000) {
        const h = Math.floor(o.placedAt / 3_600_000) * 3_600_000;
        this.perHour.set(h, (this.perHour.get(h) ?? 0) + 1);
      }
    }
  }

  /** Orders placed in the hour starting at `hourStart` that no rider could have delivered in time. */
  inHour(hourStart: number): number {
    return this.perHour.get(hourStart) ?? 0;
  }
}
