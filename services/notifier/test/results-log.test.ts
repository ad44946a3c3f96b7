import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import amqp from 'amqplib';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEvent, SCHEMA_VERSION, TOPIC, type NotificationResult } from '@riderflow/contracts';
import { ensureTopics } from '@riderflow/service-kit';
import { getWithHost } from '@riderflow/service-kit/testing';
import { startStreamlog, type StreamlogHandle } from '@riderflow/streamlog';
import { startTaskqueue, type TaskqueueHandle } from '@riderflow/taskqueue';
import { NotificationLedger } from '../src/ledger.js';
import { simulatedProviders } from '../src/providers.js';
import { KafkaResultPublisher } from '../src/results.js';
import { notifierTopology } from '../src/topology.js';
import { NotifierWorker } from '../src/worker.js';
import { sqliteTestDatabase, waitFor, type TestDatabase } from './support.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
let dir: string;
let log: StreamlogHandle;
let tq: TaskqueueHandle;
let kafka: Kafka;
let testDb: TestDatabase;

function notification(i: number, prefix: string) {
  return { type: 'notification', v: SCHEMA_VERSION, id: `${prefix}-t${i}`, ts: 1_700_000_000_000 + i, notificationId: `${prefix}-n${i}`, idempotencyKey: `${prefix}-k${i}`,
    audience: i % 2 ? 'customer' : 'ops', channel: i % 2 ? 'sms' : 'webhook', recipient: `r${i}`, template: 'eta', data: { i } };
}

async function publish(topologyPrefix: string, tasks: ReturnType<typeof notification>[]) {
  const conn = await amqp.connect(tq.url);
  const ch = await conn.createConfirmChannel();
  await notifierTopology({ prefix: topologyPrefix, retryDelaysMs: topologyPrefix ? [20, 40] : undefined }).declare(ch);
  for (const t of tasks) ch.publish(`${topologyPrefix}notifications`, `${t.audience}.${t.channel}`, Buffer.from(JSON.stringify(t)), { persistent: true });
  await ch.waitForConfirms();
  await conn.close();
}

async function readResults(into: NotificationResult[]) {
  const consumer = kafka.consumer({ groupId: `results-${Math.random()}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [TOPIC.notificationResults], fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => {
    const parsed = parseEvent(message.value);
    if (parsed.ok && parsed.event.type === 'notification.result') into.push(parsed.event);
  } });
  return consumer;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-notifier-log-'));
  log = await startStreamlog({ port: 0, dataDir: path.join(dir, 'log'), durability: 'none' });
  tq = await startTaskqueue({ port: 0, dataDir: path.join(dir, 'tq'), durability: 'none' });
  kafka = new Kafka({ clientId: 'notifier-test', brokers: [log.brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, { topics: [TOPIC.notificationResults] });
  await admin.disconnect();
  testDb = await sqliteTestDatabase();
}, 60_000);

afterAll(async () => {
  await testDb?.drop();
  await tq?.close();
  await log?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('notification results on the log', () => {
  it('publishes one validated notification.result per outcome to notification.results, in batches', async () => {
    const producer = kafka.producer();
    await producer.connect();
    const topology = notifierTopology({ prefix: 'results.', retryDelaysMs: [20, 40] });
    const providers = simulatedProviders({ failureRate: 0.3 });
    const worker = new NotifierWorker({ amqpUrl: tq.url, topology, providers, results: new KafkaResultPublisher(producer), ledger: new NotificationLedger(testDb.db.prisma, 5_000), prefetch: 20, maxAttempts: 2 });
    const results: NotificationResult[] = [];
    const consumer = await readResults(results);
    try {
      await worker.start();
      await publish('results.', Array.from({ length: 60 }, (_, i) => notification(i, 'log')));
      const terminal = () => new Set(results.filter((r) => r.status === 'sent' || r.status === 'dead_lettered').map((r) => r.notificationId));
      await waitFor('a final result for every notification', () => terminal().size === 60, 60_000, () => `${terminal().size} of 60`);
      const failed = results.filter((r) => r.status === 'failed');
      expect(failed.length).toBeGreaterThan(0);
      for (const r of failed) expect(r).toMatchObject({ attempts: 1, reason: expect.stringMatching(/unavailable/) });
      const sentOnce = Object.values(providers).flatMap((p) => p.sent).map((s) => s.notificationId);
      expect(new Set(sentOnce).size).toBe(sentOnce.length);
      for (const r of results.filter((x) => x.status === 'sent')) expect(sentOnce).toContain(r.notificationId);
      for (const r of results.filter((x) => x.status === 'dead_lettered')) expect(r).toMatchObject({ attempts: 2, reason: expect.stringMatching(/provider failed 2 times/) });
    } finally {
      await worker.stop();
      await consumer.disconnect();
      await producer.disconnect();
    }
  }, 90_000);
});

describe('npm run notifier', () => {
  let child: ChildProcess | undefined;
  afterAll(() => { child?.kill('SIGKILL'); });

  it('starts on the given brokers, serves /healthz and /metrics (only to the Host names it serves), sends a task and stops on SIGTERM', async () => {
    const lines: string[] = [];
    child = spawn(process.execPath, ['--import', 'tsx', 'services/notifier/src/main.ts'], {
      cwd: repoRoot,
      // ALLOWED_HOSTS: the same setting the brokers and the dashboard read
      env: { ...process.env, KAFKA_BROKERS: log.brokers, AMQP_URL: tq.url, DATABASE_URL: testDb.url, NOTIFIER_HTTP_PORT: '0', PROVIDER_LATENCY_MS: '0', PROVIDER_FAILURE_RATE: '0', NOTIFIER_WORKERS: '1', LOG_LEVEL: 'info', ALLOWED_HOSTS: 'notifier.example' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => lines.push(...d.toString().split('\n').filter(Boolean)));
    child.stderr!.on('data', (d: Buffer) => lines.push(...d.toString().split('\n').filter(Boolean)));
    const started = () => lines.map((l) => { try { return JSON.parse(l); } catch { return {}; } }).find((l) => l.msg === 'notifier started');
    await waitFor('notifier started', () => !!started(), 60_000, () => lines.slice(-5).join('\n'));
    const port = started().httpPort as number;
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    // DNS rebinding: a foreign Host is refused, loopback and ALLOWED_HOSTS names are served
    for (const path of ['/healthz', '/metrics']) {
      expect((await getWithHost(port, `evil.example:${port}`, path)).status).toBe(421);
      expect((await getWithHost(port, `localhost:${port}`, path)).status).toBe(200);
      expect((await getWithHost(port, `notifier.example:${port}`, path)).status).toBe(200);
    }
    const results: NotificationResult[] = [];
    const consumer = await readResults(results);
    try {
      await publish('', [notification(1, 'main')]);
      await waitFor('the result of the task', () => results.some((r) => r.notificationId === 'main-n1' && r.status === 'sent'), 30_000);
      expect((await testDb.db.prisma.notification.findUnique({ where: { idempotencyKey: 'main-k1' } }))?.status).toBe('sent');
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toMatch(/notifier_tasks_total\{status="sent"\} 1/);
    } finally {
      await consumer.disconnect();
    }
    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    child = undefined;
  }, 120_000);
});
