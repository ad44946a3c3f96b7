// The Node side of the contracts' wire format: validated events and tasks as Buffers (what kafkajs
// and amqplib send), and raw bytes as a dead letter's payload. The schemas themselves are pure and
// live in @riderflow/contracts; these need Buffer, so they live here.
import type { IHeaders } from 'kafkajs';
import { LogEventSchema, TaskSchema, type EventDead, type LogEvent, type Task } from '@riderflow/contracts';

/** Validates and serialises an event; throws on an invalid event, so bad data never reaches the log. */
export function encodeEvent(event: LogEvent): Buffer {
  const res = LogEventSchema.safeParse(event);
  if (!res.success) throw new Error(`refusing to encode invalid event ${String((event as { type?: unknown }).type)}: ${res.error.message}`);
  return Buffer.from(JSON.stringify(event));
}

/** Validates and serialises a task; throws on an invalid one. */
export function encodeTask(task: Task): Buffer {
  const res = TaskSchema.safeParse(task);
  if (!res.success) throw new Error(`refusing to encode invalid task ${String((task as { type?: unknown }).type)}: ${res.error.message}`);
  return Buffer.from(JSON.stringify(task));
}

/** Raw bytes as text when they are valid UTF-8, else base64 — for dead letters. */
export function bytesForDeadLetter(input: Buffer | null | undefined): { payload: string; payloadEncoding: 'utf8' | 'base64' } {
  if (!input) return { payload: '', payloadEncoding: 'utf8' };
  const text = input.toString('utf8');
  if (Buffer.from(text, 'utf8').equals(input)) return { payload: text, payloadEncoding: 'utf8' };
  return { payload: input.toString('base64'), payloadEncoding: 'base64' };
}

/** A source record's key and headers for its dead letter, each value encoded as the payload is. */
export function keyAndHeadersForDeadLetter(key: Buffer | null | undefined, headers: IHeaders | undefined): Pick<EventDead, 'sourceKey' | 'sourceKeyEncoding' | 'sourceHeaders'> {
  const sourceHeaders: NonNullable<EventDead['sourceHeaders']> = [];
  for (const [name, raw] of Object.entries(headers ?? {})) {
    // kafkajs gathers a repeated header name into an array: one entry each, in order
    for (const v of Array.isArray(raw) ? raw : [raw]) {
      if (v === undefined || v === null) sourceHeaders.push({ name, value: null, encoding: 'utf8' });
      else {
        const { payload, payloadEncoding } = bytesForDeadLetter(Buffer.isBuffer(v) ? v : Buffer.from(v));
        sourceHeaders.push({ name, value: payload, encoding: payloadEncoding });
      }
    }
  }
  const k = key === null || key === undefined ? null : bytesForDeadLetter(key);
  return {
    sourceKey: k ? k.payload : null,
    ...(k ? { sourceKeyEncoding: k.payloadEncoding } : {}),
    ...(sourceHeaders.length ? { sourceHeaders } : {}),
  };
}
