import { z } from 'zod';
import { entityId, latitude, longitude, messageSchema } from '../envelope.js';

/** Go to the store, wait until the food is ready, pick up every order, deliver the drops in the given order. */
export const RiderPickupInstructionSchema = messageSchema('rider.instruction', {
  riderId: entityId,
  action: z.literal('pickup'),
  assignmentId: entityId,
  storeId: entityId,
  storeLat: latitude,
  storeLon: longitude,
  orders: z.array(z.object({ orderId: entityId, dropLat: latitude, dropLon: longitude })).min(1),
});
export type RiderPickupInstruction = z.infer<typeof RiderPickupInstructionSchema>;

/** Move to a zone (its point lat/lon) and wait there. */
export const RiderRepositionInstructionSchema = messageSchema('rider.instruction', {
  riderId: entityId,
  action: z.literal('reposition'),
  zoneId: entityId,
  lat: latitude,
  lon: longitude,
});
export type RiderRepositionInstruction = z.infer<typeof RiderRepositionInstructionSchema>;

/** Queue `rider.instructions`, routing key `rider.<riderId>` on exchange `notifications`. */
export const RiderInstructionSchema = z.discriminatedUnion('action', [RiderPickupInstructionSchema, RiderRepositionInstructionSchema]);
export type RiderInstruction = z.infer<typeof RiderInstructionSchema>;
