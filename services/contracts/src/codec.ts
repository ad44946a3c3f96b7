import type { z } from 'zod';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Turns raw bytes (or text) into JSON; never throws. */
export function decodeJson(input: Buffer | Uint8Array | string | null | undefined): ParseResult<unknown> {
  if (input === null || input === undefined) return { ok: false, reason: 'empty message (no value)' };
  const text = typeof input === 'string' ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('utf8');
  if (text.length === 0) return { ok: false, reason: 'empty message (zero bytes)' };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, reason: `not JSON: ${(err as Error).message}` };
  }
}

/** Short, human-readable reason from a zod error: "path: message; path: message". */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

/** Decodes and validates against a schema; never throws. */
export function parseWith<S extends z.ZodType>(schema: S, input: Buffer | Uint8Array | string | null | undefined): ParseResult<z.infer<S>> {
  const json = decodeJson(input);
  if (!json.ok) return json;
  const res = schema.safeParse(json.value);
  if (!res.success) {
    const t = (json.value as { type?: unknown } | null)?.type;
    const prefix = typeof t === 'string' ? `invalid ${t}: ` : 'invalid message: ';
    return { ok: false, reason: prefix + describeZodError(res.error) };
  }
  return { ok: true, value: res.data };
}

/** Raw bytes as text when they are valid UTF-8, else base64 — for dead letters. */
export function bytesForDeadLetter(input: Buffer | null | undefined): { payload: string; payloadEncoding: 'utf8' | 'base64' } {
  if (!input) return { payload: '', payloadEncoding: 'utf8' };
  const text = input.toString('utf8');
  if (Buffer.from(text, 'utf8').equals(input)) return { payload: text, payloadEncoding: 'utf8' };
  return { payload: input.toString('base64'), payloadEncoding: 'base64' };
}
