import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
// they "stay listed": on the embedded brokers with data dirs, a restart of the task queues must
// not take them away (they were declared non-durable, so a restart dropped them). A broker that
// still holds the old non-durable walkthrough.demo gets it replaced by a durable one.

let logDir: string;
let tqDir: string;
let log: StreamlogHandle;
let tq: TaskqueueHandle;
let kafka: Kafka;

async function queues(managementUrl: string): Promise<{ name: string; durable: boolean; messages: number }[]> {
  const url = new URL('/api/queues', managementUrl);
  const auth = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
  url.username = '';
  url.password = '';
  const res = await fetch(url, { headers: { authorization: auth } });
  return ((await res.json()) as { name: string; durable: boolean; messages?: number }[]).map((q) => ({ name: q.name, durable: q.durable, messages: q.messages ?? 0 }));
}

beforeAll(async () => {
  logDir = mkdtempSync(path.join(os.tmpdir(), 'rf-wt-log-'));
  tqDir = mkdtempSync(path.join(os.tmpdir(), 'rf-wt-tq-'));
  log = await startStreamlog({ port: 0, dataDir: logDir, durability: 'none' });
  tq = await startTaskqueue({ port: 0, httpPort: 0, dataDir: tqDir });
  kafka = new Kafka({ clientId: 'walkthrough-restart-test', brokers: [log.brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC.orderEvents, numPartitions: TOPICS[TOPIC.orderEvents].partitions }] });
  await admin.disconnect();
});

afterAll(async () => {
  await tq?.close();
  await log?.close();
  rmSync(logDir, { recursive: true, force: true });
  rmSync(tqDir, { recursive: true, force: true });
});

describe('the walkthrough’s queues', () => {
  it('stay listed after the task queues restart, as the steps say', async () => {
    // an older walkthrough declared walkthrough.demo non-durable
    const old = await amqp.connect(tq.url);
    const och = await old.createChannel();
    await och.assertQueue('walkthrough.demo', { durable: false });
    await old.close();

    const ctx = (): WalkthroughContext => ({ kafka, amqpUrl: tq.url, managementUrl: tq.managementUrl!, simNow: async () => Date.now(), say: () => {} });
    for (const id of ['queue-vs-log', 'killed-worker']) {
      const r = await runStep(id, ctx());
      expect(r.ok, `${id}: ${r.evidence.join(' | ')}`).toBe(true);
    }
    const before = (await queues(tq.managementUrl!)).filter((q) => q.name.startsWith('walkthrough.'));
    expect(before).toEqual([{ name: 'walkthrough.demo', durable: true, messages: 0 }, { name: 'walkthrough.work', durable: true, messages: 0 }]);

    await tq.close();
    tq = await startTaskqueue({ port: 0, httpPort: 0, dataDir: tqDir });
    const after = (await queues(tq.managementUrl!)).filter((q) => q.name.startsWith('walkthrough.'));
    expect(after).toEqual(before);
    // and the steps' "Look:" says so
    for (const id of ['queue-vs-log', 'killed-worker']) expect(STEPS.find((s) => s.id === id)!.where).toMatch(/stays listed \(durable: after a restart too\)/);

    // and the steps run again on the restarted broker, over the queues they left
    for (const id of ['queue-vs-log', 'killed-worker']) expect((await runStep(id, ctx())).ok).toBe(true);
  }, 120_000);
});
