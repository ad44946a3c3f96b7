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
  /**
   * Riders the whole city needs over the window (one pooled M/M/c queue: dispatch sends riders
   * across zones); the zones' `ridersNeeded` are this number shared by their forecast. Optional:
   * plans written before it have per-zone needs only.
   */
  cityRidersNeeded: z.number().int().nonnegative().optional(),
  /** Riders on shift city-wide when the plan was made. */
  ridersOnShift: z.number().int().nonnegative().optional(),
  /**
   * The staffing rule's parameters for this plan: rider-minutes per order and minutes from
   * assignment to the door (`observed`: measured on the log's last hours, else the defaults),
   * the click-to-door target and the share of orders it must hold for. Optional: older plans lack it.
   */
  rule: z
    .object({
      serviceMin: z.number().positive(),
      doorMin: z.number().nonnegative(),
      targetMin: z.number().positive(),
      targetShare: z.number().gt(0).lt(1),
      observed: z.boolean(),
    })
    .optional(),
});
export type RosterPlan = z.infer<typeof RosterPlanSchema>;

/**
 * Topic `roster.plans`, key 'all'. A retrain's progress as rostering sees it (the dashboard
 * knows "queued" itself: it sent the job): `running` when the job is taken, then `finished`
 * with the new version and its held-out scores, or `failed` with the reason. `activeModel` is
 * the forecast source plans use from then on.
 */
export const RosterModelSchema = messageSchema('roster.model', {
  jobId: z.string().min(1),
  status: z.enum(['running', 'finished', 'failed']),
  activeModel: z.string().min(1),
  version: z.string().min(1).optional(),
  /** Held-out MAE of the new model and of the best baseline, orders per zone per 15 min. */
  mae: z.number().nonnegative().optional(),
  bestBaselineMae: z.number().nonnegative().optional(),
  error: z.string().optional(),
});
export type RosterModel = z.infer<typeof RosterModelSchema>;

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
