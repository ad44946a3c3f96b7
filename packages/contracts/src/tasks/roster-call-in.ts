import { z } from 'zod';
import { entityId, messageSchema } from '../envelope.js';

/**
 * Queue `roster.call_ins`, routing key `roster.call_in` on exchange `jobs`: rostering asks the
 * operations office to call in up to `riders` rostered riders now (moving a later shift of the
 * same day earlier, same hours), starting in or near `zoneId` when given.
 */
export const RosterCallInSchema = messageSchema('roster.call_in', {
  riders: z.number().int().min(1).max(1000),
  zoneId: entityId.optional(),
  reason: z.string().min(1),
});
export type RosterCallIn = z.infer<typeof RosterCallInSchema>;
