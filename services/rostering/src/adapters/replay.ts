import type { Kafka } from 'kafkajs';
import { parseEvent, type LogEvent } from '@riderflow/contracts';
import type { Logger } from '@riderflow/service-kit';

/** The topics whose events feed the demand features. */
export const DEMAND_TOPICS = ['order.events', 'rider.location', 'rider.shifts', 'weather.updates'] as const;

export interface ReplayOptions {
  kafka: Kafka;
  topics?: readonly string[];
  /** Simulated epoch ms to start from: partitions are sought to the first offset at or after it. */
  from?: number;
  /** Simulated epoch ms to stop at (exclusive); later events are skipped. */
  to?: number;
  onEvent(event: LogEvent): void;
  logger?: Logger;
  /** Gives up if the log stops delivering for this long before the end is reached. */
  idleTimeoutMs?: number;
}

export interface ReplayStats {
  groupId: string;
  events: number;
  skippedInvalid: number;
  skippedOutOfRange: number;
  partitions: number;
  seekedByTimestamp: boolean;
  /** "topic/partition" → last offset the replay covered (its end snapshot), for every partition seen. */
  ends: Map<string, bigint>;
}

/**
 * Reads the log from `from` (or the beginning) up to the end offsets observed at the start, with a
 * fresh consumer group: the "time machine" — the same records the live services read, replayed.
 * Starting offsets come from ListOffsets-by-timestamp (admin.fetchTopicOffsetsByTimestamp), since
 * record timestamps are simulated time.
 */
export async function replayLog(opts: ReplayOptions): Promise<ReplayStats> {
  const topics = [...(opts.topics ?? DEMAND_TOPICS)];
  const log = opts.logger;
  const groupId = `rostering-replay-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const admin = opts.kafka.admin();
  await admin.connect();
  const stats: ReplayStats = { groupId, events: 0, skippedInvalid: 0, skippedOutOfRange: 0, partitions: 0, seekedByTimestamp: false, ends: new Map() };
  const remaining = new Map<string, bigint>(); // "topic/partition" → last offset to read
  // Next offset to deliver per partition: records before the seek point, and records seen twice
  // because the seek landed after a first fetch from the beginning, are skipped.
  const next = new Map<string, bigint>();
  const starts: { topic: string; partition: number; offset: string }[] = [];
  try {
    const existing = new Set(await admin.listTopics());
    for (const topic of topics) {
      if (!existing.has(topic)) {
        log?.warn({ topic }, 'topic does not exist yet; nothing to replay from it');
        continue;
      }
      const ends = await admin.fetchTopicOffsets(topic);
      let startByPartition = new Map<number, string>();
      if (opts.from !== undefined) {
        try {
          const byTs = await admin.fetchTopicOffsetsByTimestamp(topic, opts.from);
          startByPartition = new Map(byTs.map((p) => [p.partition, p.offset]));
          stats.seekedByTimestamp = true;
        } catch (err) {
          log?.warn({ topic, err: (err as Error).message }, 'offsets by timestamp unavailable; reading from the beginning and filtering by time');
        }
      }
      for (const p of ends) {
        stats.ends.set(`${topic}/${p.partition}`, BigInt(p.high) - 1n);
        const start = BigInt(startByPartition.get(p.partition) ?? p.low);
        const start2 = start < 0n ? BigInt(p.high) : start; // -1: no record at/after `from`
        const high = BigInt(p.high);
        if (start2 >= high) continue;
        remaining.set(`${topic}/${p.partition}`, high - 1n);
        next.set(`${topic}/${p.partition}`, start2);
        starts.push({ topic, partition: p.partition, offset: start2.toString() });
      }
    }
    stats.partitions = remaining.size;
    if (remaining.size === 0) return stats;

    const consumer = opts.kafka.consumer({ groupId, maxWaitTimeInMs: 250 });
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [...new Set(starts.map((s) => s.topic))], fromBeginning: true });
      let lastProgress = Date.now();
      let resolveDone!: () => void;
      let rejectDone!: (err: unknown) => void;
      const done = new Promise<void>((resolve, reject) => {
        resolveDone = resolve;
        rejectDone = reject;
      });
      const idle = opts.idleTimeoutMs ?? 30_000;
      const timer = setInterval(() => {
        if (Date.now() - lastProgress > idle) rejectDone(new Error(`replay stalled: no records for ${idle} ms with ${remaining.size} partitions unfinished`));
      }, 500);
      try {
        await consumer.run({
          autoCommit: false,
          eachBatch: async ({ batch, heartbeat }) => {
            const key = `${batch.topic}/${batch.partition}`;
            const last = remaining.get(key);
            for (const m of batch.messages) {
              const off = BigInt(m.offset);
              if (last === undefined || off > last) break;
              if (off < (next.get(key) ?? 0n)) continue;
              next.set(key, off + 1n);
              const parsed = parseEvent(m.value);
              if (!parsed.ok) stats.skippedInvalid++;
              else if ((opts.from !== undefined && parsed.event.ts < opts.from) || (opts.to !== undefined && parsed.event.ts >= opts.to)) stats.skippedOutOfRange++;
              else {
                opts.onEvent(parsed.event);
                stats.events++;
              }
              if (off === last) remaining.delete(key);
            }
            lastProgress = Date.now();
            await heartbeat();
            if (remaining.size === 0) resolveDone();
          },
        });
        for (const s of starts) consumer.seek(s);
        await done;
      } finally {
        clearInterval(timer);
      }
    } finally {
      await consumer.disconnect().catch(() => {});
    }
    await admin.deleteGroups([groupId]).catch(() => {});
  } finally {
    await admin.disconnect().catch(() => {});
  }
  return stats;
}

