import type { z } from 'zod';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/** What a message body may arrive as: bytes (a Node Buffer is a Uint8Array too) or text. */
export type MessageBody = Uint8Array | string | null | undefined;

// TextDecoder rather than Buffer: this package is imported by the browser too.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** Turns raw bytes (or text) into JSON; never throws. */
export function decodeJson(input: MessageBody): ParseResult<unknown> {
  if (input === null || input === undefined) return { ok: false, reason: 'empty message (no value)' };
  const text = typeof input === 'string' ? input : utf8.decode(input);
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
export function parseWith<S extends z.ZodType>(schema: S, input: MessageBody): ParseResult<z.infer<S>> {
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
