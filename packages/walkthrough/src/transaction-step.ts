import kafkajs, { type Kafka } from 'kafkajs';
import { STATE_TOPIC } from '@riderflow/contracts';
import { deleteFinishedGroup } from '@riderflow/service-kit';
import type { Step, StepResult, WalkthroughContext } from './context.js';
import { waitFor } from './mgmt.js';

// A transaction as a reader sees it: a transactional producer aborts one batch and commits the
// next; a read_committed reader (kafkajs's default, and the platform's) gets only the committed
// one, a read_uncommitted reader gets both. This is what the notifier planner relies on when it
// writes its dead letters and commits its offsets in one transaction.

// One partition, so offsets order the whole story: aborted records first, committed ones after.
const TX_TOPIC = 'walkthrough.transactions';
// kafkajs is CommonJS and Node's ESM loader does not see this one among its named exports
const { ConfigResourceTypes } = kafkajs;
// One fixed id: each run fences the previous run's producer, as a restarted service would.
const TX_ID = 'walkthrough-transaction';
const PER_BATCH = 3;

interface Seen { values: string[]; lastOffset: number }

async function ensureTopic(kafka: Kafka): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(TX_TOPIC)) await admin.createTopics({ topics: [{ topic: TX_TOPIC, numPartitions: 1 }], waitForLeaders: true });
    const [p] = await admin.fetchTopicOffsets(TX_TOPIC);
    return Number(p!.high);
  } finally {
    await admin.disconnect();
  }
}

async function writeAbortedThenCommitted(kafka: Kafka, run: string): Promise<void> {
  const producer = kafka.producer({ transactionalId: TX_ID, idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const batch = (kind: string) => Array.from({ length: PER_BATCH }, (_, i) => ({ key: run, value: `${run} ${kind} ${i + 1}` }));
    const aborted = await producer.transaction();
    await aborted.send({ topic: TX_TOPIC, messages: batch('aborted') });
    await aborted.abort();
    const committed = await producer.transaction();
    await committed.send({ topic: TX_TOPIC, messages: batch('committed') });
    await committed.commit();
  } finally {
    await producer.disconnect();
  }
}

/** Reads this run's records from `from` on, until the last committed one has arrived. */
async function readFrom(kafka: Kafka, groupId: string, readUncommitted: boolean, from: number, run: string): Promise<Seen> {
  const seen: Seen = { values: [], lastOffset: -1 };
  const consumer = kafka.consumer({ groupId, readUncommitted, sessionTimeout: 6_000, heartbeatInterval: 500, maxWaitTimeInMs: 200 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: TX_TOPIC, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const value = message.value?.toString() ?? '';
        if (value.startsWith(run)) seen.values.push(value.slice(run.length + 1));
        seen.lastOffset = Number(message.offset);
      },
    });
    consumer.seek({ topic: TX_TOPIC, partition: 0, offset: String(from) });
    // The committed records come after the aborted ones: once the last of them has arrived, the
    // reader has gone past every aborted record it was ever going to be given.
    await waitFor(async () => seen.values.includes(`committed ${PER_BATCH}`), 30_000, 100);
  } finally {
    await consumer.disconnect();
    await deleteFinishedGroup(kafka, groupId);
  }
  return seen;
}

/** dispatch's rider state: its cleanup policy, and how many records the log still holds per rider. */
async function riderStateEvidence(kafka: Kafka): Promise<string[]> {
  const topic = STATE_TOPIC.dispatchRiderState;
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(topic)) return [`${topic} does not exist yet (dispatch creates it when it starts)`];
    const described = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['cleanup.policy'] }] });
    const policy = described.resources[0]?.configEntries.find((e) => e.configName === 'cleanup.policy')?.configValue ?? 'unknown';
    const ends = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.high)]));
    const written = [...ends.values()].reduce((s, h) => s + h, 0);
    const { records, keys, complete } = await readWholeTopic(kafka, topic, ends);
    const state = `${topic} (dispatch's riders, keyed by rider) has cleanup.policy=${policy}: ${written} updates written, ${records} still on the log${complete ? '' : ' (read for 20 s, not to the end)'} for ${keys} distinct riders`;
    const cleaner = records > keys
      ? `the cleaner has removed ${written - records} so far; it keeps the latest per rider once a segment has rolled (segment.ms) and enough of the log is dirty`
      : 'the cleaner has kept only the latest per rider';
    return [`${state}: ${cleaner}. A restarted dispatch reads them to plan with every rider at once.`];
  } finally {
    await admin.disconnect();
  }
}

/** Every record up to today's ends: how many there are, for how many keys. */
async function readWholeTopic(kafka: Kafka, topic: string, ends: Map<number, number>): Promise<{ records: number; keys: number; complete: boolean }> {
  const groupId = `walkthrough-state-${Date.now().toString(36)}`;
  const keys = new Set<string>();
  const reached = new Map<number, number>();
  let records = 0;
  let complete = false;
  const consumer = kafka.consumer({ groupId, sessionTimeout: 6_000, heartbeatInterval: 500, maxWaitTimeInMs: 200 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const offset = Number(message.offset);
        if (offset >= (ends.get(partition) ?? 0)) return;
        records++;
        keys.add(message.key?.toString() ?? '');
        reached.set(partition, offset);
      },
    });
    // compaction leaves gaps, so "done" is: every partition's last record read, or nothing left after it
    const done = await waitFor(async () => [...ends].every(([p, high]) => high === 0 || (reached.get(p) ?? -1) >= high - 1), 20_000, 200);
    complete = Boolean(done);
  } finally {
    await consumer.disconnect();
    await deleteFinishedGroup(kafka, groupId);
  }
  return { records, keys: keys.size, complete };
}

async function showTransaction(ctx: WalkthroughContext): Promise<StepResult> {
  const run = `run-${Date.now().toString(36)}`;
  const from = await ensureTopic(ctx.kafka);
  ctx.say(`writing ${PER_BATCH} records to ${TX_TOPIC} in a transaction that aborts, then ${PER_BATCH} in one that commits`);
  await writeAbortedThenCommitted(ctx.kafka, run);
  const committed = await readFrom(ctx.kafka, `walkthrough-committed-${run}`, false, from, run);
  const uncommitted = await readFrom(ctx.kafka, `walkthrough-uncommitted-${run}`, true, from, run);
  const count = (s: Seen, kind: string) => s.values.filter((v) => v.startsWith(kind)).length;
  const [cC, cA, uC, uA] = [count(committed, 'committed'), count(committed, 'aborted'), count(uncommitted, 'committed'), count(uncommitted, 'aborted')];
  const ok = cC === PER_BATCH && cA === 0 && uC === PER_BATCH && uA === PER_BATCH;
  const evidence = [
    `transactional producer ${TX_ID}: ${PER_BATCH} records aborted, then ${PER_BATCH} committed, on ${TX_TOPIC}`,
    `read_committed reader (the default, and the platform's): ${committed.values.length} records = ${cC} committed + ${cA} aborted`,
    `read_uncommitted reader: ${uncommitted.values.length} records = ${uC} committed + ${uA} aborted`,
    `the log holds all ${uncommitted.values.length} plus a marker after each transaction (offsets ${from}–${uncommitted.lastOffset + 1}); only a committed reader's view is all or nothing.`,
    'the notifier planner writes its dead letters and commits its offsets in one such transaction: a crash between them repeats neither.',
  ];
  try {
    evidence.push(...(await riderStateEvidence(ctx.kafka)));
  } catch (err) {
    evidence.push(`could not describe ${STATE_TOPIC.dispatchRiderState}: ${(err as Error).message}`);
  }
  return { ok, evidence, data: { topic: TX_TOPIC, committed: committed.values, uncommitted: uncommitted.values } };
}

export const transaction: Step = {
  id: 'transaction',
  title: 'A transaction: a reader sees all of it or none of it',
  lesson: 'A transactional producer writes records and commits them together with its consumer offsets; a read_committed reader never sees what was aborted, and a compacted topic keeps the latest value per key for a service to rebuild from.',
  where: `The log page: ${TX_TOPIC} keeps every record of every run (aborted ones too, plus the transaction markers); ${STATE_TOPIC.dispatchRiderState}'s topic view shows cleanup policy compact and its dirty ratio. This step's groups "walkthrough-committed-…" and "walkthrough-uncommitted-…" are deleted when it ends.`,
  flows: `topic events.dead with the notifier-planner's offsets (one transaction); topic ${STATE_TOPIC.dispatchRiderState} (compacted), read by dispatch on restart`,
  run: showTransaction,
};
