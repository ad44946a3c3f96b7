// Binary journal records: [u32 payload length][u32 CRC-32C of payload][payload]. A torn or
// corrupt tail fails the length or CRC check and is cut off on recovery. Bodies are written raw
// (no JSON, no base64); only the small properties object is text.
//
// payload PUBLISH: u8 1, f64 id, u32 queueKey, f64 expiresAt, u16 exchange length, exchange,
//                  u16 routing key length, routing key, u32 properties length, properties JSON, body
// payload REMOVE:  u8 2, u32 count, count × f64 id
// payload DELIVERED: u8 3, u32 count, count × f64 id (first delivery: such a message comes back
//                  redelivered after a restart, as RabbitMQ does)

import { crc32c } from '@node-rs/crc32';
import type { Message, MessageProperties } from './contract.js';
import { fromTaggedJson, toTaggedJson } from './tagged-json.js';

export const RECORD_HEADER = 8;
export const PUBLISH = 1;
export const REMOVE = 2;
export const DELIVERED = 3;

export type JournalRecord =
  | { type: typeof PUBLISH; id: number; queueKey: number; expiresAt: number; message: Message }
  | { type: typeof REMOVE | typeof DELIVERED; ids: number[] };

function encodeProperties(p: MessageProperties): Buffer {
  const simple = p.timestamp === undefined && (p.headers === undefined || Object.keys(p.headers).length === 0);
  if (simple && p.headers === undefined && Object.keys(p).length === 1 && p.deliveryMode === 2) return PERSISTENT_ONLY;
  return Buffer.from(simple ? JSON.stringify(p) : toTaggedJson(p), 'utf8');
}
const PERSISTENT_ONLY = Buffer.from('{"deliveryMode":2}');

/** the record as two buffers (header part, body) so the body is never copied before the batch write */
export function encodePublish(id: number, queueKey: number, expiresAt: number, m: Message): [Buffer, Buffer] {
  const props = encodeProperties(m.properties);
  const exLen = Buffer.byteLength(m.exchange);
  const rkLen = Buffer.byteLength(m.routingKey);
  const fixed = 1 + 8 + 4 + 8 + 2 + exLen + 2 + rkLen + 4 + props.length;
  const head = Buffer.allocUnsafe(RECORD_HEADER + fixed);
  let o = RECORD_HEADER;
  head.writeUInt8(PUBLISH, o); o += 1;
  head.writeDoubleLE(id, o); o += 8;
  head.writeUInt32LE(queueKey, o); o += 4;
  head.writeDoubleLE(expiresAt, o); o += 8;
  head.writeUInt16LE(exLen, o); o += 2;
  o += head.write(m.exchange, o, 'utf8');
  head.writeUInt16LE(rkLen, o); o += 2;
  o += head.write(m.routingKey, o, 'utf8');
  head.writeUInt32LE(props.length, o); o += 4;
  props.copy(head, o);
  head.writeUInt32LE(fixed + m.body.length, 0);
  head.writeUInt32LE(crc32c(m.body, crc32c(head.subarray(RECORD_HEADER))), 4);
  return [head, m.body];
}

export function encodeRemove(ids: number[], type: typeof REMOVE | typeof DELIVERED = REMOVE): Buffer {
  const len = 1 + 4 + 8 * ids.length;
  const buf = Buffer.allocUnsafe(RECORD_HEADER + len);
  buf.writeUInt32LE(len, 0);
  buf.writeUInt8(type, 8);
  buf.writeUInt32LE(ids.length, 9);
  for (let i = 0; i < ids.length; i++) buf.writeDoubleLE(ids[i], 13 + 8 * i);
  buf.writeUInt32LE(crc32c(buf.subarray(RECORD_HEADER)), 4);
  return buf;
}

export interface Decoded {
  record: JournalRecord;
  /** bytes consumed */
  size: number;
}

/** decode the record at `offset`; null when the data there is incomplete or corrupt (a torn tail) */
export function decodeRecord(buf: Buffer, offset: number): Decoded | null {
  if (offset + RECORD_HEADER > buf.length) return null;
  const len = buf.readUInt32LE(offset);
  const crc = buf.readUInt32LE(offset + 4);
  const start = offset + RECORD_HEADER;
  if (len < 1 || start + len > buf.length) return null;
  const payload = buf.subarray(start, start + len);
  if (crc32c(payload) !== crc) return null;
  try {
    const type = payload.readUInt8(0);
    if (type === REMOVE || type === DELIVERED) {
      const n = payload.readUInt32LE(1);
      if (5 + 8 * n !== len) return null;
      const ids = new Array<number>(n);
      for (let i = 0; i < n; i++) ids[i] = payload.readDoubleLE(5 + 8 * i);
      return { record: { type, ids }, size: RECORD_HEADER + len };
    }
    if (type !== PUBLISH) return null;
    let o = 1;
    const id = payload.readDoubleLE(o); o += 8;
    const queueKey = payload.readUInt32LE(o); o += 4;
    const expiresAt = payload.readDoubleLE(o); o += 8;
    const exLen = payload.readUInt16LE(o); o += 2;
    const exchange = payload.toString('utf8', o, o + exLen); o += exLen;
    const rkLen = payload.readUInt16LE(o); o += 2;
    const routingKey = payload.toString('utf8', o, o + rkLen); o += rkLen;
    const pLen = payload.readUInt32LE(o); o += 4;
    if (o + pLen > len) return null;
    const properties = fromTaggedJson<MessageProperties>(payload.toString('utf8', o, o + pLen)); o += pLen;
    // copy the body out so the segment buffer can be freed
    const body = Buffer.from(payload.subarray(o));
    return { record: { type: PUBLISH, id, queueKey, expiresAt, message: { exchange, routingKey, properties, body } }, size: RECORD_HEADER + len };
  } catch {
    return null;
  }
}
