// The Node side of the contracts' wire format: validated events and tasks as Buffers (what kafkajs
// and amqplib send), and raw bytes as a dead letter's payload. The schemas themselves are pure and
// live in @riderflow/contracts; these need Buffer, so they live here.
import { LogEventSchema, TaskSchema, type LogEvent, type Task } from '@riderflow/contracts';

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
