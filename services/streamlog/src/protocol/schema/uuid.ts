/** Kafka's uuid type travels as 16 bytes; topic ids are kept as the usual text form */
export const ZERO_UUID = Buffer.alloc(16);

export function uuidBytes(id: string | undefined): Buffer {
  return id ? Buffer.from(id.replace(/-/g, ''), 'hex') : ZERO_UUID;
}

export function uuidText(bytes: Buffer): string {
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
