import { z } from 'zod';

/** Schema version of every event and task defined here. Bump per type when a shape changes incompatibly. */
export const SCHEMA_VERSION = 1 as const;

/**
 * Fields every event on the log and every task on the queues carries.
 * `ts` is simulated epoch milliseconds; it is also the Kafka record timestamp,
 * so "replay from 18:00" means simulated 18:00.
 */
export const envelopeFields = {
  v: z.literal(SCHEMA_VERSION),
  id: z.string().min(1),
  ts: z.number().int().nonnegative(),
};

/** Builds an object schema for one message type: envelope + `type` literal + payload. */
export function messageSchema<T extends string, S extends z.ZodRawShape>(type: T, payload: S) {
  return z.object({ type: z.literal(type), ...envelopeFields, ...payload });
}

export const latitude = z.number().min(-90).max(90);
export const longitude = z.number().min(-180).max(180);
export const entityId = z.string().min(1);
