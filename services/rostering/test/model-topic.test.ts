import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import amqp, { type ChannelModel } from 'amqplib';
import { ConfigResourceTypes, Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import { pino } from 'pino';
import { startStreamlog, type StreamlogHandle } from '@riderflow/streamlog';
import { startTaskqueue, type TaskqueueHandle } from '@riderflow/taskqueue';
import { parseEvent, RosteringModelRecordSchema, STATE_TOPIC, STATE_TOPICS, TOPIC as TOPIC_NAME, topicForType, type LogEvent, type RosterPlan } from '@riderflow/contracts';
import { ensureTopics } from '@riderflow/service-kit';
import type { AnyEvent } from '../src/core/events.js';
import { initBackend, type BackendChoice } from '../src/model/backend.js';
import { RosteringEnvSchema } from '../src/config.js';
import { startRostering, type RosteringService } from '../src/service.js';
import { trainFromLog } from '../src/train-job.js';
import { activateVersion, readModelRegistry, retireVersion } from '../src/adapters/model-topic.js';
import { generateSyntheticHistory } from '../src/synthetic/demand-generator.js';

/*
 * The model registry on the compacted topic rostering.models. `RF_TEST_MODEL_TOPIC=false` runs the
 * same tests with the feature switched off (training does not publish, the service reads the models
 * folder): every test here then fails, which shows that each one checks the topic.
 */
const TOPIC_ON = process.env.RF_TEST_MODEL_TOPIC !== 'false';
const TOPIC = STATE_TOPIC.rosteringModels;

let tmp: string;
let log: StreamlogHandle;
let tq: TaskqueueHandle;
let kafka: Kafka;
let conn: ChannelModel;
let backend: BackendChoice;
const running: RosteringService[] = [];
const syn = generateSyntheticHistory({ seed: 7, days: 5, zones: 4, ridersPerZone: 1 });
const silent = pino({ level: process.env.RF_TEST_LOG ?? 'silent' });
let seq = 0;

async function until<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function produce(events: AnyEvent[]): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  const byTopic = new Map<string, { key: string; value: string; timestamp: string }[]>();
  for (const e of events) {
    const topic = topicForType((e as LogEvent).type);
    const key = String((e as { riderId?: string }).riderId ?? (e as { orderId?: string }).orderId ?? (e as { zoneId?: string }).zoneId);
    if (!byTopic.has(topic)) byTopic.set(topic, []);
    byTopic.get(topic)!.push({ key, value: JSON.stringify(e), timestamp: String(e.ts) });
  }
  for (const [topic, messages] of byTopic) for (let i = 0; i < messages.length; i += 2000) await producer.send({ topic, messages: messages.slice(i, i + 2000) });
  await producer.disconnect();
}

/** Every record of rostering.models from its start to its current end, read_committed (offsets as written). */
async function readAll(): Promise<KafkaMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<number, number>();
  try {
    for (const p of await admin.fetchTopicOffsets(TOPIC)) if (Number(p.high) > Number(p.low)) ends.set(p.partition, Number(p.high));
  } finally {
    await admin.disconnect();
  }
  const out: KafkaMessage[] = [];
  if (ends.size === 0) return out;
  const consumer = kafka.consumer({ groupId: `replay-model-topic-test-${++seq}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [TOPIC], fromBeginning: true });
  let emptyFetches = 0;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${TOPIC} not read to its end`)), 30_000);
    // the end may be a transaction marker, which kafkajs never hands over: stop after fetches with nothing new
    consumer.on(consumer.events.FETCH, () => {
      if (++emptyFetches >= 10) {
        clearTimeout(timer);
        resolve();
      }
    });
    void consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        emptyFetches = 0;
        out.push(...batch.messages);
        if (Number(batch.lastOffset()) + 1 >= (ends.get(batch.partition) ?? 0)) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  return out;
}

/** The roster.plan events on roster.plans so far. */
async function rosterPlans(): Promise<RosterPlan[]> {
  const out: RosterPlan[] = [];
  const consumer = kafka.consumer({ groupId: `replay-model-topic-plans-${++seq}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [TOPIC_NAME.rosterPlans], fromBeginning: true });
  let fetches = 0;
  await new Promise<void>((resolve) => {
    consumer.on(consumer.events.FETCH, () => void (++fetches >= 5 && resolve()));
    void consumer.run({ eachMessage: async ({ message }) => {
      const p = parseEvent(message.value);
      if (p.ok && p.event.type === 'roster.plan') out.push(p.event);
    } });
  });
  await consumer.disconnect();
  return out;
}

async function start(modelsDir: string): Promise<RosteringService> {
  const settings = RosteringEnvSchema.parse({
    ROSTERING_HTTP_PORT: '0',
    ROSTERING_GROUP: `rostering-model-topic-${++seq}`,
    MODELS_DIR: modelsDir,
    ROSTERING_OPEN_HOUR: '0',
    ROSTERING_MODEL_TOPIC: String(TOPIC_ON),
  });
  const s = await startRostering({ kafka, amqp: conn, settings, backend, logger: silent });
  running.push(s);
  return s;
}

const freshDir = (name: string) => fs.mkdtempSync(path.join(tmp, `${name}-`));

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-rostering-models-'));
  log = await startStreamlog({ port: 0, dataDir: path.join(tmp, 'log'), durability: 'none', logCleanerIntervalMs: 100 });
  tq = await startTaskqueue({ port: 0, dataDir: path.join(tmp, 'tq'), durability: 'none' });
  kafka = new Kafka({ clientId: 'rostering-models-test', brokers: [log.brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin);
  await admin.disconnect();
  await produce(syn.events);
  conn = await amqp.connect(tq.url);
  backend = await initBackend();
});

afterAll(async () => {
  for (const s of running) await s.close().catch(() => {});
  await conn?.close().catch(() => {});
  await tq?.close();
  await log?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the model registry on the compacted topic rostering.models', () => {
  const train = (version: string, modelsDir: string) =>
    trainFromLog({ kafka, modelsDir, backend: backend.backend, from: syn.startMs, to: syn.endMs, epochs: 4, version, modelTopic: TOPIC_ON });

  it('a restart with an empty models folder and no database rebuilds the active model from the topic and plans with it', async () => {
    const trainerDir = freshDir('trainer');
    const res = await train('v-topic-1', trainerDir);

    // Another host: nothing in its models folder, no database.
    const emptyDir = freshDir('restart');
    expect(fs.readdirSync(emptyDir)).toEqual([]);
    const service = await start(emptyDir);
    expect(service.source().kind).toBe('model');
    expect(service.source().version).toBe('v-topic-1');
    // The weights came from the record, byte for byte.
    expect(fs.readFileSync(path.join(emptyDir, 'v-topic-1', 'weights.bin')).equals(fs.readFileSync(path.join(trainerDir, 'v-topic-1', 'weights.bin')))).toBe(true);

    // LATEST names it too, for a start with the registry topic switched off
    expect(fs.readFileSync(path.join(emptyDir, 'LATEST'), 'utf8').trim()).toBe('v-topic-1');

    // Its first plan forecasts with that model.
    const t = syn.endMs + 16 * 60_000;
    await produce([{ type: 'rider.location', v: 1, id: 'mt-p1', ts: t, riderId: 'mt-r1', zoneId: 'z1', lat: syn.centers[0].lat, lon: syn.centers[0].lon, status: 'idle', speedKmh: 0 } as AnyEvent]);
    const plan = await until('a plan', () => service.plans[0]);
    const onLog = await until('the plan on roster.plans', async () => (await rosterPlans()).find((p) => p.bucketStart === plan.bucketStart));
    expect(onLog.modelVersion).toBe('v-topic-1');
    expect(res.published?.record).toMatchObject({ version: 'v-topic-1', status: 'active', trainedAt: syn.endMs, activatedAt: syn.endMs });
    await service.close();
    running.splice(running.indexOf(service), 1);
  }, 180_000);

  it('a retrain steps the old version down in the same transaction, and a tombstone removes a retired version from the registry', async () => {
    const dir = freshDir('trainer2');
    await train('v-topic-2', dir);
    const afterRetrain = await readModelRegistry(kafka);
    expect(afterRetrain.active?.version).toBe('v-topic-2');
    expect(afterRetrain.models.map((m) => [m.version, m.status])).toEqual([['v-topic-2', 'active'], ['v-topic-1', 'inactive']]);

    // A registry write that aborts is never seen (readers are read_committed): v-topic-2 stays active.
    const zombie = kafka.producer({ transactionalId: `model-topic-test-aborted-${++seq}`, idempotent: true, maxInFlightRequests: 1 });
    await zombie.connect();
    const txn = await zombie.transaction();
    await txn.send({ topic: TOPIC, messages: [{ key: 'v-topic-1', value: JSON.stringify({ ...afterRetrain.models[1], status: 'active', activatedAt: syn.endMs + 1 }) }, { key: 'v-topic-2', value: null }] });
    await txn.abort();
    await zombie.disconnect();
    const afterAbort = await readModelRegistry(kafka);
    expect(afterAbort.active?.version).toBe('v-topic-2');
    expect(afterAbort.models.map((m) => m.version)).toEqual(['v-topic-2', 'v-topic-1']);

    // The active version cannot be retired; an inactive one can.
    await expect(retireVersion(kafka, 'v-topic-2')).rejects.toThrow(/is the active model/);
    await retireVersion(kafka, 'v-topic-1');
    const afterRetire = await readModelRegistry(kafka);
    expect(afterRetire.models.map((m) => m.version)).toEqual(['v-topic-2']);
    await expect(activateVersion(kafka, 'v-topic-1', { now: syn.endMs, keep: 5 })).rejects.toThrow(/not in the registry/);

    // A restarted rostering sees the registry without it.
    const service = await start(freshDir('restart2'));
    expect(service.registryAtStart?.registry.models.map((m) => m.version)).toEqual(['v-topic-2']);
    expect(service.source().version).toBe('v-topic-2');
    await service.close();
    running.splice(running.indexOf(service), 1);
  }, 180_000);

  it('after the cleaner runs, one record per version remains: the latest (the retirement a tombstone, kept for delete.retention.ms)', async () => {
    const dir = freshDir('trainer3');
    await train('v-topic-3', dir);
    // rollbacks and forth: every version written many times over
    for (const v of ['v-topic-2', 'v-topic-3', 'v-topic-2', 'v-topic-3']) await activateVersion(kafka, v, { now: syn.endMs, keep: 5 });
    const before = await readAll();
    expect(before.length).toBeGreaterThan(8);

    const admin = kafka.admin();
    await admin.connect();
    const described = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: TOPIC }] });
    expect(described.resources[0].configEntries.find((c) => c.configName === 'cleanup.policy')?.configValue).toBe('compact');
    // roll and clean quickly for the test (AlterConfigs replaces them all, so the policy is restated)
    const quick = { ...STATE_TOPICS[TOPIC].configs, 'segment.ms': '100', 'min.cleanable.dirty.ratio': '0' };
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: TOPIC, configEntries: Object.entries(quick).map(([name, value]) => ({ name, value })) }] });
    await admin.disconnect();

    let records: KafkaMessage[] = [];
    await until('the cleaner to leave one record per key', async () => {
      records = await readAll();
      return new Set(records.map((m) => m.key?.toString())).size === records.length;
    }, 60_000);
    const latest = new Map(records.map((m) => [m.key!.toString(), m.value === null ? null : RosteringModelRecordSchema.parse(JSON.parse(m.value.toString()))]));
    expect([...latest.keys()].sort()).toEqual(['v-topic-1', 'v-topic-2', 'v-topic-3']);
    expect(latest.get('v-topic-1')).toBeNull();
    expect(latest.get('v-topic-3')?.status).toBe('active');
    expect(latest.get('v-topic-2')?.status).toBe('inactive');
    // offsets stay as written: gaps where superseded records were removed
    expect(Math.max(...records.map((m) => Number(m.offset)))).toBeGreaterThan(records.length);

    // and the cleaned topic still rebuilds the registry
    const dir3 = freshDir('restart3');
    const service = await start(dir3);
    expect(service.source().version).toBe('v-topic-3');
    expect(service.registryAtStart?.registry.models.map((m) => m.version).sort()).toEqual(['v-topic-2', 'v-topic-3']);

    // a rollback made elsewhere reaches the running service without a restart
    await activateVersion(kafka, 'v-topic-2', { now: syn.endMs, keep: 5 });
    await until('the running service to follow the rollback', () => service.source().version === 'v-topic-2');
    expect(service.source().kind).toBe('model');
    expect(fs.readFileSync(path.join(dir3, 'LATEST'), 'utf8').trim()).toBe('v-topic-2');
    // and a retirement: the retired version's files leave its models folder (what the dashboard lists)
    expect(fs.existsSync(path.join(dir3, 'v-topic-3', 'weights.bin'))).toBe(true);
    await retireVersion(kafka, 'v-topic-3');
    await until('the retired version to leave the models folder', () => !fs.existsSync(path.join(dir3, 'v-topic-3')));
    expect(service.source().version).toBe('v-topic-2');
  }, 240_000);
});
