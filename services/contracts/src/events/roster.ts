import { z } from 'zod';
import { entityId, messageSchema } from '../envelope.js';

/** Topic `roster.plans`, key zoneId or 'all'. */
export const RosterPlanSchema = messageSchema('roster.plan', {
  planId: entityId,
  modelVersion: z.string(),
  bucketStart: z.number().int().nonnegative(),
  horizonMin: z.number().positive(),
  zones: z.array(
    z.object({
      zoneId: entityId,
      forecastOrders: z.number().nonnegative(),
      ridersNeeded: z.number().nonnegative(),
      ridersPresent: z.number().nonnegative(),
    }),
  ),
  moves: z.array(z.object({ riderId: entityId, fromZoneId: entityId, toZoneId: entityId })),
  callIns: z.array(z.object({ hourStart: z.number().int().nonnegative(), riders: z.number().int().nonnegative() })),
});
export type RosterPlan = z.infer<typeof RosterPlanSchema>;
