import { z } from 'zod';
import { entityId, latitude, longitude, messageSchema } from '../envelope.js';

/** Topic `order.events`, key orderId: the order lifecycle. */
export const OrderCreatedSchema = messageSchema('order.created', {
  orderId: entityId,
  storeId: entityId,
  customerId: entityId,
  zoneId: entityId,
  storeLat: latitude,
  storeLon: longitude,
  dropLat: latitude,
  dropLon: longitude,
  /** Simulated epoch ms the customer placed the order. */
  placedAt: z.number().int().nonnegative(),
  /** Simulated epoch ms the store expects the food to be ready. */
  expectedReadyAt: z.number().int().nonnegative(),
});
export type OrderCreated = z.infer<typeof OrderCreatedSchema>;

export const OrderReadySchema = messageSchema('order.ready', {
  orderId: entityId,
  storeId: entityId,
});
export type OrderReady = z.infer<typeof OrderReadySchema>;

export const OrderAssignedSchema = messageSchema('order.assigned', {
  orderId: entityId,
  riderId: entityId,
  assignmentId: entityId,
});
export type OrderAssigned = z.infer<typeof OrderAssignedSchema>;

export const OrderPickedUpSchema = messageSchema('order.picked_up', {
  orderId: entityId,
  riderId: entityId,
});
export type OrderPickedUp = z.infer<typeof OrderPickedUpSchema>;

export const OrderDeliveredSchema = messageSchema('order.delivered', {
  orderId: entityId,
  riderId: entityId,
  placedAt: z.number().int().nonnegative(),
  clickToDoorMin: z.number().nonnegative(),
});
export type OrderDelivered = z.infer<typeof OrderDeliveredSchema>;

/**
 * `simulator_restart`: the order was in flight when the simulator stopped; a resumed start closes
 * it, because riders' jobs and customers' orders are not carried across a restart.
 */
export const ORDER_CANCEL_REASONS = ['unassigned_timeout', 'customer', 'other', 'simulator_restart'] as const;
export const OrderCancelledSchema = messageSchema('order.cancelled', {
  orderId: entityId,
  reason: z.enum(ORDER_CANCEL_REASONS),
});
export type OrderCancelled = z.infer<typeof OrderCancelledSchema>;
