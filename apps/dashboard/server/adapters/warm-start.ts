import { randomUUID } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import { parseEvent, type LogEvent, type TopicName } from '@riderflow/contracts';
import { deleteFinishedGroup, newestRecordTimestamp } from '@riderflow/service-kit';
import { WARM_WINDOW_MS, WORLD_TOPICS, warmOrder } from '../core/warm-window.js';

// The read-back of a fresh dashboard (core/warm-window.ts says why and how far): the records of
// each topic from its window's start (the log's time index, ListOffsets by time) up to the offset
// where the dashboard's group will resume (its committed offset, or where a new group starts). A
// reader of its own short-lived group does it: it commits nothing, so the dashboard group's commits
// never move, and it stops short of the hand-over offsets, so the group reads every later record
// and none is folded twice. The group is deleted when the read is done (one a crash left behind is
// swept at the next start, like a message-browser window's).

/** where the dashboard's group resumes, per "topic/partition" */
export type Handover = ReadonlyMap<string, bigint>;

export interface WarmRead { events: LogEvent[]; invalid: number; now: number | null; records: number }

/** a generous bound: on a busy machine a day of orders takes seconds; the live view must not wait for ever */
const READ_TIMEOUT_MS = 120_000;

/** The simulated now: the newest record's timestamp on the world's topics (record time = simulated time). */
async function simulatedNow(admin: Admin): Promise<number | null> {
  let now: number | null = null;
  for (const topic of WORLD_TOPICS) {
    const t = await newestRecordTimestamp(admin, topic);
    if (t !== null && (now === null || t > now)) now = t;
  }
  return now;
}

/** per "topic/partition": the first offset to read (inclusive) and the hand-over (exclusive) */
async function ranges(admin: Admin, handover: Handover, now: number): Promise<Map<string, { from: bigint; to: bigint }>> {
  const out = new Map<string, { from: bigint; to: bigint }>();
  for (const topic of Object.keys(WARM_WINDOW_MS) as TopicName[]) {
    for (const { partition, offset } of await admin.fetchTopicOffsetsByTimestamp(topic, now - WARM_WINDOW_MS[topic])) {
      const key = `${topic}/${partition}`;
      const to = handover.get(key);
      if (to !== undefined && BigInt(offset) < to) out.set(key, { from: BigInt(offset), to });
    }
  }
  return out;
}

export async function readBack(kafka: Kafka, handover: Handover, timeoutMs = READ_TIMEOUT_MS): Promise<WarmRead> {
  const admin = kafka.admin();
  await admin.connect();
  let now: number | null;
  let todo: Map<string, { from: bigint; to: bigint }>;
  try {
    now = await simulatedNow(admin);
    if (now === null) return { events: [], invalid: 0, now, records: 0 };
    todo = await ranges(admin, handover, now);
  } finally {
    await admin.disconnect();
  }
  if (todo.size === 0) return { events: [], invalid: 0, now, records: 0 };

  const events: LogEvent[] = [];
  let invalid = 0;
  let records = 0;
  const open = new Set(todo.keys());
  const topics = [...new Set([...todo.keys()].map((k) => k.slice(0, k.lastIndexOf('/'))))];
  const groupId = `dashboard-warm-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, sessionTimeout: 10_000, heartbeatInterval: 1_000, maxBytesPerPartition: 1024 * 1024 });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read-back not done after ${timeoutMs / 1000} s: ${open.size} partitions left (${[...open].slice(0, 4).join(', ')})`)), timeoutMs);
      const closed = (key: string) => {
        open.delete(key);
        if (open.size === 0) {
          clearTimeout(timer);
          resolve();
        }
      };
      // a batch's last offset (transaction markers included, which never reach eachBatch) says
      // whether the partition has been read up to its hand-over
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        const key = `${payload.topic}/${payload.partition}`;
        const range = todo.get(key);
        if (range && open.has(key) && BigInt(payload.lastOffset) >= range.to - 1n) closed(key);
      });
      consumer
        .connect()
        .then(() => consumer.subscribe({ topics, fromBeginning: false }))
        .then(() => consumer.run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const key = `${batch.topic}/${batch.partition}`;
            const range = todo.get(key);
            if (!range || !open.has(key)) return;
            for (const m of batch.messages) {
              const offset = BigInt(m.offset);
              if (offset < range.from || offset >= range.to) continue;
              records++;
              const parsed = parseEvent(m.value);
              if (parsed.ok) events.push(parsed.event);
              else invalid++;
            }
          },
        }))
        .then(() => {
          // unassigned partitions (another topic's, or one with nothing to read) start at the end and are ignored
          for (const [key, { from }] of todo) {
            const cut = key.lastIndexOf('/');
            consumer.seek({ topic: key.slice(0, cut), partition: Number(key.slice(cut + 1)), offset: String(from) });
          }
        })
        .catch((err: unknown) => {
          clearTimeout(timer);
          reject(err as Error);
        });
    });
  } finally {
    await consumer.disconnect().catch(() => {});
    await deleteFinishedGroup(kafka, groupId);
  }
  return { events: warmOrder(events), invalid, now, records };
}
