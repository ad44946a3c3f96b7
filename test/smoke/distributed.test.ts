import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { runStep } from '@riderflow/walkthrough';
import { Platform, alive, freePorts, until, watchLog, type Seen } from './harness.js';

// The distributed runtime without Docker: `npm start` pointed by URLs alone at this machine's
// real RabbitMQ (a fresh vhost of its own) and PostgreSQL (a fresh database), with the embedded
// streamlog standing in for Kafka. Same entry point, same services, no code switch.

const RABBITMQ_URL = process.env.RABBITMQ_URL;
const POSTGRES_URL = process.env.POSTGRES_URL;
const STOP_LIMIT_MS = 10_000;
const QUEUES = ['rider.instructions', 'notify.customer', 'notify.ops', 'notify.retry.1s', 'jobs.rostering', 'tasks.dead'];

/** RabbitMQ's management API: RABBITMQ_HTTP_URL, else port 15672 of the AMQP host. */
function managementUrl(amqpUrl: string): string {
  return process.env.RABBITMQ_HTTP_URL || `http://guest:guest@${new URL(amqpUrl).hostname}:15672`;
}

/** One management API call; credentials from the URL. */
async function mgmt(base: string, method: string, apiPath: string, body?: unknown): Promise<Response> {
  const u = new URL(base);
  const auth = 'Basic ' + Buffer.from(`${decodeURIComponent(u.username || 'guest')}:${decodeURIComponent(u.password || 'guest')}`).toString('base64');
  u.username = '';
  u.password = '';
  const res = await fetch(u.toString().replace(/\/$/, '') + apiPath, {
    method,
    headers: { authorization: auth, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok && !(method === 'DELETE' && res.status === 404)) throw new Error(`${method} ${apiPath}: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
  return res;
}

/** POSTGRES_URL with another database name. */
function databaseUrl(serverUrl: string, db: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${db}`;
  return u.toString();
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

describe.skipIf(!RABBITMQ_URL || !POSTGRES_URL)('npm start on the real RabbitMQ and PostgreSQL (streamlog standing in for Kafka)', () => {
  const id = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  // Never "/": other test files declare and delete the agreed queue names there concurrently.
  const vhost = `rf-dist-${id}`;
  const dbName = `rf_dist_${id}`;
  let mgmtBase: string;
  let dbUrl: string;
  let dataDir: string;
  let kafka: Kafka;
  let platform: Platform | null = null;
  let watcher: { consumer: Consumer; seen: Seen } | null = null;
  let amqpUrl: string;
  let vhostCreated = false;
  let dbCreated = false;

  const failWith = (p: Platform) => (err: unknown): never => {
    throw new Error(`${(err as Error).message}\n--- platform output (last lines) ---\n${p.tail()}`);
  };

  beforeAll(async () => {
    mgmtBase = managementUrl(RABBITMQ_URL!);
    const v = encodeURIComponent(vhost);
    await mgmt(mgmtBase, 'PUT', `/api/vhosts/${v}`, {});
    vhostCreated = true;
    await mgmt(mgmtBase, 'PUT', `/api/permissions/${v}/guest`, { configure: '.*', write: '.*', read: '.*' });
    await withClient(POSTGRES_URL!, (c) => c.query(`CREATE DATABASE "${dbName}"`));
    dbCreated = true;
    dbUrl = databaseUrl(POSTGRES_URL!, dbName);

    dataDir = mkdtempSync(path.join(os.tmpdir(), 'rf-dist-'));
    const [sl, web, dispatch, notifier, rostering, projector, slHttp] = await freePorts(7);
    const amqp = new URL(RABBITMQ_URL!);
    amqp.pathname = `/${v}`;
    amqpUrl = amqp.toString();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATA_DIR: dataDir,
      STREAMLOG_PORT: String(sl),
      STREAMLOG_HTTP_PORT: String(slHttp),
      PORT: String(web),
      DISPATCH_HTTP_PORT: String(dispatch),
      NOTIFIER_HTTP_PORT: String(notifier),
      ROSTERING_HTTP_PORT: String(rostering),
      PROJECTOR_HTTP_PORT: String(projector),
      // The external engines, by URL alone.
      AMQP_URL: amqpUrl,
      AMQP_MANAGEMENT_URL: mgmtBase,
      DATABASE_URL: dbUrl,
      // A short, fast live run; no history or training (the embedded smoke test covers those).
      SIM_SPEED: '120',
      SIM_RIDERS: '60',
      SIM_DEMAND: '3',
      SIM_HISTORY_DAYS: '0',
      SIM_START: '2025-03-03T12:00:00Z',
    };
    delete env.KAFKA_BROKERS;
    delete env.MODELS_DIR;
    kafka = new Kafka({ clientId: 'smoke-distributed', brokers: [`127.0.0.1:${sl}`], logLevel: logLevel.NOTHING, retry: { retries: 3 } });
    platform = new Platform(env);
  }, 60_000);

  afterAll(async () => {
    await watcher?.consumer.disconnect().catch(() => {});
    if (platform?.running) {
      platform.child.kill('SIGINT');
      const done = await Promise.race([platform.exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 15_000))]);
      if (!done) platform.child.kill('SIGKILL');
    }
    if (vhostCreated) await mgmt(mgmtBase, 'DELETE', `/api/vhosts/${encodeURIComponent(vhost)}`).catch((err: Error) => console.error(`vhost ${vhost} not deleted: ${err.message}`));
    if (dbCreated) await withClient(POSTGRES_URL!, (c) => c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`)).catch((err: Error) => console.error(`database ${dbName} not dropped: ${err.message}`));
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('starts on the external engines only: no taskqueue, PostgreSQL migrated', async () => {
    const p = platform!;
    await until('the dashboard URL', () => alive(p) && p.line(/dashboard: (http:\/\/\S+)/), 170_000).catch(failWith(p));
    expect(p.line(/task queues: EXTERNAL AMQP broker at \S+\/rf-dist-/), p.tail()).not.toBeNull();
    expect(p.line(/database: EXTERNAL PostgreSQL/), p.tail()).not.toBeNull();
    expect(p.line(/event log: embedded streamlog/), p.tail()).not.toBeNull();
    expect(p.line(/^taskqueue\s*\|/), 'taskqueue must not run').toBeNull();
    expect(p.line(/starting (.*); data in/)![1].split(', ')).not.toContain('taskqueue');
    const tables = await withClient(dbUrl, async (c) => (await c.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'")).rows.map((r) => r.name));
    expect(tables).toEqual(expect.arrayContaining(['Order', 'Notification', '_prisma_migrations']));
  }, 180_000);

  it('flows end to end: orders assigned and delivered on the log, notifications sent through RabbitMQ', async () => {
    const p = platform!;
    watcher = await watchLog(kafka);
    const { seen } = watcher;
    await until(
      'orders assigned and delivered, notification results with status sent',
      () => alive(p) && (seen.byType.get('order.assigned') ?? 0) > 0 && (seen.byType.get('order.delivered') ?? 0) > 0 && (seen.notificationStatus.get('sent') ?? 0) > 0,
      100_000,
    ).catch((err: Error) => failWith(p)(new Error(`${err.message}; types ${JSON.stringify(Object.fromEntries(seen.byType))}; statuses ${JSON.stringify(Object.fromEntries(seen.notificationStatus))}`)));
    expect(seen.byType.get('dispatch.assigned')).toBeGreaterThan(0);
    expect(seen.byType.get('(not json)')).toBeUndefined();
  }, 110_000);

  it('projects into PostgreSQL and keeps its queues on RabbitMQ in its own vhost', async () => {
    const rows = await withClient(dbUrl, (c) => until('orders in PostgreSQL, some delivered', async () => {
      const r = await c.query<{ total: string; delivered: string }>(`SELECT count(*) AS total, count(*) FILTER (WHERE status = 'delivered') AS delivered FROM "Order"`);
      return Number(r.rows[0].delivered) > 0 ? { total: Number(r.rows[0].total), delivered: Number(r.rows[0].delivered) } : null;
    }, 60_000)).catch(failWith(platform!));
    expect(rows.total).toBeGreaterThanOrEqual(rows.delivered);

    const queues = (await (await mgmt(mgmtBase, 'GET', `/api/queues/${encodeURIComponent(vhost)}`)).json()) as { name: string; vhost: string; consumers?: number }[];
    expect(queues.map((q) => q.name)).toEqual(expect.arrayContaining(QUEUES));
    expect(new Set(queues.map((q) => q.vhost))).toEqual(new Set([vhost]));
    // The notifier consumes its queue on RabbitMQ (the stats may lag a few seconds).
    await until('a consumer on notify.customer', async () => {
      const q = (await (await mgmt(mgmtBase, 'GET', `/api/queues/${encodeURIComponent(vhost)}/notify.customer`)).json()) as { consumers?: number };
      return (q.consumers ?? 0) > 0;
    }, 30_000);
  }, 100_000);

  it("walkthrough: a poison message ends in this vhost's dead-letter queue", async () => {
    const result = await runStep('poison', { kafka, amqpUrl, managementUrl: mgmtBase, simNow: async () => 0, say: () => {} });
    expect(result.ok, result.evidence.join('\n')).toBe(true);
  }, 40_000);

  it('stops everything on SIGINT within 10 s', async () => {
    const p = platform!;
    await watcher?.consumer.disconnect();
    watcher = null;
    const t0 = Date.now();
    p.child.kill('SIGINT');
    const code = await Promise.race([p.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 20_000))]);
    const stopMs = Date.now() - t0;
    console.log(`smoke (distributed): SIGINT stop took ${stopMs} ms`);
    if (code === 'timeout') failWith(p)(new Error('platform still running 20 s after SIGINT'));
    expect(code).toBe(0);
    expect(stopMs, p.tail(30)).toBeLessThan(STOP_LIMIT_MS);
    expect(p.line(/did not stop within/), p.tail(30)).toBeNull();
  }, 30_000);
});
