// The body of RabbitMQ's `POST /api/exchanges/<vhost>/<name>/publish` (what `rabbitmqadmin publish`
// and the management UI send), read into a broker message in RabbitMQ 3.10's order and words
// (each case probed on the RabbitMQ on this machine; the management conformance test runs them on
// both brokers). The management API route checks the vhost between the two steps, as RabbitMQ does:
//   1. readPublishFields: the body as JSON (empty, `null`, `true`, `false` and `undefined` read as
//      `{}`; an array or a number is "not_json"; a JSON string is the doubly-encoded hint), then
//      every missing key at once ("[{key_missing,routing_key},...]", Erlang's ~p), then
//      "payload_not_string";
//   2. toMessage: the properties in AMQP's field order (["not_string","content_type"],
//      ["not_int","priority"], "null_not_allowed" for a null header value), then the payload
//      encoding (["unsupported_encoding",<it>], ["not_base64",<it>]).

import type { FieldTable, FieldValue, Message, MessageProperties } from '../broker/contract.js';

export class PublishBodyError extends Error {
  constructor(readonly reason: unknown) {
    super(typeof reason === 'string' ? reason : JSON.stringify(reason));
  }
}

/** the four keys, in the order RabbitMQ checks and names them */
const KEYS = ['routing_key', 'properties', 'payload', 'payload_encoding'] as const;

export interface PublishFields {
  /** RabbitMQ takes any JSON value here; the route refuses a non-string (see management-api.ts) */
  routingKey: unknown;
  properties: unknown;
  payload: string;
  payloadEncoding: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** RabbitMQ's body decoding (rabbit_mgmt_util:decode): what is not an object is refused or read as {} */
function decodeBody(raw: string): Record<string, unknown> {
  // some HTTP clients send these for "no body"; RabbitMQ reads them as {}
  if (raw === '' || raw === 'null' || raw === 'undefined') return {};
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new PublishBodyError('not_json');
  }
  if (isObject(json)) return json;
  // JSON null, true and false decode to Erlang atoms, which RabbitMQ reads as {}
  if (json === null || typeof json === 'boolean') return {};
  if (typeof json === 'string') {
    throw new PublishBodyError('invalid payload: the request body JSON-decoded to a string. Is the input doubly-JSON-encoded?');
  }
  throw new PublishBodyError('not_json');
}

/** Erlang's ~p of [{key_missing,a},...]: one line while it fits, else one element a line */
export function keyMissingReason(keys: readonly string[]): string {
  const items = keys.map((k) => `{key_missing,${k}}`);
  const oneLine = `[${items.join(',')}]`;
  // measured on RabbitMQ 3.10: 74 characters stay on one line, 79 and more are broken
  return oneLine.length < 79 ? oneLine : `[${items.join(',\n ')}]`;
}

export function readPublishFields(raw: string): PublishFields {
  const json = decodeBody(raw);
  const missing = KEYS.filter((k) => !(k in json));
  if (missing.length > 0) throw new PublishBodyError(keyMissingReason(missing));
  if (typeof json.payload !== 'string') throw new PublishBodyError('payload_not_string');
  return { routingKey: json.routing_key, properties: json.properties, payload: json.payload, payloadEncoding: json.payload_encoding };
}

/** a header value as a field value; RabbitMQ refuses null anywhere in the table */
function headerValue(v: unknown): FieldValue {
  if (v === null) throw new PublishBodyError('null_not_allowed');
  if (Array.isArray(v)) return v.map(headerValue);
  if (isObject(v)) return headerTable(v);
  return v as FieldValue;
}

function headerTable(json: Record<string, unknown>): FieldTable {
  const t: FieldTable = {};
  for (const [k, v] of Object.entries(json)) t[k] = headerValue(v);
  return t;
}

/**
 * management JSON properties → ours, checked in AMQP's field order as RabbitMQ does
 * (rabbit_mgmt_format:to_basic_properties): the first bad one is the answer; unknown keys are ignored.
 */
function readProperties(json: unknown): MessageProperties {
  // RabbitMQ 3.10 crashes on a non-object here (a 500 with an empty body); a 400 that says why
  // serves a client better, so ours refuses it in the words it uses for the fields below
  if (!isObject(json)) throw new PublishBodyError(['not_object', 'properties']);
  const p: MessageProperties = {};
  const text = (k: string): string | undefined => {
    if (!(k in json)) return undefined;
    if (typeof json[k] !== 'string') throw new PublishBodyError(['not_string', k]);
    return json[k] as string;
  };
  const int = (k: string): number | undefined => {
    if (!(k in json)) return undefined;
    if (!Number.isInteger(json[k])) throw new PublishBodyError(['not_int', k]);
    return json[k] as number;
  };
  const set = <K extends keyof MessageProperties>(key: K, value: MessageProperties[K] | undefined) => {
    if (value !== undefined) p[key] = value;
  };
  set('contentType', text('content_type'));
  set('contentEncoding', text('content_encoding'));
  if ('headers' in json) {
    const h = json.headers;
    // RabbitMQ takes an array too (`[]` is Erlang's empty proplist); ours reads it as no headers
    if (isObject(h)) p.headers = headerTable(h);
    else if (Array.isArray(h)) {
      /* no headers */
    }
    // null or a scalar: RabbitMQ 3.10 crashes (500); ours says why
    else throw new PublishBodyError(['not_object', 'headers']);
  }
  set('deliveryMode', int('delivery_mode'));
  set('priority', int('priority'));
  set('correlationId', text('correlation_id'));
  set('replyTo', text('reply_to'));
  set('expiration', text('expiration'));
  set('messageId', text('message_id'));
  const timestamp = int('timestamp');
  if (timestamp !== undefined) p.timestamp = BigInt(timestamp);
  set('type', text('type'));
  set('userId', text('user_id'));
  set('appId', text('app_id'));
  set('clusterId', text('cluster_id'));
  return p;
}

/** strict base64 as Erlang's base64:decode: padded, standard alphabet, whitespace ignored */
function base64(payload: string): Buffer {
  const s = payload.replace(/[\t\n\r ]/g, '');
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) throw new PublishBodyError(['not_base64', payload]);
  return Buffer.from(s, 'base64');
}

/** properties first, then the payload's encoding; the routing key is passed through as given */
export function toMessage(exchange: string, f: PublishFields): Omit<Message, 'routingKey'> & { routingKey: unknown } {
  const properties = readProperties(f.properties);
  const enc = f.payloadEncoding;
  if (enc !== 'string' && enc !== 'base64') throw new PublishBodyError(['unsupported_encoding', enc]);
  return {
    // the management API names the default exchange "amq.default"
    exchange: exchange === 'amq.default' ? '' : exchange,
    routingKey: f.routingKey,
    properties,
    body: enc === 'base64' ? base64(f.payload) : Buffer.from(f.payload, 'utf8'),
  };
}
