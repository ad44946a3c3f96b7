import { z } from 'zod';
import { entityId, latitude, longitude, messageSchema } from '../envelope.js';

/** Topic `dispatch.assignments`, key riderId. The fact that a rider was given orders. */
export const DispatchAssignedSchema = messageSchema('dispatch.assigned', {
  assignmentId: entityId,
  riderId: entityId,
  storeId: entityId,
  orderIds: z.array(entityId).min(1),
  plannedPickupAt: z.number().int().nonnegative(),
  plannedDropoffs: z.array(z.object({ orderId: entityId, at: z.number().int().nonnegative() })),
});
export type DispatchAssigned = z.infer<typeof DispatchAssignedSchema>;

export const DispatchRepositionedSchema = messageSchema('dispatch.repositioned', {
  riderId: entityId,
  zoneId: entityId,
  lat: latitude,
  lon: longitude,
  reason: z.string(),
});
export type DispatchRepositioned = z.infer<typeof DispatchRepositionedSchema>;
