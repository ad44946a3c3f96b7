import { z } from 'zod';
import { entityId, latitude, longitude } from '../envelope.js';

/**
 * Topic `dispatch.rider-state` (compacted), key riderId: the latest state of one rider on shift,
 * as dispatch needs it to plan. Not an event but a snapshot: only the newest record per key
 * matters, and a tombstone (null value) says the rider is off shift. Dispatch writes it and reads
 * it to its end on start, so a restarted dispatch plans with every rider at once.
 */
export const DispatchRiderStateSchema = z.object({
  v: z.literal(1),
  riderId: entityId,
  lat: latitude,
  lon: longitude,
  /** Simulated epoch ms: when the shift started (or the rider was first seen on shift). */
  onShiftSince: z.number().int().nonnegative(),
  /** Simulated epoch ms: when the shift is planned to end. */
  shiftEnd: z.number().int().nonnegative(),
  /** Simulated epoch ms of the newest event this state reflects. */
  seenAt: z.number().int().nonnegative(),
});
export type DispatchRiderState = z.infer<typeof DispatchRiderStateSchema>;
