// Kafka header values are bytes; ours are UTF-8 text, shown as such in the message browser.

/** record headers as text (Kafka header values are bytes; ours are UTF-8) */
export function headersOf(headers: Record<string, Buffer | string | (Buffer | string)[] | undefined> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v === undefined) continue;
    out[k] = (Array.isArray(v) ? v : [v]).map((x) => x.toString()).join(', ');
  }
  return out;
}
