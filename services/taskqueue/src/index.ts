// The taskqueue as a library: the broker core, the AMQP server, and startTaskqueue() which wires
// both (plus the HTTP port with /metrics, /healthz and the management API) for main.ts and for
// other services' tests.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { crossSiteProblem, hostAllowList, hostProblem, isSafeMethod } from '@riderflow/host-guard';
import { openBroker } from './broker/index.js';
import { createManagementServer } from './http/index.js';
import type { Broker } from './broker/contract.js';
import { parseUsers } from './amqp/auth.js';
import { createMetrics } from './amqp/metrics.js';
import { startAmqpServer, type AmqpServer } from './amqp/server.js';
import type { ConnectionLimits } from './amqp/connection.js';
import { VirtualHosts } from './virtual-hosts.js';

export { openBroker } from './broker/index.js';
export type * from './broker/contract.js';
export { startAmqpServer } from './amqp/server.js';
export type { AmqpServer } from './amqp/server.js';
export { parseUsers } from './amqp/auth.js';
export { VirtualHosts } from './virtual-hosts.js';

export interface TaskqueueOptions {
  host?: string;
  /** AMQP port; 0 = ephemeral. Default 5673 */
  port?: number;
  /** HTTP port (management API, /metrics, /healthz); 0 = ephemeral; undefined = no HTTP */
  httpPort?: number;
  dataDir: string;
  /** "guest:guest,ops:secret" or { guest: 'guest' }; default guest/guest */
  users?: string | Record<string, string>;
  durability?: 'fsync' | 'none';
  /** virtual hosts to have besides "/" (more can be declared through the management API) */
  vhosts?: string[];
  log?: Logger;
  limits?: Partial<ConnectionLimits>;
}

export interface TaskqueueHandle {
  host: string;
  port: number;
  httpPort: number | undefined;
  /** amqp://user:password@host:port with the first configured user */
  url: string;
  managementUrl: string | undefined;
  /** the default vhost's broker core */
  broker: Broker;
  vhosts: VirtualHosts;
  amqp: AmqpServer;
  close(): Promise<void>;
  connections(): number;
}

export async function startTaskqueue(options: TaskqueueOptions): Promise<TaskqueueHandle> {
  const log = options.log ?? pino({ level: 'silent' });
  const users =
    options.users === undefined
      ? new Map([['guest', 'guest']])
      : typeof options.users === 'string'
        ? parseUsers(options.users)
        : new Map(Object.entries(options.users));
  if (users.size === 0) throw new Error('at least one user is required');
  const host = options.host ?? '127.0.0.1';
  const vhosts = await VirtualHosts.open(options.dataDir, users.keys(), (dataDir, vhost) => openBroker({ dataDir, durability: options.durability, vhost }), options.vhosts);
  const broker = vhosts.default;
  let amqp: AmqpServer;
  try {
    amqp = await startAmqpServer({ broker, vhosts, users, log, host, port: options.port ?? 5673, limits: options.limits });
  } catch (err) {
    await vhosts.close();
    throw err;
  }
  vhosts.onDeleted = (vhost) => amqp.closeVhostConnections(vhost);
  let httpServer: http.Server | undefined;
  let httpPort: number | undefined;
  if (options.httpPort !== undefined) {
    try {
      httpServer = await startHttp(vhosts, amqp, users, host, options.httpPort, log);
      httpPort = (httpServer.address() as AddressInfo).port;
    } catch (err) {
      await amqp.close();
      await vhosts.close();
      throw err;
    }
  }
  const [user, password] = users.entries().next().value as [string, string];
  const cred = `${encodeURIComponent(user)}:${encodeURIComponent(password)}`;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | null = null;
  return {
    host,
    port: amqp.port,
    httpPort,
    url: `amqp://${cred}@${urlHost}:${amqp.port}`,
    managementUrl: httpPort === undefined ? undefined : `http://${cred}@${urlHost}:${httpPort}`,
    broker,
    vhosts,
    amqp,
    connections: () => amqp.connectionCount(),
    close: () =>
      (closing ??= (async () => {
        if (httpServer) {
          httpServer.closeAllConnections();
          await new Promise<void>((r) => httpServer!.close(() => r()));
        }
        await amqp.close();
        await vhosts.close();
      })()),
  };
}

async function startHttp(
  vhosts: VirtualHosts,
  amqp: AmqpServer,
  users: Map<string, string>,
  host: string,
  port: number,
  log: Logger,
): Promise<http.Server> {
  const broker = vhosts.default;
  const metrics = createMetrics(broker, amqp);
  const management = createManagementServer(broker, {
    users,
    vhosts,
    getConnections: () => ({ connections: amqp.connectionCount(), channels: amqp.stats.channels }),
    amqp,
  });
  // DNS rebinding: only the names this broker serves (loopback, bind host, ALLOWED_HOSTS) are answered.
  const hosts = hostAllowList(host, process.env.ALLOWED_HOSTS);
  const server = http.createServer((req, res) => {
    const badHost = hostProblem(req, hosts);
    if (badHost) {
      res.writeHead(421, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'misdirected', reason: badHost }));
      return;
    }
    // Cross-site requests: a page in the user's browser could purge or drain a queue with a simple
    // text/plain POST and cached Basic credentials (RabbitMQ 3.10 allows that; we deliberately don't).
    // Requests without Origin (curl, rabbitmqadmin) and from this API's own origin are served.
    const crossSite = isSafeMethod(req.method) ? null : crossSiteProblem(req);
    if (crossSite) {
      req.resume();
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'forbidden', reason: crossSite }));
      return;
    }
    if (management(req, res)) return;
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'ok', connections: amqp.connectionCount() }));
      return;
    }
    if (path === '/metrics') {
      metrics
        .metrics()
        .then((body) => {
          res.writeHead(200, { 'content-type': metrics.contentType });
          res.end(body);
        })
        .catch((err: Error) => {
          res.writeHead(500);
          res.end(err.message);
        });
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'not_found', reason: 'Not Found' }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('close', () => management.close());
  log.info({ port: (server.address() as AddressInfo).port }, 'http listening');
  return server;
}
