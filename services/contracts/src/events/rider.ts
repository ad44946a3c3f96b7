import { z } from 'zod';
import { entityId, latitude, longitude, messageSchema } from '../envelope.js';

export const RIDER_STATUSES = ['idle', 'to_store', 'waiting', 'to_customer', 'repositioning', 'off_shift'] as const;
export const RiderStatusSchema = z.enum(RIDER_STATUSES);
export type RiderStatus = z.infer<typeof RiderStatusSchema>;

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
