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

/**
 * Topic `roster.plans`, key 'all'. A day's shift plan: riders needed per hour (from the day-ahead
 * forecast), riders booked per hour, and one booking per available rider (sent as `roster.shift`).
 */
export const RosterShiftPlanSchema = messageSchema('roster.shift_plan', {
  planId: entityId,
  day: z.number().int().nonnegative(),
  forecastSource: z.string().min(1),
  hours: z.array(
    z.object({
      hourStart: z.number().int().nonnegative(),
      forecastOrders: z.number().nonnegative(),
      ridersNeeded: z.number().nonnegative(),
      ridersBooked: z.number().nonnegative(),
    }),
  ),
  shifts: z.array(z.object({ riderId: entityId, start: z.number().int().nonnegative(), end: z.number().int().nonnegative(), zoneId: entityId.optional() })),
});
export type RosterShiftPlan = z.infer<typeof RosterShiftPlanSchema>;
