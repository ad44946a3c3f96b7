import type { RosterShift } from '@riderflow/contracts';
import { DAY, HOUR, dayStart } from '../world/time.js';
import type { Shift } from '../world/shifts.js';

/**
 * Why the operations office refuses a `roster.shift` booking, or null when it can take it. The
 * rider keeps its hours and its days off; rostering only moves when the hours fall, and only
 * for a shift that has not begun.
 *
 * `own` is the rider's own shift that day (null on a day off); `begun` whether the rider's shift
 * that day (its own, an earlier booking, or one a call-in moved to earlier) has started by `now`.
 */
export function bookingRefusal(req: RosterShift, own: Shift | null, begun: boolean, now: number): string | null {
  const date = new Date(req.day).toISOString().slice(0, 10);
  if (dayStart(req.day) !== req.day) return `day ${req.day} is not the start of a day (00:00 UTC)`;
  if (req.start < req.day || req.start >= req.day + DAY) return `shift start ${new Date(req.start).toISOString()} is not on ${date}`;
  if (!own) return `rider ${req.riderId} has ${date} off`;
  const hours = (own.end - own.start) / HOUR;
  if (req.end - req.start !== own.end - own.start) return `rider ${req.riderId} works ${hours} h on ${date}, not ${(req.end - req.start) / HOUR} h`;
  if (begun) return `rider ${req.riderId}'s shift on ${date} has already begun`;
  if (req.start < now) return `shift start ${new Date(req.start).toISOString()} is in the past`;
  return null;
}
