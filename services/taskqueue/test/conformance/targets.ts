// The brokers the conformance suite runs against: the embedded taskqueue always, real RabbitMQ
// when RABBITMQ_URL is set. CONFORMANCE_TARGETS=rabbitmq (or embedded) narrows the list.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import amqp, { type Channel, type ChannelModel } from 'amqplib';
import { AMQPClient, type AMQPChannel } from '@cloudamqp/amqp-client';

export type TargetName = 'embedded' | 'rabbitmq';

export interface Target {
  name: TargetName;
  url: string;
  /** management API base with credentials, e.g. http://guest:guest@127.0.0.1:15672 (undefined when not reachable) */
  httpUrl: string | undefined;
  /** the broker's own HTTP port answers /api/overview (false: the suite mounted the API itself) */
  servesManagementApi: boolean;
  stop(): Promise<void>;
}

export const targetNames: TargetName[] = (() => {
  const all: TargetName[] = ['embedded'];
  if (process.env.RABBITMQ_URL) all.push('rabbitmq');
  const only = process.env.CONFORMANCE_TARGETS?.split(',').map((s) => s.trim());
  return only ? all.filter((t) => only.includes(t)) : all;
})();

interface StartedEmbedded {
  port?: number;
  amqpPort?: number;
  httpPort?: number;
  url?: string;
  managementUrl?: string;
  broker?: unknown;
  connections?: () => number;
  close?: () => Promise<void>;
  stop?: () => Promise<void>;
}

export interface StartTargetOptions {
  /**
   * The suite checks the management API: on RabbitMQ, wait up to this long for it
   * (RABBITMQ_HTTP_URL, default http://guest:guest@<RABBITMQ_URL host>:15672) to answer, and fail
   * if it does not, rather than leave httpUrl undefined.
   */
  requireManagementMs?: number;
}

export async function startTarget(name: TargetName, options: StartTargetOptions = {}): Promise<Target> {
  if (name === 'rabbitmq') {
    const url = process.env.RABBITMQ_URL!;
    const httpUrl = options.requireManagementMs === undefined ? await rabbitManagementUrl(url) : await waitForRabbitManagement(url, options.requireManagementMs);
    return { name, url, httpUrl, servesManagementApi: httpUrl !== undefined, stop: async () => {} };
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-tq-conf-'));
  // a computed specifier: the server layer lands separately and this file must typecheck without it
  const specifier = '../../src/index.js';
  const mod = (await import(/* @vite-ignore */ specifier)) as { startTaskqueue: (o: object) => Promise<StartedEmbedded> };
  const s = await mod.startTaskqueue({ port: 0, httpPort: 0, dataDir, host: '127.0.0.1', durability: 'none', logLevel: 'silent' });
  const port = s.port ?? s.amqpPort;
  const url = s.url ?? `amqp://guest:guest@127.0.0.1:${port}`;
  let httpUrl = s.managementUrl ?? (s.httpPort ? `http://guest:guest@127.0.0.1:${s.httpPort}` : undefined);
  const serves = httpUrl !== undefined && (await managementFetch(httpUrl, '/api/overview').then((r) => r.ok, () => false));
  let fallback: { close(): Promise<void> } | undefined;
  if (!serves && s.broker) {
    // the server layer does not mount the management API yet: serve it beside the broker so the
    // API's own checks still run against the live embedded broker (servesManagementApi says so)
    fallback = await mountManagement(s.broker, () => ({ connections: s.connections?.() ?? 0, channels: 0 }));
    httpUrl = (fallback as unknown as { url: string }).url;
  }
  return {
    name,
    url,
    httpUrl,
    servesManagementApi: serves,
    stop: async () => {
      await fallback?.close();
      await (s.close ?? s.stop)?.call(s);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function mountManagement(broker: unknown, getConnections: () => { connections: number; channels: number }) {
  const http = await import('node:http');
  const { createManagementServer } = await import('../../src/http/index.js');
  const handler = createManagementServer(broker as Parameters<typeof createManagementServer>[0], { getConnections, users: { guest: 'guest' } });
  const server = http.createServer((req, res) => {
    if (!handler(req, res)) {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as import('node:net').AddressInfo).port;
  return {
    url: `http://guest:guest@127.0.0.1:${port}`,
    close: async () => {
      handler.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function rabbitManagementBase(amqpUrl: string): string {
  return process.env.RABBITMQ_HTTP_URL || `http://guest:guest@${new URL(amqpUrl).hostname}:15672`;
}

async function waitForRabbitManagement(amqpUrl: string, timeoutMs: number): Promise<string> {
  const base = rabbitManagementBase(amqpUrl);
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  for (;;) {
    try {
      const res = await managementFetch(base, '/api/overview');
      if (res.ok) return base;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() > deadline) {
      const shown = new URL(base);
      shown.password = shown.password ? '***' : '';
      throw new Error(`RabbitMQ management API at ${shown.toString()} did not answer within ${timeoutMs} ms (${last}); enable the management plugin or set RABBITMQ_HTTP_URL`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function rabbitManagementUrl(amqpUrl: string): Promise<string | undefined> {
  const candidates = [process.env.RABBITMQ_HTTP_URL, `http://guest:guest@${new URL(amqpUrl).hostname}:15672`].filter(Boolean) as string[];
  for (const c of candidates) {
    try {
      const res = await managementFetch(c, '/api/overview');
      if (res.ok) return c;
    } catch {
      // not reachable
    }
  }
  return undefined;
}

/** fetch with the URL's user:password as basic auth (fetch refuses credentials in URLs) */
export function managementFetch(base: string, pathAndQuery: string, init: RequestInit = {}): Promise<Response> {
  const u = new URL(base);
  const auth = Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64');
  const origin = `${u.protocol}//${u.host}`;
  return fetch(origin + pathAndQuery, { ...init, headers: { ...(init.headers ?? {}), authorization: `Basic ${auth}`, 'content-type': 'application/json' } });
}

export function uniqueName(prefix: string): string {
  return `rf-conf-${prefix}-${randomBytes(4).toString('hex')}`;
}

/** wait until cond() holds, polling; fails with `what` after the deadline */
export async function until(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export interface ChannelFailure {
  code: number;
  message: string;
}

/** run fn on a fresh channel and return the channel error it causes */
export async function channelError(conn: ChannelModel, fn: (ch: Channel) => Promise<unknown> | void): Promise<ChannelFailure> {
  const ch = await conn.createChannel();
  const closed = new Promise<ChannelFailure>((resolve) => {
    ch.on('error', (e: Error & { code?: number }) => resolve({ code: e.code ?? -1, message: e.message }));
  });
  const op = (async () => {
    try {
      await fn(ch);
    } catch (e) {
      const err = e as Error & { code?: number };
      return { code: err.code ?? -1, message: err.message } satisfies ChannelFailure;
    }
    return null;
  })();
  const first = await Promise.race([op, closed]);
  if (first) return first;
  return Promise.race([closed, new Promise<ChannelFailure>((_, reject) => setTimeout(() => reject(new Error('expected a channel error')), 3000))]);
}

export async function connect(url: string): Promise<ChannelModel> {
  const conn = await amqp.connect(url);
  conn.on('error', () => {});
  return conn;
}

/** collects deliveries from a consumer */
export class Inbox<T> {
  readonly items: T[] = [];
  push = (t: T) => {
    this.items.push(t);
  };
  async count(n: number, what = `${n} messages`): Promise<T[]> {
    await until(() => this.items.length >= n, what);
    return this.items.slice(0, n);
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Per test file: one target, one connection, one channel, and deletion of what the tests declared. */
export interface ChannelSession {
  target: Target;
  conn: ChannelModel;
  ch: Channel;
  /** names to delete after the file's tests */
  queues: string[];
  exchanges: string[];
}

export function useChannelSession(name: TargetName): ChannelSession {
  const session = { queues: [] as string[], exchanges: [] as string[] } as ChannelSession;
  beforeAll(async () => {
    session.target = await startTarget(name);
    session.conn = await connect(session.target.url);
    session.ch = await session.conn.createChannel();
  });
  afterAll(async () => {
    for (const q of session.queues) await session.ch?.deleteQueue(q).catch(() => {});
    for (const x of session.exchanges) await session.ch?.deleteExchange(x).catch(() => {});
    await session.conn?.close().catch(() => {});
    await session.target?.stop();
  });
  return session;
}

/**
 * useChannelSession's twin for @cloudamqp/amqp-client, the client the tests use where amqplib
 * cannot go (tx.select): one target, one client, an admin channel, and deletion of what was declared.
 */
export interface ClientSession {
  target: Target;
  client: AMQPClient;
  admin: AMQPChannel;
  queues: string[];
  exchanges: string[];
}

export function useClientSession(name: TargetName): ClientSession {
  const session = { queues: [] as string[], exchanges: [] as string[] } as ClientSession;
  beforeAll(async () => {
    session.target = await startTarget(name);
    session.client = new AMQPClient(session.target.url);
    session.client.onerror = () => {};
    await session.client.connect();
    session.admin = await session.client.channel();
  });
  afterAll(async () => {
    // a fresh channel: a test may have left the admin channel closed by an error
    const ch = await session.client?.channel().catch(() => null);
    for (const q of session.queues) await ch?.queueDelete(q).catch(() => {});
    for (const x of session.exchanges) await ch?.exchangeDelete(x).catch(() => {});
    await session.client?.close().catch(() => {});
    await session.target?.stop();
  });
  return session;
}
