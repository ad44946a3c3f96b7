import { z } from 'zod';
import { entityId, latitude, longitude, messageSchema } from '../envelope.js';

import { RIDER_STATUSES } from '../rider-statuses.js';

export const RiderStatusSchema = z.enum(RIDER_STATUSES);

/** Topic `rider.location`, key riderId. A rider's periodic ping. */
export const RiderLocationSchema = messageSchema('rider.location', {
  riderId: entityId,
  zoneId: entityId,
  lat: latitude,
  lon: longitude,
  status: RiderStatusSchema,
  speedKmh: z.number().nonnegative(),
});
export type RiderLocation = z.infer<typeof RiderLocationSchema>;

/** Topic `rider.shifts`, key riderId. */
export const RiderShiftStartedSchema = messageSchema('rider.shift_started', {
  riderId: entityId,
  zoneId: entityId,
  lat: latitude,
  lon: longitude,
  /** Simulated epoch ms at which the shift is planned to end. */
  shiftEnd: z.number().int().nonnegative(),
});
export type RiderShiftStarted = z.infer<typeof RiderShiftStartedSchema>;

export const RiderShiftEndedSchema = messageSchema('rider.shift_ended', {
  riderId: entityId,
});
export type RiderShiftEnded = z.infer<typeof RiderShiftEndedSchema>;

/**
 * Topic `rider.shifts`, key riderId. The rider tells the platform, the evening before (or when the
 * simulation starts, for the rest of today), that it works on `day` and for how many hours.
 * Rostering answers with a `roster.shift` booking; without one the rider keeps its own start time.
 */
export const RiderAvailabilitySchema = messageSchema('rider.availability', {
  riderId: entityId,
  /** Simulated epoch ms of the day's start (00:00 UTC). */
  day: z.number().int().nonnegative(),
  hours: z.number().positive().max(24),
  /** Where the rider lives, so a booking can start it nearby. */
  homeZoneId: entityId,
});
export type RiderAvailability = z.infer<typeof RiderAvailabilitySchema>;
