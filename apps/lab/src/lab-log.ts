import type { Admin, Kafka, Producer } from 'kafkajs';
import { createKafka, deleteFinishedGroup, loadConfig, oldestRecordTimestamp } from '@riderflow/service-kit';
import { keyForEvent, LAB_FIRST_DECISION_TOPIC, LAB_RUNS_TOPIC, LabRunRecordSchema, parseEvent, topicForEvent, TOPICS, type LabRunRecord, type LogEvent, type TopicName } from '@riderflow/contracts';
import { LabInputError } from './recorded-window.js';

/** The live topics the lab rebuilds the world from (decisions are re-made; the recorded ones are only counted, DECISION_TOPIC). */
export const RECORDED_TOPICS: TopicName[] = ['order.events', 'rider.shifts', 'rider.location', 'weather.updates'];
/**
 * Read too when the log has it: the recorded run's dispatch decisions, only to count what live
 * dispatch did in the window (bundles, repositions; src/policy-levers.ts). The replay re-makes its own.
 */
export const DECISION_TOPIC: TopicName = 'dispatch.assignments';
/** The topics a lab run writes, each under its own `lab.<run>.` prefix. */
export const LAB_OUTPUT_TOPICS: TopicName[] = [...RECORDED_TOPICS, 'dispatch.assignments', 'roster.plans'];

export function labTopic(runId: string, topic: TopicName): string {
  return `lab.${runId}.${topic}`;
}

/** Lab run ids become topic names: letters, digits, dots, dashes and underscores only. */
export function checkRunId(runId: string): string {
  if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,100}$/.test(runId)) throw new LabInputError(`run id ${JSON.stringify(runId)}: use letters, digits, '.', '_' and '-' only`);
  return runId;
}

/** The kit's client, so SASL credentials (KAFKA_SASL_*) apply to the lab as to every service. */
export function labKafka(brokers: string[], clientId = 'lab'): Kafka {
  return createKafka({ ...loadConfig(process.env), kafkaBrokers: brokers }, clientId, { connectionTimeout: 5_000, retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 2_000 } });
}

/** The first recorded dispatch decision (the oldest record of dispatch.assignments); null when none was recorded. */
export async function firstRecordedDecision(kafka: Kafka): Promise<number | null> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(LAB_FIRST_DECISION_TOPIC)) return null;
    return await oldestRecordTimestamp(admin, LAB_FIRST_DECISION_TOPIC);
  } finally {
    await admin.disconnect();
  }
}

async function highWater(admin: Admin, topics: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const t of topics) for (const p of await admin.fetchTopicOffsets(t)) out.set(`${t}/${p.partition}`, Number(p.high));
  return out;
}

/**
 * Reads the recorded topics from their beginning up to where they end now (a fixed snapshot, so a
 * live run writing meanwhile cannot keep the read going) and returns the events with ts < toMs.
 * Reads with a consumer group of its own, never commits offsets (the live log is only read) and
 * deletes the group when done.
 */
export async function readRecorded(kafka: Kafka, toMs: number, runId: string, onProgress?: (read: number, total: number) => void): Promise<LogEvent[]> {
  const admin = kafka.admin();
  await admin.connect();
  let ends: Map<string, number>;
  let topics: TopicName[];
  try {
    const existing = new Set(await admin.listTopics());
    const missing = RECORDED_TOPICS.filter((t) => !existing.has(t));
    if (missing.length > 0) throw new Error(`the log has no ${missing.join(', ')}: nothing was recorded`);
    topics = existing.has(DECISION_TOPIC) ? [...RECORDED_TOPICS, DECISION_TOPIC] : RECORDED_TOPICS;
    ends = await highWater(admin, topics);
  } finally {
    await admin.disconnect();
  }
  const total = [...ends.values()].reduce((s, v) => s + v, 0);
  const remaining = new Set([...ends].filter(([, hw]) => hw > 0).map(([k]) => k));
  const events: LogEvent[] = [];
  let read = 0;
  let bad = 0;
  if (remaining.size === 0) return events;
  const groupId = `lab.${runId}.reader`;
  const consumer = kafka.consumer({ groupId, sessionTimeout: 30_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 200, maxBytes: 16 << 20 });
  await consumer.connect();
  try {
    let finished!: () => void;
    const done = new Promise<void>((r) => { finished = r; });
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: true,
      eachBatch: async ({ batch }) => {
        const key = `${batch.topic}/${batch.partition}`;
        const end = ends.get(key) ?? 0;
        for (const m of batch.messages) {
          if (Number(m.offset) >= end) break;
          read++;
          const p = parseEvent(m.value);
          if (!p.ok) { bad++; continue; }
          if (p.event.ts < toMs) events.push(p.event);
        }
        if (Number(batch.lastOffset()) >= end - 1) { remaining.delete(key); consumer.pause([{ topic: batch.topic, partitions: [batch.partition] }]); }
        onProgress?.(read, total);
        if (remaining.size === 0) finished();
      },
    });
    await done;
  } finally {
    await consumer.disconnect();
    // The group was only this read's: left behind, every run would add one to the log page. One a
    // crash leaves is swept when the dashboard starts (a job group: service-kit's short-lived prefixes).
    await deleteFinishedGroup(kafka, groupId);
  }
  if (bad > 0) onProgress?.(read, total);
  return events;
}

/** Creates the run's own topics (same partitions as the live ones) and returns a writer for them. */
export async function openLabWriter(kafka: Kafka, runId: string): Promise<{ write(events: readonly LogEvent[]): Promise<void>; close(): Promise<void>; written: Map<string, number> }> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ waitForLeaders: true, topics: LAB_OUTPUT_TOPICS.map((t) => ({ topic: labTopic(runId, t), numPartitions: TOPICS[t].partitions })) });
  } finally {
    await admin.disconnect();
  }
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: false });
  await producer.connect();
  const written = new Map<string, number>();
  return {
    written,
    async write(events) {
      const byTopic = new Map<string, { key: string; value: string; timestamp: string }[]>();
      for (const e of events) {
        const topic = labTopic(runId, topicForEvent(e));
        let list = byTopic.get(topic);
        if (!list) byTopic.set(topic, (list = []));
        list.push({ key: keyForEvent(e), value: JSON.stringify(e), timestamp: String(e.ts) });
      }
      for (const [topic, messages] of byTopic) {
        for (let i = 0; i < messages.length; i += 5_000) await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 5_000) });
        written.set(topic, (written.get(topic) ?? 0) + messages.length);
      }
    },
    close: () => producer.disconnect(),
  };
}

/** Deletes a lab run's topics (`npm run lab -- --cleanup <run>`). Live topics are never touched. */
export async function deleteLabRun(kafka: Kafka, runId: string): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const prefix = `lab.${checkRunId(runId)}.`;
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics });
    return topics;
  } finally {
    await admin.disconnect();
  }
}

/**
 * Appends a finished run's comparison to `lab.runs` (one partition, so the runs stay in the order
 * they finished; created on first use), where the dashboard lists past runs from.
 */
export async function writeRunRecord(kafka: Kafka, record: LabRunRecord): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(LAB_RUNS_TOPIC)) {
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic: LAB_RUNS_TOPIC, numPartitions: 1 }] });
    }
  } finally {
    await admin.disconnect();
  }
  const producer = kafka.producer({ allowAutoTopicCreation: false, idempotent: false });
  await producer.connect();
  try {
    await producer.send({ topic: LAB_RUNS_TOPIC, acks: -1, messages: [{ key: record.runId, value: JSON.stringify(LabRunRecordSchema.parse(record)), timestamp: String(record.finishedAt) }] });
  } finally {
    await producer.disconnect();
  }
}
