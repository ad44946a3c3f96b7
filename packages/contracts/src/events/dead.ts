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
  /**
   * The source record's own key and headers, so the dead letter loses nothing of what was sent
   * (this record's Kafka key is the source topic). Same encoding rule as the payload; a null key
   * or header value stays null. Absent on dead letters written before they were kept.
   */
  sourceKey: z.string().nullable().optional(),
  sourceKeyEncoding: z.enum(['utf8', 'base64']).optional(),
  sourceHeaders: z.array(z.object({ name: z.string(), value: z.string().nullable(), encoding: z.enum(['utf8', 'base64']) })).optional(),
  consumerGroup: z.string(),
});
export type EventDead = z.infer<typeof EventDeadSchema>;
