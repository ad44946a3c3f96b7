// Our broker's objects in the JSON shapes of RabbitMQ's management plugin, so one client reads both.

import type { FieldTable, FieldValue, Message, MessageProperties } from '../broker/contract.js';

/** field-table values as the management plugin renders them in JSON */
export function jsonValue(v: FieldValue): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  if (v instanceof Date) return Math.floor(v.getTime() / 1000);
  if (Array.isArray(v)) return v.map(jsonValue);
  const t = v as { type?: unknown; value?: unknown; scale?: number };
  if (typeof t.type === 'string' && 'value' in t) {
    if (t.type === 'decimal') return Number(t.value) / 10 ** (t.scale ?? 0);
    return Number(t.value);
  }
  return jsonTable(v as FieldTable);
}

export function jsonTable(t: FieldTable | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!t) return out;
  for (const [k, v] of Object.entries(t)) if (v !== undefined) out[k] = jsonValue(v);
  return out;
}

const PROPERTY_NAMES: Array<[keyof MessageProperties, string]> = [
  ['contentType', 'content_type'], ['contentEncoding', 'content_encoding'], ['headers', 'headers'],
  ['deliveryMode', 'delivery_mode'], ['priority', 'priority'], ['correlationId', 'correlation_id'],
  ['replyTo', 'reply_to'], ['expiration', 'expiration'], ['messageId', 'message_id'], ['timestamp', 'timestamp'],
  ['type', 'type'], ['userId', 'user_id'], ['appId', 'app_id'], ['clusterId', 'cluster_id'],
];

export function jsonProperties(p: MessageProperties): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, name] of PROPERTY_NAMES) {
    const v = p[k];
    if (v === undefined) continue;
    if (k === 'headers') out[name] = jsonTable(v as FieldTable);
    else if (typeof v === 'bigint') out[name] = Number(v);
    else out[name] = v;
  }
  return out;
}

/** the body as RabbitMQ's "auto" encoding shows it: text when it is valid UTF-8, else base64 */
export function jsonPayload(body: Buffer, truncate?: number): { payload: string; payload_encoding: 'string' | 'base64'; payload_bytes: number } {
  const b = truncate !== undefined && body.length > truncate ? body.subarray(0, truncate) : body;
  const text = b.toString('utf8');
  const isText = Buffer.byteLength(text) === b.length && !text.includes('\uFFFD');
  return isText
    ? { payload: text, payload_encoding: 'string', payload_bytes: body.length }
    : { payload: b.toString('base64'), payload_encoding: 'base64', payload_bytes: body.length };
}

export function jsonMessage(m: Message, redelivered: boolean, messageCount: number, truncate?: number): Record<string, unknown> {
  return {
    ...jsonPayload(m.body, truncate),
    redelivered,
    exchange: m.exchange,
    routing_key: m.routingKey,
    message_count: messageCount,
    properties: jsonProperties(m.properties),
  };
}
