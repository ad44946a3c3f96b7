// The management API's view of what is running rather than what is declared: connections,
// channels, consumers, users and the node, plus the policy and parameter lists (always empty:
// this broker has no policies; queue arguments do their work). Paths and shapes are RabbitMQ's,
// so `rabbitmqadmin list connections|channels|consumers|users|nodes|policies` works unchanged.
//   GET    /api/connections[/<name>[/channels]]   DELETE /api/connections/<name>  (X-Reason header)
//   GET    /api/vhosts/<vhost>/connections|channels
//   GET    /api/channels[/<name>]                 GET /api/consumers[/<vhost>]
//   GET    /api/users[/<name>]                    GET /api/nodes[/<name>]
//   GET    /api/policies[/<vhost>], /api/operator-policies[/<vhost>], /api/parameters, /api/vhost-limits

import { createHash, randomBytes } from 'node:crypto';
import os from 'node:os';
import type { ConnectionInfo } from '../amqp/connection.js';
import { channelJson, connectionJson, connectionName, consumersJson, NODE_NAME } from './connection-views.js';
import { HttpError, notFound } from './http-error.js';

export interface RuntimeSource {
  /** the running AMQP connections */
  connections(): ConnectionInfo[];
  /** close a connection (ConnectionInfo.id) with 320 CONNECTION_FORCED and this reason; false if it is gone */
  closeConnection(id: string, reason: string): boolean;
  /** username → password */
  users: Map<string, string>;
  productVersion: string;
}

export type RuntimeAnswer = { status: number; body: unknown };

const LIST_ONLY = new Set(['policies', 'operator-policies', 'parameters', 'vhost-limits', 'global-parameters']);
const RUNTIME = new Set(['connections', 'channels', 'consumers', 'users', 'nodes', ...LIST_ONLY]);

/** does this path belong here (the caller routes everything else) */
export function isRuntimePath(parts: string[]): boolean {
  const [kind, vhost, sub] = parts;
  return RUNTIME.has(kind ?? '') || (kind === 'vhosts' && vhost !== undefined && (sub === 'connections' || sub === 'channels'));
}

export function createRuntimeRoutes(source: RuntimeSource) {
  // RabbitMQ shows a salted SHA-256 of each password, never the password: so do we (one salt per start)
  const hashes = new Map([...source.users].map(([user, password]) => [user, rabbitPasswordHash(password)]));
  const startedAt = Date.now();

  const running = (vhost?: string) => source.connections().filter((c) => vhost === undefined || c.vhost === vhost);
  const channels = (conns: ConnectionInfo[]) => conns.flatMap((c) => c.channelList.map((ch) => channelJson(c, ch)));
  const userJson = (name: string) => ({ name, password_hash: hashes.get(name), hashing_algorithm: 'rabbit_password_hashing_sha256', tags: ['administrator'], limits: {} });

  return function route(method: string, parts: string[], headers: { reason?: string }): RuntimeAnswer {
    const [kind, a, b] = parts;
    const ok = (body: unknown): RuntimeAnswer => ({ status: 200, body });
    if (kind === 'vhosts') {
      if (method !== 'GET') throw readOnly(`${b} of a vhost`);
      return ok(b === 'connections' ? running(a).map(connectionJson) : channels(running(a)));
    }
    if (kind === 'connections' && a !== undefined && a !== '') {
      const conn = source.connections().find((c) => connectionName(c) === a);
      if (method === 'DELETE' && b === undefined) {
        // RabbitMQ's reason is the X-Reason header, or this sentence
        if (!conn || !source.closeConnection(conn.id, headers.reason || 'Closed via management plugin')) notFound();
        return { status: 204, body: undefined };
      }
      if (method !== 'GET') throw readOnly('a connection');
      if (!conn) notFound();
      if (b === 'channels') return ok(channels([conn!]));
      if (b !== undefined) notFound();
      return ok(connectionJson(conn!));
    }
    if (method !== 'GET') throw readOnly(kind!);
    if (kind === 'connections') return ok(running().map(connectionJson));
    if (kind === 'channels') {
      const all = channels(running());
      if (a === undefined || a === '') return ok(all);
      return ok(all.find((ch) => ch.name === a) ?? notFound());
    }
    if (kind === 'consumers') {
      const vhost = a === undefined || a === '' ? undefined : a;
      return ok(running(vhost).flatMap((c) => c.channelList.flatMap((ch) => consumersJson(c, ch))));
    }
    if (kind === 'users') {
      if (a === undefined || a === '') return ok([...source.users.keys()].map(userJson));
      return ok(source.users.has(a) ? userJson(a) : notFound());
    }
    if (kind === 'nodes') {
      if (a !== undefined && a !== '' && a !== NODE_NAME) notFound();
      const node = nodeJson(source.productVersion, startedAt);
      return ok(a === undefined || a === '' ? [node] : node);
    }
    // policies, operator policies, parameters, limits: none exist here
    if (b !== undefined) notFound();
    return ok([]);
  };
}

function readOnly(what: string): HttpError {
  const why = what === 'policies' || what === 'operator-policies'
    ? 'taskqueue has no policies: set the queue arguments (x-message-ttl, x-max-length, x-dead-letter-exchange, …) when declaring the queue'
    : what === 'users'
      ? 'users are configured when taskqueue starts (--users or TASKQUEUE_USERS), not over HTTP'
      : `changing ${what} is not part of this management API`;
  return new HttpError(405, 'method_not_allowed', why);
}

/** the node: what Node.js can tell honestly of this process (RabbitMQ's Erlang-runtime fields are left out) */
function nodeJson(version: string, startedAt: number) {
  const mem = process.memoryUsage();
  return {
    name: NODE_NAME,
    type: 'disc',
    running: true,
    os_pid: String(process.pid),
    processors: os.availableParallelism(),
    mem_used: mem.rss,
    mem_limit: os.totalmem(),
    mem_alarm: false,
    disk_free_alarm: false,
    uptime: Date.now() - startedAt,
    rates_mode: 'basic',
    partitions: [],
    exchange_types: ['direct', 'fanout', 'topic', 'headers'].map((name) => ({ name, description: `AMQP ${name} exchange, as per the AMQP specification`, enabled: true })),
    auth_mechanisms: [{ name: 'PLAIN', description: 'SASL PLAIN authentication mechanism', enabled: true }],
    applications: [{ name: 'riderflow_taskqueue', description: 'Riderflow task queue (AMQP 0-9-1)', version }],
  };
}

/** RabbitMQ's rabbit_password_hashing_sha256: base64(salt ++ sha256(salt ++ password)), 4-byte salt */
function rabbitPasswordHash(password: string): string {
  const salt = randomBytes(4);
  const digest = createHash('sha256').update(Buffer.concat([salt, Buffer.from(password, 'utf8')])).digest();
  return Buffer.concat([salt, digest]).toString('base64');
}
