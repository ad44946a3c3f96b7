// JSON that round-trips AMQP field values (bigint, Buffer, Date, typed numbers): used for the
// small things the store keeps as text (topology, message properties), never for bodies.

const TAG = '$rf';

export function toTaggedJson(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v) {
    const raw = this[key];
    if (typeof raw === 'bigint') return { [TAG]: 'n', v: raw.toString() };
    if (Buffer.isBuffer(raw)) return { [TAG]: 'b', v: raw.toString('base64') };
    if (raw instanceof Date) return { [TAG]: 'd', v: raw.getTime() };
    return v;
  });
}

export function fromTaggedJson<T>(text: string): T {
  return JSON.parse(text, (_key, v) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && TAG in v) {
      switch (v[TAG]) {
        case 'n': return BigInt(v.v);
        case 'b': return Buffer.from(v.v, 'base64');
        case 'd': return new Date(v.v);
      }
    }
    return v;
  }) as T;
}
