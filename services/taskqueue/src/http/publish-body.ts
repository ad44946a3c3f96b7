// The body of RabbitMQ's `POST /api/exchanges/<vhost>/<name>/publish` (what `rabbitmqadmin publish`
// and the management UI send), read into a broker message. Errors read as RabbitMQ's do: a missing
// key is "[{key_missing,<key>}]", an unknown encoding ["unsupported_encoding","<it>"], bad JSON
// "not_json" (checked against RabbitMQ 3.10 on this machine).

import type { FieldTable, Message, MessageProperties } from '../broker/contract.js';

export class PublishBodyError extends Error {
  constructor(readonly reason: unknown) {
    super(typeof reason === 'string' ? reason : JSON.stringify(reason));
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** management JSON property names → ours; values are taken as given when their type fits */
function properties(json: Record<string, unknown>): MessageProperties {
  const p: MessageProperties = {};
  const text = (k: string): string | undefined => (typeof json[k] === 'string' ? (json[k] as string) : undefined);
  const int = (k: string): number | undefined => (Number.isInteger(json[k]) ? (json[k] as number) : undefined);
  const set = <K extends keyof MessageProperties>(key: K, value: MessageProperties[K] | undefined) => {
    if (value !== undefined) p[key] = value;
  };
  set('contentType', text('content_type'));
  set('contentEncoding', text('content_encoding'));
  if (isObject(json.headers)) p.headers = json.headers as FieldTable;
  set('deliveryMode', int('delivery_mode'));
  set('priority', int('priority'));
  set('correlationId', text('correlation_id'));
  set('replyTo', text('reply_to'));
  set('expiration', text('expiration'));
  set('messageId', text('message_id'));
  if (Number.isInteger(json.timestamp)) p.timestamp = BigInt(json.timestamp as number);
  set('type', text('type'));
  set('userId', text('user_id'));
  set('appId', text('app_id'));
  set('clusterId', text('cluster_id'));
  return p;
}

export function readPublishBody(exchange: string, raw: string): Message {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new PublishBodyError('not_json');
  }
  if (!isObject(json)) throw new PublishBodyError('not_json');
  for (const key of ['properties', 'routing_key', 'payload', 'payload_encoding']) {
    if (!(key in json)) throw new PublishBodyError(`[{key_missing,${key}}]`);
  }
  const encoding = json.payload_encoding;
  if (encoding !== 'string' && encoding !== 'base64') throw new PublishBodyError(['unsupported_encoding', String(encoding)]);
  if (typeof json.payload !== 'string' || typeof json.routing_key !== 'string' || !isObject(json.properties)) {
    throw new PublishBodyError('properties must be an object, routing_key and payload strings');
  }
  return {
    // the management API names the default exchange "amq.default"
    exchange: exchange === 'amq.default' ? '' : exchange,
    routingKey: json.routing_key,
    properties: properties(json.properties),
    body: Buffer.from(json.payload, encoding === 'base64' ? 'base64' : 'utf8'),
  };
}
