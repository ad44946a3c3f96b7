import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { parseEvent, TOPIC, type LogEvent } from '@riderflow/contracts';
import { deleteFinishedGroup } from '@riderflow/service-kit';

export interface OrderEventsRead {
  events: LogEvent[];
  /** Records read (from the first offset at or after `fromMs` to the end the topic had when called). */
  records: number;
  /** Records that are not a valid order event (skipped; the dead-letter topic is the readers' business). */
  invalid: number;
}

/**
 * Reads `order.events` from the first record at or after simulated time `fromMs` to the end the
 * topic has when called: what a resumed start needs to know which orders were still in flight.
 * A short-lived group ("replay-" prefix), deleted afterwards; commits nothing.
 */
export async function readOrderEventsSince(kafka: Kafka, fromMs: number, timeoutMs = 60_000): Promise<OrderEventsRead> {
  const topic = TOPIC.orderEvents;
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<number, number>();
  const starts = new Map<number, number>();
  try {
    const high = await admin.fetchTopicOffsets(topic);
    const byTime = await admin.fetchTopicOffsetsByTimestamp(topic, fromMs);
    for (const p of high) {
      const from = Number(byTime.find((o) => o.partition === p.partition)?.offset ?? p.high);
      // -1 or the end: nothing at or after fromMs in this partition
      if (from >= 0 && from < Number(p.high)) { starts.set(p.partition, from); ends.set(p.partition, Number(p.high)); }
    }
  } finally {
    await admin.disconnect();
  }
  const events: LogEvent[] = [];
  let records = 0;
  let invalid = 0;
  if (ends.size === 0) return { events, records, invalid };
  const groupId = `replay-${topic}-resume-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const end = ends.get(batch.partition);
        if (end === undefined) return;
        for (const m of batch.messages) {
          if (Number(m.offset) >= end) break;
          records++;
          const parsed = m.value ? parseEvent(m.value.toString()) : null;
          if (parsed?.ok) events.push(parsed.event); else invalid++;
        }
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
    await deleteFinishedGroup(kafka, groupId);
  }
  return { events, records, invalid };
}
