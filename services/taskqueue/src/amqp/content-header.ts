// The content header frame payload: class id, weight, body size and basic.* properties, present
// ones flagged in a 16-bit mask from bit 15 (content-type) down to bit 2 (cluster-id).
import type { MessageProperties } from '../broker/contract.js';
import { Reader, Writer, syntaxError } from './buffers.js';
import { readTable, writeTable } from './field-table-codec.js';

export interface ContentHeader {
  classId: number;
  bodySize: number;
  properties: MessageProperties;
}

const F_CONTENT_TYPE = 1 << 15;
const F_CONTENT_ENCODING = 1 << 14;
const F_HEADERS = 1 << 13;
const F_DELIVERY_MODE = 1 << 12;
const F_PRIORITY = 1 << 11;
const F_CORRELATION_ID = 1 << 10;
const F_REPLY_TO = 1 << 9;
const F_EXPIRATION = 1 << 8;
const F_MESSAGE_ID = 1 << 7;
const F_TIMESTAMP = 1 << 6;
const F_TYPE = 1 << 5;
const F_USER_ID = 1 << 4;
const F_APP_ID = 1 << 3;
const F_CLUSTER_ID = 1 << 2;

export function decodeContentHeader(buf: Buffer, start = 0, end = buf.length): ContentHeader {
  const r = new Reader(buf, start, end);
  const classId = r.u16();
  r.u16(); // weight, always 0
  const bodySize = r.u64n();
  let flags = r.u16();
  // a set bit 0 means another flags word follows; no basic property lives there, skip them
  let more = flags;
  while (more & 1) more = r.u16();
  const p: MessageProperties = {};
  if (flags & F_CONTENT_TYPE) p.contentType = r.shortstr();
  if (flags & F_CONTENT_ENCODING) p.contentEncoding = r.shortstr();
  if (flags & F_HEADERS) p.headers = readTable(r);
  if (flags & F_DELIVERY_MODE) p.deliveryMode = r.u8();
  if (flags & F_PRIORITY) p.priority = r.u8();
  if (flags & F_CORRELATION_ID) p.correlationId = r.shortstr();
  if (flags & F_REPLY_TO) p.replyTo = r.shortstr();
  if (flags & F_EXPIRATION) p.expiration = r.shortstr();
  if (flags & F_MESSAGE_ID) p.messageId = r.shortstr();
  if (flags & F_TIMESTAMP) {
    const ts = r.u64();
    p.timestamp = typeof ts === 'bigint' ? ts : BigInt(ts);
  }
  if (flags & F_TYPE) p.type = r.shortstr();
  if (flags & F_USER_ID) p.userId = r.shortstr();
  if (flags & F_APP_ID) p.appId = r.shortstr();
  if (flags & F_CLUSTER_ID) p.clusterId = r.shortstr();
  flags = 0;
  if (r.pos !== end) throw syntaxError('content header: unexpected trailing bytes');
  return { classId, bodySize, properties: p };
}

/** encode class 60 header payload (no frame header) into w */
export function encodeContentHeaderPayload(w: Writer, bodySize: number, p: MessageProperties): void {
  w.u16(60);
  w.u16(0);
  w.u64(bodySize);
  let flags = 0;
  if (p.contentType !== undefined) flags |= F_CONTENT_TYPE;
  if (p.contentEncoding !== undefined) flags |= F_CONTENT_ENCODING;
  if (p.headers !== undefined) flags |= F_HEADERS;
  if (p.deliveryMode !== undefined) flags |= F_DELIVERY_MODE;
  if (p.priority !== undefined) flags |= F_PRIORITY;
  if (p.correlationId !== undefined) flags |= F_CORRELATION_ID;
  if (p.replyTo !== undefined) flags |= F_REPLY_TO;
  if (p.expiration !== undefined) flags |= F_EXPIRATION;
  if (p.messageId !== undefined) flags |= F_MESSAGE_ID;
  if (p.timestamp !== undefined) flags |= F_TIMESTAMP;
  if (p.type !== undefined) flags |= F_TYPE;
  if (p.userId !== undefined) flags |= F_USER_ID;
  if (p.appId !== undefined) flags |= F_APP_ID;
  if (p.clusterId !== undefined) flags |= F_CLUSTER_ID;
  w.u16(flags);
  if (flags === 0) return;
  if (p.contentType !== undefined) w.shortstr(p.contentType);
  if (p.contentEncoding !== undefined) w.shortstr(p.contentEncoding);
  if (p.headers !== undefined) writeTable(w, p.headers);
  if (p.deliveryMode !== undefined) w.u8(p.deliveryMode);
  if (p.priority !== undefined) w.u8(p.priority);
  if (p.correlationId !== undefined) w.shortstr(p.correlationId);
  if (p.replyTo !== undefined) w.shortstr(p.replyTo);
  if (p.expiration !== undefined) w.shortstr(p.expiration);
  if (p.messageId !== undefined) w.shortstr(p.messageId);
  if (p.timestamp !== undefined) w.u64(p.timestamp);
  if (p.type !== undefined) w.shortstr(p.type);
  if (p.userId !== undefined) w.shortstr(p.userId);
  if (p.appId !== undefined) w.shortstr(p.appId);
  if (p.clusterId !== undefined) w.shortstr(p.clusterId);
}
