import { z } from 'zod';
import { messageSchema } from '../envelope.js';

/** Topic `events.dead`, key = source topic. A message a consumer could not accept, set aside with why. */
export const EventDeadSchema = messageSchema('event.dead', {
  sourceTopic: z.string().min(1),
  partition: z.number().int().nonnegative(),
  /** Source offset as a string, like kafkajs reports it (int64 does not fit a JS number). */
  offset: z.string().regex(/^\d+$/),
  reason: z.string().min(1),
  /** The raw bytes: UTF-8 text when they decode cleanly, else base64 (see payloadEncoding). */
  payload: z.string(),
  payloadEncoding: z.enum(['utf8', 'base64']).optional(),
  consumerGroup: z.string(),
});
export type EventDead = z.infer<typeof EventDeadSchema>;
