// Reading a topic from a starting point to the end it had when asked, once: how a service rebuilds
// what it knew (a state topic's latest values, the simulator's in-flight orders on a resumed start).
import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { deleteFinishedGroup } from './short-lived-groups.js';

export interface TopicSpanOptions {
  /** Start at the first record at or after this timestamp (record time); from each partition's beginning when omitted. */
  fromMs?: number;
  timeoutMs?: number;
  /** Label inside the short-lived group's name ("replay-<topic>-<label>-<uuid>"). */
  label?: string;
  /** The reader group could not be deleted afterwards (it is short-lived and swept later). */
  onGroupLeft?: (groupId: string, reason: string) => void;
}

/**
 * Calls `onRecord` for every record from the start (`fromMs`, else the beginning) to the end each
 * partition had when called, isolation read_committed (a record of an aborted transaction is
 * never seen). Uses a short-lived group ("replay-" prefix) that is deleted afterwards; commits
 * nothing. Resolves with the records read.
 *
 * On a compacted topic offsets stay as written, so a partition is done once its last offset is
 * read — or, when its last offsets hold nothing a consumer is given (a transaction marker, or
 * records a cleaner removed), once 10 fetches in a row brought nothing for it.
 */
export async function readTopicSpan(kafka: Kafka, topic: string, onRecord: (m: KafkaMessage, partition: number) => void, options: TopicSpanOptions = {}): Promise<number> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<number, number>();
  const starts = new Map<number, number>();
  try {
    const high = await admin.fetchTopicOffsets(topic);
    const byTime = options.fromMs === undefined ? null : await admin.fetchTopicOffsetsByTimestamp(topic, options.fromMs);
    for (const p of high) {
      // -1 (or the end) from the time index: nothing at or after fromMs in this partition
      const from = byTime ? Number(byTime.find((o) => o.partition === p.partition)?.offset ?? -1) : Number(p.low);
      if (from >= 0 && from < Number(p.high)) { ends.set(p.partition, Number(p.high)); if (byTime) starts.set(p.partition, from); }
    }
  } finally {
    await admin.disconnect();
  }
  let records = 0;
  if (ends.size === 0) return records;
  const groupId = `replay-${topic}-${options.label ? `${options.label}-` : ''}${randomUUID()}`;
  // a short fetch wait: an empty answer soon tells that a partition has nothing more to give
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, readUncommitted: false });
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const fetchesSinceBatch = new Map<number, number>([...ends.keys()].map((p) => [p, 0]));
  consumer.on(consumer.events.FETCH, () => {
    for (const [p, n] of fetchesSinceBatch) fetchesSinceBatch.set(p, n + 1);
    for (const [p, n] of fetchesSinceBatch) if (n >= 10 && ends.has(p)) ends.delete(p);
    if (ends.size === 0) done();
  });
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const end = ends.get(batch.partition);
        if (end === undefined) return; // done already (or nothing to read in it)
        for (const m of batch.messages) {
          if (Number(m.offset) >= end) break; // written after the call: not ours to read
          records++;
          onRecord(m, batch.partition);
        }
        fetchesSinceBatch.set(batch.partition, 0);
        // a batch of only transaction markers has no messages; lastOffset still moves past them
        if (Number(batch.lastOffset()) + 1 >= end) ends.delete(batch.partition);
        if (ends.size === 0) done();
      },
    });
    for (const [partition, offset] of starts) consumer.seek({ topic, partition, offset: String(offset) });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`could not read ${topic} to its end within ${timeoutMs} ms (partitions left: ${[...ends.keys()].join(', ')})`)), timeoutMs);
    });
    try {
      await Promise.race([finished, timeout]);
    } finally {
      clearTimeout(timer);
    }
  } finally {
    await consumer.disconnect().catch(() => {});
    const reason = await deleteFinishedGroup(kafka, groupId);
    if (reason) options.onGroupLeft?.(groupId, reason);
  }
  return records;
}
