// The AMQP TCP listener: accepts sockets, names each connection like RabbitMQ does
// ("127.0.0.1:51234 -> 127.0.0.1:5673"), and closes them all on shutdown. Whatever bytes a client
// sends, the worst outcome is that client's connection closing; every other client carries on.
import net from 'node:net';
import type { Logger } from 'pino';
import type { Broker } from '../broker/contract.js';
import type { Users } from './auth.js';
import { DirectReplyTo } from './direct-reply-to.js';
import { Connection, DEFAULT_LIMITS, type ConnectionInfo, type ConnectionLimits, type VhostDirectory } from './connection.js';
import { newServerStats, type ServerStats } from './stats.js';

export interface AmqpServerOptions {
  /** the default vhost's broker core */
  broker: Broker;
  /** other virtual hosts and users' permissions (absent: only "/") */
  vhosts?: VhostDirectory;
  users: Users;
  log: Logger;
  host?: string;
  port?: number;
  limits?: Partial<ConnectionLimits>;
}

export interface AmqpServer {
  readonly host: string;
  readonly port: number;
  readonly stats: ServerStats;
  connections(): ConnectionInfo[];
  connectionCount(): number;
  /** publishers are blocked because RSS is above the high watermark */
  memoryAlarm(): boolean;
  /** bytes of RSS above which publishers are blocked; 0 disables the alarm */
  setMemoryHighWatermark(bytes: number): void;
  /** connection.close 320 CONNECTION_FORCED with this reason (the management API's DELETE); false if not running */
  closeConnection(id: string, reason: string): boolean;
  /** a vhost was deleted: its clients get connection.close 320, as in RabbitMQ */
  closeVhostConnections(vhost: string): void;
  close(): Promise<void>;
}

export async function startAmqpServer(options: AmqpServerOptions): Promise<AmqpServer> {
  const limits: ConnectionLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const stats = newServerStats();
  const live = new Set<Connection>();
  const sockets = new Set<net.Socket>();
  const log = options.log;
  let seq = 0;
  let alarm = false;
  let watermark = limits.memoryHighWatermark;
  const checkMemory = (): void => {
    const rss = process.memoryUsage.rss();
    const next = watermark > 0 && rss > watermark;
    if (next === alarm) return;
    alarm = next;
    log.warn({ rss, watermark }, alarm ? 'memory alarm: blocking publishers' : 'memory alarm cleared');
    for (const c of live) c.setBlocked(alarm);
  };
  const memoryTimer = setInterval(checkMemory, 500);
  memoryTimer.unref();

  const directReplyTo = new DirectReplyTo();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    const name = `${socket.remoteAddress}:${socket.remotePort} -> ${socket.localAddress}:${socket.localPort}`;
    seq++;
    try {
      const conn = new Connection(name, socket, {
        broker: options.broker,
        vhosts: options.vhosts,
        users: options.users,
        limits,
        log,
        stats,
        directReplyTo,
        onClosed: (c) => live.delete(c),
      });
      live.add(conn);
      if (alarm) conn.setBlocked(true);
    } catch (err) {
      log.error({ err }, 'could not set up connection');
      socket.destroy();
    }
  });
  server.on('error', (err) => log.error({ err }, 'amqp listener error'));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 5673, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as net.AddressInfo;
  log.info({ host: addr.address, port: addr.port }, 'amqp listening');

  return {
    host: addr.address,
    port: addr.port,
    stats,
    connections: () => [...live].filter((c) => c.state === 'running').map((c) => c.info()),
    connectionCount: () => [...live].filter((c) => c.state === 'running').length,
    memoryAlarm: () => alarm,
    setMemoryHighWatermark: (bytes: number) => {
      watermark = bytes;
      checkMemory();
    },
    closeConnection: (id: string, reason: string) => {
      const c = [...live].find((k) => k.id === id && k.state === 'running');
      c?.forceClose(reason);
      return c !== undefined;
    },
    closeVhostConnections: (vhost: string) => {
      for (const c of [...live]) if (c.vhost === vhost && c.state === 'running') c.forceClose(`vhost '${vhost}' is deleted`);
    },
    close: async () => {
      clearInterval(memoryTimer);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const c of [...live]) c.forceClose("broker forced connection closure with reason 'shutdown'");
      // give clients a moment to answer close-ok, then cut what is left
      const deadline = Date.now() + 1000;
      while (sockets.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      for (const s of sockets) s.destroy();
      await closed;
      log.debug({ connectionsServed: seq }, 'amqp server closed');
    },
  };
}
