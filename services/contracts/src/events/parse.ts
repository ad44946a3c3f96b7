import { parseWith } from '../codec.js';
import { LogEventSchema, type LogEvent } from './log-event.js';

export type ParseEventResult = { ok: true; event: LogEvent } | { ok: false; reason: string };

/** Parses one log message (bytes or text) into a validated event; never throws. */
export function parseEvent(input: Buffer | Uint8Array | string | null | undefined): ParseEventResult {
  const r = parseWith(LogEventSchema, input);
  return r.ok ? { ok: true, event: r.value } : r;
}

/** Validates and serialises an event; throws on an invalid event, so bad data never reaches the log. */
export function encodeEvent(event: LogEvent): Buffer {
  const res = LogEventSchema.safeParse(event);
  if (!res.success) throw new Error(`refusing to encode invalid event ${String((event as { type?: unknown }).type)}: ${res.error.message}`);
  return Buffer.from(JSON.stringify(event));
}

/** Serialises without validation — for hot paths whose events are built by typed code (the simulator). */
export function encodeEventUnchecked(event: LogEvent): Buffer {
  return Buffer.from(JSON.stringify(event));
}
