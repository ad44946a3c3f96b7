import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import amqp from 'amqplib';
import { Kafka, logLevel } from 'kafkajs';
import { startStreamlog, type StreamlogHandle } from '@riderflow/streamlog';
import { startTaskqueue, type TaskqueueHandle } from '@riderflow/taskqueue';
import { TOPIC, TOPICS } from '@riderflow/contracts';
import { runStep, STEPS, type WalkthroughContext } from '@riderflow/walkthrough';

// The walkthrough's queue steps leave walkthrough.demo and walkthrough.work behind, empty, and say
// they "stay listed": a restart of the broker must not take them away (they were declared
// non-durable, so a restart dropped them). A broker that still holds the old non-durable ones gets
// them replaced by durable ones. On the embedded taskqueue always; on RabbitMQ too when
// RABBITMQ_URL (and RABBITMQ_HTTP_URL, default port 15672 of its host) are set, as the
// conformance suite does, in a vhost of its own (the queue names are fixed, and a platform may be
// using the same RabbitMQ). A test does not restart a shared RabbitMQ: there it checks what decides
// survival (durable, not exclusive, not auto-delete, still there once every connection is closed);
// the restart itself (rabbitmqctl stop_app && rabbitmqctl start_app) was checked by hand.

const KEPT = ['walkthrough.demo', 'walkthrough.work'];
const QUEUE_STEPS = ['queue-vs-log', 'killed-worker'];

let logDir: string;
let log: StreamlogHandle;
let kafka: Kafka;

interface QueueRow { name: string; durable: boolean; exclusive: boolean; autoDelete: boolean }

/** fetch with the URL's user:password as basic auth (fetch refuses credentials in URLs) */
function management(base: string, pathAndQuery: string, init: RequestInit = {}): Promise<Response> {
  const url = new URL(base);
  const auth = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
  return fetch(`${url.protocol}//${url.host}${pathAndQuery}`, { ...init, headers: { ...init.headers, authorization: auth, 'content-type': 'application/json' } });
}

/** the walkthrough's queues in `vhost`, as the management API lists them */
async function keptQueues(managementUrl: string, vhost: string): Promise<QueueRow[]> {
  const res = await management(managementUrl, `/api/queues/${encodeURIComponent(vhost)}`);
  if (!res.ok) throw new Error(`GET /api/queues/${vhost}: HTTP ${res.status}`);
  const rows = (await res.json()) as { name: string; durable: boolean; exclusive?: boolean; auto_delete?: boolean }[];
  return rows
    .filter((q) => KEPT.includes(q.name))
    .map((q) => ({ name: q.name, durable: q.durable, exclusive: q.exclusive ?? false, autoDelete: q.auto_delete ?? false }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** the queue's depth from the broker itself (the management API's counts may be seconds old on RabbitMQ) */
async function depth(amqpUrl: string, queue: string): Promise<number> {
  const conn = await amqp.connect(amqpUrl);
  try {
    return (await (await conn.createChannel()).checkQueue(queue)).messageCount;
  } finally {
    await conn.close();
  }
}

/** what an older walkthrough left: both queues non-durable, each holding a message */
async function leaveNonDurable(amqpUrl: string): Promise<void> {
  const old = await amqp.connect(amqpUrl);
  const ch = await old.createConfirmChannel();
  for (const q of KEPT) {
    await ch.assertQueue(q, { durable: false });
    ch.sendToQueue(q, Buffer.from('left by an older run'));
  }
  await ch.waitForConfirms();
  await old.close();
}

async function runQueueSteps(amqpUrl: string, managementUrl: string): Promise<void> {
  const ctx: WalkthroughContext = { kafka, amqpUrl, managementUrl, simNow: async () => Date.now(), say: () => {} };
  for (const id of QUEUE_STEPS) {
    const r = await runStep(id, ctx);
    expect(r.ok, `${id}: ${r.evidence.join(' | ')}`).toBe(true);
  }
}

const DURABLE: QueueRow[] = KEPT.map((name) => ({ name, durable: true, exclusive: false, autoDelete: false }));

beforeAll(async () => {
  logDir = mkdtempSync(path.join(os.tmpdir(), 'rf-wt-log-'));
  log = await startStreamlog({ port: 0, dataDir: logDir, durability: 'none' });
  kafka = new Kafka({ clientId: 'walkthrough-restart-test', brokers: [log.brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC.orderEvents, numPartitions: TOPICS[TOPIC.orderEvents].partitions }] });
  await admin.disconnect();
});

afterAll(async () => {
  await log?.close();
  rmSync(logDir, { recursive: true, force: true });
});

describe('the walkthrough’s queues on the embedded taskqueue', () => {
  let tqDir: string;
  let tq: TaskqueueHandle;
  beforeAll(async () => {
    tqDir = mkdtempSync(path.join(os.tmpdir(), 'rf-wt-tq-'));
    tq = await startTaskqueue({ port: 0, httpPort: 0, dataDir: tqDir });
  });
  afterAll(async () => {
    await tq?.close();
    rmSync(tqDir, { recursive: true, force: true });
  });

  it('stay listed after the task queues restart, as the steps say', async () => {
    await leaveNonDurable(tq.url);
    await runQueueSteps(tq.url, tq.managementUrl!);
    expect(await keptQueues(tq.managementUrl!, '/')).toEqual(DURABLE);
    for (const q of KEPT) expect(await depth(tq.url, q)).toBe(0);

    await tq.close();
    tq = await startTaskqueue({ port: 0, httpPort: 0, dataDir: tqDir });
    expect(await keptQueues(tq.managementUrl!, '/')).toEqual(DURABLE);
    // and the steps' "Look:" says so
    for (const id of QUEUE_STEPS) expect(STEPS.find((s) => s.id === id)!.where).toMatch(/stays listed \(durable: after a restart too\)/);

    // and the steps run again on the restarted broker, over the queues they left
    await runQueueSteps(tq.url, tq.managementUrl!);
  }, 120_000);
});

const rabbitUrl = process.env.RABBITMQ_URL;

describe.runIf(rabbitUrl)('the walkthrough’s queues on RabbitMQ (RABBITMQ_URL)', () => {
  const vhost = `rf-walkthrough-${randomBytes(4).toString('hex')}`;
  const managementUrl = process.env.RABBITMQ_HTTP_URL || `http://guest:guest@${new URL(rabbitUrl ?? 'amqp://x').hostname}:15672`;
  const user = decodeURIComponent(new URL(rabbitUrl ?? 'amqp://x').username || 'guest');
  const vhostUrl = () => {
    const u = new URL(rabbitUrl!);
    u.pathname = `/${encodeURIComponent(vhost)}`;
    return u.toString();
  };

  beforeAll(async () => {
    const made = await management(managementUrl, `/api/vhosts/${encodeURIComponent(vhost)}`, { method: 'PUT' });
    if (!made.ok) throw new Error(`could not create vhost ${vhost} through ${new URL(managementUrl).host}: HTTP ${made.status}`);
    const allowed = await management(managementUrl, `/api/permissions/${encodeURIComponent(vhost)}/${encodeURIComponent(user)}`, { method: 'PUT', body: JSON.stringify({ configure: '.*', write: '.*', read: '.*' }) });
    if (!allowed.ok) throw new Error(`could not give ${user} the vhost ${vhost}: HTTP ${allowed.status}`);
  });
  afterAll(async () => {
    await management(managementUrl, `/api/vhosts/${encodeURIComponent(vhost)}`, { method: 'DELETE' });
  });

  it('replace the non-durable ones an older run left with durable ones that outlive every connection', async () => {
    await leaveNonDurable(vhostUrl());
    expect((await keptQueues(managementUrl, vhost)).map((q) => q.durable)).toEqual([false, false]);
    await runQueueSteps(vhostUrl(), managementUrl);
    // every connection the steps opened is closed by now: the queues are still there, durable
    expect(await keptQueues(managementUrl, vhost)).toEqual(DURABLE);
    for (const q of KEPT) expect(await depth(vhostUrl(), q)).toBe(0);
    // and the steps run again over the queues they left
    await runQueueSteps(vhostUrl(), managementUrl);
    expect(await keptQueues(managementUrl, vhost)).toEqual(DURABLE);
  }, 120_000);
});
