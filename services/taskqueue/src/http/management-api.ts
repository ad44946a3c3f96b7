// A subset of RabbitMQ's management HTTP API over our broker, with the same paths, JSON shapes
// and basic auth, so the dashboard (or curl) reads either broker with one piece of code:
//   GET    /api/overview
//   GET    /api/queues[/%2F[/<name>]]        GET /api/queues/%2F/<name>/bindings
//   GET    /api/exchanges[/%2F[/<name>]]     GET /api/bindings[/%2F]
//   POST   /api/queues/%2F/<name>/get        (RabbitMQ's get; ackmode ack_requeue_true is non-destructive)
//   POST   /api/exchanges/%2F/<name>/publish (RabbitMQ's publish; amq.default is the default exchange)
//   DELETE /api/queues/%2F/<name>/contents   (purge)
//   DELETE /api/queues/%2F/<name>[?if-empty=true&if-unused=true]
//   GET    /api/queues/%2F/<name>/peek?count=N  (ours: a non-destructive look at ready messages)
//   connections, channels, consumers, users, nodes, policies: see ./runtime-routes.ts
// createManagementServer() returns a request handler: it answers /api/* and returns false for
// other paths so the caller can serve /metrics and /healthz beside it.

import type http from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { AmqpChannelError } from '../errors.js';
import type { Broker, ExchangeStats, Message, QueueStats } from '../broker/contract.js';
import { jsonMessage, jsonTable } from './json-shape.js';
import { NODE_NAME } from './connection-views.js';
import { HttpError, notFound } from './http-error.js';
import { RateWindow } from './rates.js';
import { createRuntimeRoutes, isRuntimePath, type RuntimeSource } from './runtime-routes.js';
import { PublishBodyError, readPublishFields, toMessage } from './publish-body.js';

export interface BrokerTotalsLike {
  published: number;
  delivered: number;
  acked: number;
  redelivered: number;
  unroutable?: number;
}

/** the broker, with the optional extras our core offers (counters across deleted queues, peek with flags) */
export type ManagedBroker = Broker & {
  overview?(): BrokerTotalsLike;
  peekDetailed?(queue: string, count: number): Array<{ message: Message; redelivered: boolean }>;
};

/** virtual hosts as the management API manages them (src/virtual-hosts.ts implements it) */
export interface ManagedVhosts {
  names(): string[];
  broker(vhost: string): Broker | undefined;
  declare(vhost: string, creator?: string): Promise<boolean>;
  delete(vhost: string): Promise<boolean>;
  permissionsOf(vhost?: string): Array<{ vhost: string; user: string; configure: string; write: string; read: string }>;
  setPermission(vhost: string, user: string, p: { configure: string; write: string; read: string }): boolean;
  clearPermission(vhost: string, user: string): boolean;
}

export interface ManagementOptions {
  getConnections: () => { connections: number; channels: number };
  /** virtual hosts besides "/" (absent: `broker` is the only vhost, "/") */
  vhosts?: ManagedVhosts;
  /** username → password */
  users: Map<string, string> | Record<string, string>;
  productVersion?: string;
  /** the AMQP server's connections, for /api/connections, /api/channels and /api/consumers (./runtime-routes.ts) */
  amqp?: Pick<RuntimeSource, 'connections' | 'closeConnection'>;
}

export type ManagementHandler = ((req: http.IncomingMessage, res: http.ServerResponse) => boolean) & { close(): void };

const MANAGEMENT_CONNECTION = '__management__';
const PermissionBody = z.object({ configure: z.string().default('.*'), write: z.string().default('.*'), read: z.string().default('.*') });
const GetBody = z.object({
  count: z.coerce.number().int().min(1).max(100_000).default(1),
  ackmode: z.enum(['ack_requeue_true', 'ack_requeue_false', 'reject_requeue_true', 'reject_requeue_false']).default('ack_requeue_true'),
  encoding: z.enum(['auto', 'base64']).default('auto'),
  truncate: z.coerce.number().int().min(0).optional(),
});

/** a PublishBodyError from `read` is a 400 with its reason */
function readOrRefuse<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof PublishBodyError) throw new HttpError(400, 'bad_request', e.reason);
    throw e;
  }
}


export function createManagementServer(defaultBroker: ManagedBroker, options: ManagementOptions): ManagementHandler {
  const broker = defaultBroker;
  const users = options.users instanceof Map ? options.users : new Map(Object.entries(options.users));
  /** [vhost, broker] for every vhost */
  const hosts = (): Array<[string, ManagedBroker]> =>
    options.vhosts ? options.vhosts.names().map((v) => [v, options.vhosts!.broker(v) as ManagedBroker]) : [['/', broker]];
  const brokerOf = (vhost: string): ManagedBroker | undefined => (options.vhosts ? (options.vhosts.broker(vhost) as ManagedBroker | undefined) : vhost === '/' ? broker : undefined);
  const rates = new RateWindow(() => counters(broker, hosts()));
  const runtime = createRuntimeRoutes({
    connections: () => options.amqp?.connections() ?? [],
    closeConnection: (name, reason) => options.amqp?.closeConnection(name, reason) ?? false,
    users,
    productVersion: options.productVersion ?? '0.1.0',
  });

  const handler = ((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith('/api/') && url.pathname !== '/api') return false;
    const caller = authorised(req.headers.authorization, users);
    if (caller === null) {
      send(res, 401, { error: 'not_authorized', reason: 'Not_Authorized' }, { 'www-authenticate': 'Basic realm="RabbitMQ Management"' });
      return true;
    }
    readBody(req)
      .then((body) => {
        const parts = rawPathSegments(req.url ?? '/');
        const reason = req.headers['x-reason'];
        if (isRuntimePath(parts)) return runtime(req.method ?? 'GET', parts, { reason: typeof reason === 'string' ? reason : undefined });
        return route(req.method ?? 'GET', url, parts, body, caller);
      })
      .then((r) => send(res, r.status, r.body))
      .catch((e: unknown) => {
        if (e instanceof HttpError) send(res, e.status, { error: e.error, reason: e.reason });
        else if (e instanceof AmqpChannelError) send(res, e.code === 404 ? 404 : 400, { error: e.code === 404 ? 'Object Not Found' : 'bad_request', reason: e.replyText });
        else send(res, 500, { error: 'internal_error', reason: (e as Error).message });
      });
    return true;
  }) as ManagementHandler;
  handler.close = () => rates.close();

  async function route(method: string, url: URL, parts: string[], body: string, caller: string): Promise<{ status: number; body: unknown }> {
    const [kind, vhost, name, sub] = parts;
    const ok = (b: unknown) => ({ status: 200, body: b });
    if (kind === 'vhosts') return vhostsRoute(method, vhost, name, caller);
    if (kind === 'permissions') return permissionsRoute(method, vhost, name, body);
    if (kind === 'exchanges' && method === 'POST' && sub === 'publish' && vhost !== undefined && vhost !== '' && name !== undefined) {
      return ok(publish(vhost, name, body, caller));
    }
    // the vhost segment: absent or empty means all vhosts
    const scoped = vhost !== undefined && vhost !== '';
    const broker = scoped ? (brokerOf(vhost) ?? notFound()) : defaultBroker;
    const all = (): Array<[string, ManagedBroker]> => (scoped ? [[vhost, broker]] : hosts());

    if (method === 'GET' && kind === 'overview') return ok(overview());
    if (method === 'GET' && kind === 'whoami') return ok({ name: caller, tags: ['administrator'] });
    if (kind === 'queues') {
      if (method === 'GET' && name === undefined) return ok(all().flatMap(([v, b]) => b.queues().map((q) => queueJson(q, v))));
      if (!scoped) notFound();
      if (method === 'PUT' && sub === undefined) {
        // before the existence check, so declaring a new queue is not answered "Not Found"
        throw new HttpError(405, 'method_not_allowed', 'declaring a queue over HTTP is not part of this management API: declare it over AMQP (queue.declare)');
      }
      const q = broker.queues().find((s) => s.name === name);
      if (!q) notFound();
      if (method === 'GET' && sub === undefined) return ok(queueJson(q, vhost));
      if (method === 'GET' && sub === 'bindings') return ok(bindingsJson(broker, vhost).filter((b) => b.destination_type === 'queue' && b.destination === name));
      if (method === 'POST' && sub === 'get') return ok(getMessages(broker, name!, body));
      if (method === 'GET' && sub === 'peek') {
        const count = Math.min(10_000, Math.max(1, Number(url.searchParams.get('count') ?? '10') || 10));
        return ok(peek(broker, name!, count));
      }
      if (method === 'DELETE' && sub === 'contents') {
        broker.purgeQueue(name!, MANAGEMENT_CONNECTION);
        return { status: 204, body: undefined };
      }
      if (method === 'DELETE' && sub === undefined) {
        // RabbitMQ's if-empty / if-unused: a refused delete is a 400 naming why (the broker's precondition)
        broker.deleteQueue(name!, url.searchParams.get('if-unused') === 'true', url.searchParams.get('if-empty') === 'true', MANAGEMENT_CONNECTION);
        return { status: 204, body: undefined };
      }
      // an existing queue, a method this subset does not serve: say so rather than "Not Found"
      throw new HttpError(405, 'method_not_allowed', `${method} ${sub === undefined ? 'on a queue' : `on a queue's ${sub}`} is not part of this management API`);
    }
    if (kind === 'exchanges' && method === 'GET') {
      if (name === undefined) return ok(all().flatMap(([v, b]) => b.exchanges().map((x) => exchangeJson(x, v))));
      if (!scoped) notFound();
      const x = broker.exchanges().find((s) => s.name === name);
      if (!x) notFound();
      if (sub === undefined) return ok(exchangeJson(x, vhost));
      if (sub === 'bindings') {
        const dir = parts[4];
        return ok(bindingsJson(broker, vhost).filter((b) => (dir === 'destination' ? b.destination_type === 'exchange' && b.destination === name : b.source === name)));
      }
    }
    if (kind === 'bindings' && method === 'GET') return ok(all().flatMap(([v, b]) => bindingsJson(b, v)));
    notFound();
  }

  /**
   * RabbitMQ's publish, its checks in its order (rabbit_mgmt_wm_exchange_publish, 3.10): the body's
   * keys and payload type, the vhost (a missing one is RabbitMQ's 401 "Access refused."), the
   * properties and encoding, the exchange, then what the channel checks (user_id, delivery_mode).
   */
  function publish(vhost: string, name: string, body: string, caller: string): { routed: boolean } {
    const bad = (reason: unknown): never => {
      throw new HttpError(400, 'bad_request', reason);
    };
    const fields = readOrRefuse(() => readPublishFields(body));
    const target = brokerOf(vhost);
    if (!target) throw new HttpError(401, 'not_authorised', 'Access refused.');
    const message = readOrRefuse(() => toMessage(name, fields));
    const xname = `exchange '${message.exchange}' in vhost '${vhost}'`;
    const x = target.exchanges().find((e) => e.name === message.exchange);
    if (!x) bad(`404 NOT_FOUND - no ${xname}`);
    if (x!.internal) bad(`403 ACCESS_REFUSED - cannot publish to internal ${xname}`);
    // RabbitMQ 3.10 publishes a number, null or boolean as the routing key, and the message then
    // closes the connection of any AMQP client it is delivered to (541 INTERNAL_ERROR, probed):
    // ours refuses it, in the words RabbitMQ uses for a property of the wrong type
    if (typeof message.routingKey !== 'string') bad(['not_string', 'routing_key']);
    const { userId, deliveryMode } = message.properties;
    if (userId !== undefined && userId !== caller) {
      bad(`406 PRECONDITION_FAILED - user_id property set to '${userId}' but authenticated user was '${caller}'`);
    }
    if (deliveryMode !== undefined && deliveryMode !== 1 && deliveryMode !== 2) {
      bad(`406 PRECONDITION_FAILED - invalid message: {delivery_mode_unknown,${deliveryMode}}`);
    }
    try {
      return { routed: target.publish({ ...message, routingKey: message.routingKey as string }).routed };
    } catch (e) {
      // a refusal by the core (an invalid expiration, …) is a 400 carrying the channel error, as RabbitMQ's
      if (e instanceof AmqpChannelError) bad(`${e.code} ${e.replyText}`);
      throw e;
    }
  }

  // With its message counts, as RabbitMQ's: `rabbitmqadmin list vhosts` shows the messages column,
  // which stayed blank here while RabbitMQ printed 0.
  function vhostJson(name: string) {
    const qs = brokerOf(name)?.queues() ?? [];
    const sum = (pick: (q: QueueStats) => number) => qs.reduce((a, q) => a + pick(q), 0);
    return {
      name,
      description: name === '/' ? 'Default virtual host' : '',
      tags: [],
      tracing: false,
      messages: sum((q) => q.messages),
      messages_ready: sum((q) => q.messagesReady),
      messages_unacknowledged: sum((q) => q.messagesUnacknowledged),
    };
  }

  async function vhostsRoute(method: string, name: string | undefined, sub: string | undefined, caller: string): Promise<{ status: number; body: unknown }> {
    const names = hosts().map(([v]) => v);
    if (method === 'GET' && name === undefined) return { status: 200, body: names.map(vhostJson) };
    if (name === undefined || name === '') throw new HttpError(405, 'method_not_allowed', 'Method Not Allowed');
    if (method === 'GET' && sub === undefined) {
      if (!names.includes(name)) notFound();
      return { status: 200, body: vhostJson(name) };
    }
    if (method === 'GET' && sub === 'permissions') {
      if (!names.includes(name)) notFound();
      return { status: 200, body: options.vhosts ? options.vhosts.permissionsOf(name) : [...users.keys()].map((user) => ({ vhost: '/', user, configure: '.*', write: '.*', read: '.*' })) };
    }
    if (!options.vhosts) throw new HttpError(405, 'method_not_allowed', 'this broker serves only the vhost "/"');
    if (method === 'PUT' && sub === undefined) {
      if (name.length > 255) throw new HttpError(400, 'bad_request', 'vhost name longer than 255 characters');
      const created = await options.vhosts.declare(name, caller);
      return { status: created ? 201 : 204, body: undefined };
    }
    if (method === 'DELETE' && sub === undefined) {
      if (!(await options.vhosts.delete(name))) notFound();
      return { status: 204, body: undefined };
    }
    throw new HttpError(405, 'method_not_allowed', 'Method Not Allowed');
  }

  function permissionsRoute(method: string, vhost: string | undefined, user: string | undefined, body: string): { status: number; body: unknown } {
    const v = options.vhosts;
    if (method === 'GET' && vhost === undefined) return { status: 200, body: v ? v.permissionsOf() : [] };
    if (vhost === undefined || user === undefined) notFound();
    if (!v) throw new HttpError(405, 'method_not_allowed', 'this broker serves only the vhost "/"');
    if (!v.broker(vhost)) throw new HttpError(400, 'bad_request', `vhost_not_found: ${vhost}`);
    if (method === 'GET') {
      const p = v.permissionsOf(vhost).find((e) => e.user === user);
      if (!p) notFound();
      return { status: 200, body: p };
    }
    if (method === 'PUT') {
      if (!users.has(user)) throw new HttpError(400, 'bad_request', `user_not_found: ${user}`);
      let parsed: z.infer<typeof PermissionBody>;
      try {
        parsed = PermissionBody.parse(body.trim() === '' ? {} : JSON.parse(body));
      } catch (e) {
        throw new HttpError(400, 'bad_request', e instanceof Error ? e.message : 'bad request');
      }
      return { status: v.setPermission(vhost, user, parsed) ? 201 : 204, body: undefined };
    }
    if (method === 'DELETE') {
      if (!v.clearPermission(vhost, user)) notFound();
      return { status: 204, body: undefined };
    }
    throw new HttpError(405, 'method_not_allowed', 'Method Not Allowed');
  }

  function details(key: string, value: number) {
    return { rate: rates.rate(key, value) };
  }

  function overview() {
    const broker = defaultBroker;
    const qs = broker.queues();
    const totals = broker.overview?.() ?? sumQueues(qs);
    const messages = qs.reduce((a, q) => a + q.messages, 0);
    const ready = qs.reduce((a, q) => a + q.messagesReady, 0);
    const unacked = qs.reduce((a, q) => a + q.messagesUnacknowledged, 0);
    const conns = options.getConnections();
    return {
      management_version: options.productVersion ?? '0.1.0',
      rates_mode: 'basic',
      product_name: 'riderflow-taskqueue',
      product_version: options.productVersion ?? '0.1.0',
      rabbitmq_version: '3.13.0-riderflow',
      node: NODE_NAME,
      cluster_name: 'riderflow-taskqueue',
      message_stats: {
        publish: totals.published,
        publish_details: details('o.publish', totals.published),
        deliver_get: totals.delivered,
        deliver_get_details: details('o.deliver_get', totals.delivered),
        ack: totals.acked,
        ack_details: details('o.ack', totals.acked),
        redeliver: totals.redelivered,
        redeliver_details: details('o.redeliver', totals.redelivered),
        drop_unroutable: totals.unroutable ?? 0,
      },
      queue_totals: {
        messages,
        messages_details: { rate: 0 },
        messages_ready: ready,
        messages_ready_details: { rate: 0 },
        messages_unacknowledged: unacked,
        messages_unacknowledged_details: { rate: 0 },
      },
      object_totals: {
        connections: conns.connections,
        channels: conns.channels,
        consumers: qs.reduce((a, q) => a + q.consumers, 0),
        exchanges: broker.exchanges().length,
        queues: qs.length,
      },
    };
  }

  function queueJson(q: QueueStats, vhost: string) {
    const k = `q.${counterVhost(vhost)}${q.name}.`;
    return {
      name: q.name,
      vhost,
      durable: q.durable,
      auto_delete: q.autoDelete,
      exclusive: q.exclusive,
      arguments: jsonTable(q.arguments),
      type: 'classic',
      state: 'running',
      node: NODE_NAME,
      messages: q.messages,
      messages_ready: q.messagesReady,
      messages_unacknowledged: q.messagesUnacknowledged,
      message_bytes: q.bytes,
      consumers: q.consumers,
      message_stats: {
        publish: q.published,
        publish_details: details(`${k}publish`, q.published),
        deliver_get: q.delivered,
        deliver_get_details: details(`${k}deliver_get`, q.delivered),
        ack: q.acked,
        ack_details: details(`${k}ack`, q.acked),
        redeliver: q.redelivered,
        redeliver_details: details(`${k}redeliver`, q.redelivered),
      },
    };
  }

  function exchangeJson(x: ExchangeStats, vhost: string) {
    const k = `x.${counterVhost(vhost)}${x.name}.`;
    return {
      name: x.name,
      vhost,
      type: x.type,
      durable: x.durable,
      auto_delete: x.autoDelete,
      internal: x.internal,
      arguments: jsonTable(x.arguments),
      message_stats: {
        publish_in: x.publishedIn,
        publish_in_details: details(`${k}in`, x.publishedIn),
        publish_out: x.publishedOut,
        publish_out_details: details(`${k}out`, x.publishedOut),
      },
    };
  }

  function bindingsJson(broker: ManagedBroker, vhost: string) {
    return broker.bindings().map((b) => ({
      source: b.source,
      vhost,
      destination: b.destination,
      destination_type: b.destinationType,
      routing_key: b.routingKey,
      arguments: jsonTable(b.arguments),
      properties_key: b.routingKey === '' ? '~' : encodeURIComponent(b.routingKey),
    }));
  }

  function getMessages(broker: ManagedBroker, queue: string, body: string) {
    let parsed: z.infer<typeof GetBody>;
    try {
      parsed = GetBody.parse(body.trim() === '' ? {} : JSON.parse(body));
    } catch (e) {
      throw new HttpError(400, 'bad_request', e instanceof Error ? e.message : 'bad request');
    }
    const requeue = parsed.ackmode.endsWith('_true');
    const reject = parsed.ackmode.startsWith('reject');
    const taken = [];
    for (let i = 0; i < parsed.count; i++) {
      const d = broker.get(queue, false, MANAGEMENT_CONNECTION);
      if (!d) break;
      taken.push(d);
    }
    // all taken first, then given back, so a count of N shows N different messages
    for (const d of taken) {
      if (requeue || reject) broker.reject(d.ref, requeue);
      else broker.ack(d.ref);
    }
    return taken.map((d) => {
      const m = jsonMessage(d.message, d.redelivered, d.remaining, parsed.truncate);
      if (parsed.encoding === 'base64') {
        m.payload = d.message.body.toString('base64');
        m.payload_encoding = 'base64';
      }
      return m;
    });
  }

  function peek(broker: ManagedBroker, queue: string, count: number) {
    const items = broker.peekDetailed?.(queue, count) ?? broker.peek(queue, count).map((message) => ({ message, redelivered: false }));
    return items.map((it, i) => jsonMessage(it.message, it.redelivered, Math.max(0, items.length - i - 1)));
  }

  return handler;
}

/** rate keys of the default vhost stay as they were; other vhosts' carry the vhost */
function counterVhost(vhost: string): string {
  return vhost === '/' ? '' : `${vhost.length}:${vhost}/`;
}

function counters(defaultBroker: ManagedBroker, hosts: Array<[string, ManagedBroker]>): Map<string, number> {
  const m = new Map<string, number>();
  const t = defaultBroker.overview?.() ?? sumQueues(defaultBroker.queues());
  m.set('o.publish', t.published);
  m.set('o.deliver_get', t.delivered);
  m.set('o.ack', t.acked);
  m.set('o.redeliver', t.redelivered);
  for (const [vhost, broker] of hosts) {
    const v = counterVhost(vhost);
    for (const q of broker.queues()) {
      m.set(`q.${v}${q.name}.publish`, q.published);
      m.set(`q.${v}${q.name}.deliver_get`, q.delivered);
      m.set(`q.${v}${q.name}.ack`, q.acked);
      m.set(`q.${v}${q.name}.redeliver`, q.redelivered);
    }
    for (const x of broker.exchanges()) {
      m.set(`x.${v}${x.name}.in`, x.publishedIn);
      m.set(`x.${v}${x.name}.out`, x.publishedOut);
    }
  }
  return m;
}

function sumQueues(qs: QueueStats[]): BrokerTotalsLike {
  return qs.reduce((a, q) => ({ published: a.published + q.published, delivered: a.delivered + q.delivered, acked: a.acked + q.acked, redelivered: a.redelivered + q.redelivered }), { published: 0, delivered: 0, acked: 0, redelivered: 0 });
}

/**
 * The path after /api/ as decoded segments, read from the raw request target: WHATWG URL parsing
 * would collapse "%2E%2E" and "." into dot segments, and queues may be named "." or "..".
 * Encoded slashes stay inside their segment (the vhost "/" is "%2F").
 */
function rawPathSegments(target: string): string[] {
  const q = target.indexOf('?');
  const path = q < 0 ? target : target.slice(0, q);
  return path
    .split('/')
    .slice(2)
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        throw new HttpError(400, 'bad_request', `malformed percent-encoding in path segment '${p.slice(0, 100)}'`);
      }
    });
}

/** the user the basic credentials name, or null when they are missing or wrong */
function authorised(header: string | undefined, users: Map<string, string>): string | null {
  if (!header?.startsWith('Basic ')) return null;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return null;
  const user = decoded.slice(0, i);
  const expected = users.get(user);
  if (expected === undefined) return null;
  const a = Buffer.from(decoded.slice(i + 1));
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b) ? user : null;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  if (req.method === 'GET' || req.method === 'HEAD') {
    req.resume();
    return Promise.resolve('');
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 1 << 20) {
        reject(new HttpError(413, 'bad_request', 'request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  if (body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-cache', ...headers });
  res.end(text);
}
