// Kafka header values are bytes; ours are UTF-8 text, shown as such in the message browser.

/** what the browser shows for a header whose value is null (Kafka allows it: kcat -H name) */
export const NULL_HEADER = '(null)';

/**
 * record headers as text (Kafka header values are bytes; ours are UTF-8). A null value is legal on
 * the wire and kafkajs hands it over as null: it must not throw here, or the one record stops the
 * dashboard's reader of the whole log.
 */
export function headersOf(headers: Record<string, Buffer | string | null | (Buffer | string | null)[] | undefined> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v === undefined) continue;
    out[k] = (Array.isArray(v) ? v : [v]).map((x) => (x === null ? NULL_HEADER : x.toString())).join(', ');
  }
  return out;
}
