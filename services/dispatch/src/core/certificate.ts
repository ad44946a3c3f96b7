import { halfService } from './route.js';
import type { Point, TravelTime } from './types.js';

/** What the certificate needs to know about an order. */
export interface CertOrder {
  id: string;
  restaurantId: string;
  restaurantLoc: Point;
  placedAt: number;
  readyAt: number;
}

/** What the certificate needs to know about a courier: where and when its shift starts and ends. */
export interface CertCourier {
  id: string;
  start: Point;
  onTime: number;
  offTime: number;
}

/**
 * The earliest a courier could pick an order up if it had nothing else to do all day: it leaves its
 * start at on_time, drives straight to the restaurant, and picks up no earlier than arrival plus
 * half the pickup service, the ready time, and the placement time (an order is picked up only
 * after it is assigned, and it is assigned only once placed). Every rule makes it later, so this
 * is a lower bound on the pickup time in any solution.
 */
export function earliestPickup(order: CertOrder, courier: CertCourier, travel: TravelTime, pickupServiceMin: number): number {
  const arrive = courier.onTime + travel(courier.start, order.restaurantLoc);
  return Math.max(order.readyAt, order.placedAt, arrive + halfService(pickupServiceMin));
}

/** The courier that came closest to being able to serve an undeliverable order. */
export interface NearestMiss {
  courierId: string;
  earliestPickup: number;
  offTime: number;
}

export type Certificate =
  /** No courier can pick the order up by its off_time even with nothing else to do. */
  | { kind: 'infeasible'; orderId: string; couriersChecked: number; nearest: NearestMiss | null; text: string }
  /** Some courier could have served it: a witness that the order was deliverable. */
  | { kind: 'deliverable'; orderId: string; courierId: string; earliestPickup: number; offTime: number; text: string };

/**
 * Decides, for one order, whether any courier could have delivered it under the problem's rules
 * (pickup no later than the courier's off_time; drop-offs may end after it). The answer is a
 * certificate that anyone can check by recomputing one travel time per courier: for an
 * infeasible order, every courier's earliest possible pickup is after its off_time (the nearest
 * miss is named); for a deliverable order, one courier whose earliest pickup is in time.
 * An undelivered order with a 'deliverable' certificate is a miss the dispatcher should not make.
 */
export function certifyOrder(order: CertOrder, couriers: readonly CertCourier[], travel: TravelTime, pickupServiceMin: number): Certificate {
  let nearest: NearestMiss | null = null;
  let witness: { c: CertCourier; pickup: number } | null = null;
  for (const c of couriers) {
    const pickup = earliestPickup(order, c, travel, pickupServiceMin);
    if (pickup <= c.offTime) {
      // the witness with the most slack, so the message shows how deliverable it was
      if (witness === null || c.offTime - pickup > witness.c.offTime - witness.pickup) witness = { c, pickup };
      continue;
    }
    if (nearest === null || pickup - c.offTime < nearest.earliestPickup - nearest.offTime) {
      nearest = { courierId: c.id, earliestPickup: pickup, offTime: c.offTime };
    }
  }
  const what = `order ${order.id} (restaurant ${order.restaurantId}, placed ${order.placedAt}, ready ${order.readyAt})`;
  if (witness) {
    return {
      kind: 'deliverable',
      orderId: order.id,
      courierId: witness.c.id,
      earliestPickup: witness.pickup,
      offTime: witness.c.offTime,
      text: `${what}: deliverable — courier ${witness.c.id} could pick it up at ${witness.pickup}, off_time ${witness.c.offTime}`,
    };
  }
  const rule = 'earliest pickup = max(ready, placement, on_time + travel(start, restaurant) + half pickup service)';
  const miss = nearest
    ? `nearest: courier ${nearest.courierId} earliest pickup ${nearest.earliestPickup} > off_time ${nearest.offTime}`
    : 'there are no couriers';
  return {
    kind: 'infeasible',
    orderId: order.id,
    couriersChecked: couriers.length,
    nearest,
    text: `${what}: no courier can pick it up by its off_time (all ${couriers.length} checked; ${rule}); ${miss}`,
  };
}
