import { randomUUID } from 'node:crypto';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { DispatchRiderStateSchema, STATE_TOPIC, STATE_TOPICS, type DispatchRiderState } from '@riderflow/contracts';
import { deleteFinishedGroup, type Logger } from '@riderflow/service-kit';
import type { RiderStateTracker } from './rider-state-tracker.js';

const TOPIC = STATE_TOPIC.dispatchRiderState;

/** Creates the compacted topic dispatch.rider-state with its configs, if it is missing. */
export async function ensureRiderStateTopic(admin: Admin): Promise<void> {
  if ((await admin.listTopics()).includes(TOPIC)) return;
  const spec = STATE_TOPICS[TOPIC];
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic: TOPIC, numPartitions: spec.partitions, configEntries: Object.entries(spec.configs).map(([name, value]) => ({ name, value })) }],
    });
  } catch (err) {
    // another dispatch may have created it between listTopics and createTopics
    if (!(await admin.listTopics()).includes(TOPIC)) throw err;
  }
}

/**
 * Reads dispatch.rider-state from the beginning to the end it had when called and answers every
 * rider's latest state (riders whose latest record is a tombstone are left out). Uses a
 * short-lived group ("replay-" prefix) that is deleted afterwards; commits nothing.
 */
export async function readRiderStates(kafka: Kafka, admin: Admin, logger: Logger, timeoutMs = 60_000): Promise<DispatchRiderState[]> {
  const ends = new Map<number, number>();
  for (const p of await admin.fetchTopicOffsets(TOPIC)) if (Number(p.high) > Number(p.low)) ends.set(p.partition, Number(p.high));
  const states = new Map<string, DispatchRiderState | null>();
  if (ends.size === 0) return [];
  const groupId = `replay-dispatch-rider-state-${randomUUID()}`;
  // a short fetch wait: an empty answer soon tells that a partition has nothing more to give
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  // The cleaner may have removed a partition's last records (tombstones past delete.retention.ms),
  // so its end offset is never read. Such a partition is at its end once fetches keep coming back
  // without a batch for it: count the fetches since each partition's last batch.
  const fetchesSinceBatch = new Map<number, number>([...ends.keys()].map((p) => [p, 0]));
  consumer.on(consumer.events.FETCH, () => {
    for (const [p, n] of fetchesSinceBatch) fetchesSinceBatch.set(p, n + 1);
    for (const [p, n] of fetchesSinceBatch) if (n >= 10 && ends.has(p)) ends.delete(p);
    if (ends.size === 0) done();
  });
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [TOPIC], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          const key = m.key?.toString();
          if (!key) continue;
          if (m.value === null) {
            states.set(key, null);
            continue;
          }
          const parsed = DispatchRiderStateSchema.safeParse(safeJson(m.value.toString()));
          if (parsed.success) states.set(key, parsed.data);
          else logger.warn({ key, offset: m.offset }, 'unreadable record on dispatch.rider-state; skipped');
        }
        fetchesSinceBatch.set(batch.partition, 0);
        // offsets stay as written on a compacted topic, so a partition is read once its last record is
        const end = ends.get(batch.partition);
        if (end !== undefined && Number(batch.lastOffset()) + 1 >= end) ends.delete(batch.partition);
        if (ends.size === 0) done();
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`could not read ${TOPIC} to its end within ${timeoutMs} ms (partitions left: ${[...ends.keys()].join(', ')})`)), timeoutMs);
    });
    try {
      await Promise.race([finished, timeout]);
    } finally {
      clearTimeout(timer);
    }
  } finally {
    await consumer.disconnect().catch(() => {});
    const reason = await deleteFinishedGroup(kafka, groupId);
    if (reason) logger.warn({ groupId, reason }, 'could not delete the rider-state reader group');
  }
  return [...states.values()].filter((s): s is DispatchRiderState => s !== null);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Writes the tracker's changes to dispatch.rider-state every `intervalMs` (and on stop): one
 * record per changed rider, so a rider pinging many times between writes costs one record. A
 * failed write is given back and retried at the next tick.
 */
export class RiderStateWriter {
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly producer: Producer,
    private readonly tracker: RiderStateTracker,
    private readonly logger: Logger,
    private readonly intervalMs = 250,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.intervalMs);
  }

  /** Writes what changed so far; resolves once it is on the log (or the write failed). */
  flush(): Promise<void> {
    this.writing = this.writing.then(() => this.writeChanges());
    return this.writing;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  private async writeChanges(): Promise<void> {
    const changes = this.tracker.takeChanges();
    if (changes.size === 0) return;
    try {
      await this.producer.send({
        topic: TOPIC,
        messages: [...changes].map(([riderId, s]) => ({ key: riderId, value: s ? JSON.stringify(s) : null, ...(s ? { timestamp: String(s.seenAt) } : {}) })),
      });
    } catch (err) {
      this.tracker.giveBack(changes);
      this.logger.warn({ err, riders: changes.size }, 'could not write rider state; retrying');
    }
  }
}
