import { z } from 'zod';
import { entityId, messageSchema } from '../envelope.js';

const epochMs = z.number().int().nonnegative();

/**
 * Queue `roster.shifts`, routing key `roster.shift` on exchange `jobs`: rostering books one
 * rider's shift for a day it said it works (`rider.availability`). The rider keeps its hours;
 * rostering chooses when they fall (and, optionally, the zone to start in). The operations office
 * refuses a booking for a day off, a shift already begun, or a length other than the rider's hours.
 */
export const RosterShiftSchema = messageSchema('roster.shift', {
  riderId: entityId,
  /** Simulated epoch ms of the day's start (00:00 UTC) the shift belongs to. */
  day: epochMs,
  start: epochMs,
  end: epochMs,
  zoneId: entityId.optional(),
  planId: entityId,
}).refine((s) => s.end > s.start, { message: 'end must be after start', path: ['end'] });
export type RosterShift = z.infer<typeof RosterShiftSchema>;
