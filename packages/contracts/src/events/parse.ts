import { parseWith, type MessageBody } from '../codec.js';
import { LogEventSchema, type LogEvent } from './log-event.js';

export type ParseEventResult = { ok: true; event: LogEvent } | { ok: false; reason: string };

/** Parses one log message (bytes or text) into a validated event; never throws. */
export function parseEvent(input: MessageBody): ParseEventResult {
  const r = parseWith(LogEventSchema, input);
  return r.ok ? { ok: true, event: r.value } : r;
}
