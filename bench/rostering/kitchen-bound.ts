import { FLEET, latLonDistance } from '@riderflow/geo';

/** The fastest any rider of the world's fleet rides, clear weather (rain only slows riders down). */
export const FASTEST_MPS = Math.max(...FLEET.map((v) => v.kmh[1])) / 3.6;
/** Service time that must pass after the food is ready and before the door: half the pickup, half the drop-off (the city: 1 + 1 min). */
export const SERVICE_AFTER_READY_MS = 2 * 60_000;

/**
 * True when no rider could have delivered the order within `targetMin` of the click: food ready +
 * the service after it + a straight store→door ride (`rideM` metres) at the fleet's top speed is
 * already past the target. The one statement of the world's bound (KitchenBoundTap, late-order-explain.ts).
 */
export function tooLateForAnyRider(placedAt: number, readyAt: number, rideM: number, targetMin = 40, serviceAfterReadyMs = SERVICE_AFTER_READY_MS): boolean {
  return readyAt + serviceAfterReadyMs + (rideM / FASTEST_MPS) * 1000 - placedAt > targetMin * 60_000;
}

/**
 * Orders that no rider could have delivered within `targetMin` of the click, whatever the
 * staffing and whatever dispatch did — a sound lower bound on the misses that are the world's,
 * per hour of placement:
 * - the customer cancelled (drawn at the click, 2–15 min later: before any delivery could happen);
 * - the food was ready so late that even the fastest rider of the fleet, already waiting at the
 *   store, arrives after the target: food ready + the service time that must pass after the food
 *   is ready and before the door (half the pickup service, then half the drop-off service: the
 *   world picks up at max(arrival + half, ready) and leaves half a service later, and hands over
 *   half a service after arriving) + a straight ride at the fleet's top speed in clear weather.
 * Orders cancelled unassigned before their food was ready have no `order.ready` on the log and
 * are not counted (the bound can only be low, never high).
 */
export class KitchenBoundTap {
  private readonly orders = new Map<string, { placedAt: number; rideM: number }>();
  private readonly kitchen = new Map<number, number>();
  private readonly customer = new Map<number, number>();

  /** `serviceAfterReadyMs`: half the pickup service + half the drop-off service (the city: 1 + 1 min). */
  constructor(private readonly targetMin = 40, private readonly serviceAfterReadyMs = SERVICE_AFTER_READY_MS) {}

  add(e: { type: string; ts: number; [k: string]: unknown }): void {
    if (e.type === 'order.created') {
      const rideM = latLonDistance(e.storeLat as number, e.storeLon as number, e.dropLat as number, e.dropLon as number);
      this.orders.set(e.orderId as string, { placedAt: (e.placedAt as number | undefined) ?? e.ts, rideM });
    } else if (e.type === 'order.ready') {
      const o = this.orders.get(e.orderId as string);
      if (!o || !tooLateForAnyRider(o.placedAt, e.ts, o.rideM, this.targetMin, this.serviceAfterReadyMs)) return;
      // counted once: kitchen-bound, whether or not its customer cancels it later
      this.orders.delete(e.orderId as string);
      bump(this.kitchen, o.placedAt);
    } else if (e.type === 'order.cancelled' || e.type === 'order.delivered') {
      const o = this.orders.get(e.orderId as string);
      if (!o) return;
      this.orders.delete(e.orderId as string);
      if (e.type === 'order.cancelled' && e.reason === 'customer') bump(this.customer, o.placedAt);
    }
  }

  /** Orders placed in the hour starting at `hourStart` whose food was ready too late for any rider. */
  inHour(hourStart: number): number {
    return this.kitchen.get(hourStart) ?? 0;
  }

  /** Orders placed in that hour that their customer cancelled. */
  customerCancelledInHour(hourStart: number): number {
    return this.customer.get(hourStart) ?? 0;
  }
}

function bump(m: Map<number, number>, placedAt: number): void {
  const h = Math.floor(placedAt / 3_600_000) * 3_600_000;
  m.set(h, (m.get(h) ?? 0) + 1);
}
