import { setImmediate } from 'node:timers/promises';
import type { Consumer, Kafka } from 'kafkajs';
import { TOPIC_NAMES, parseEvent } from '@riderflow/contracts';
import { ensureTopics } from '@riderflow/service-kit';
import type { LiveState } from '../core/live-state.js';
import { headersOf } from '../core/record-headers.js';

// The dashboard's own consumer group on every topic: it folds events into the live state and
// keeps the newest records per topic for the message browser's "tail" mode.
//
// Offsets are committed by a background loop rather than by kafkajs after every batch: kafkajs's
// auto-commit sends one OffsetCommit per partition batch and waits for it before the next fetch,
// so under a flood (24 partitions, thousands of events per second) those round trips, not the work,
// set the pace and the live view falls behind. The loop commits the newest processed offsets every
// COMMIT_EVERY_MS, off the fetch path; after a crash the group re-reads at most that much.

const COMMIT_EVERY_MS = 100;
/** messages folded between yields to the event loop */
const SLICE = 1_000;

export interface TailRecord { topic: string; partition: number; offset: string; key: string | null; timestamp: string; value: string; headers?: Record<string, string> }

export class LogStream {
  private consumer: Consumer | null = null;
  /** next offset to commit per "topic/partition" (processed, not yet committed) */
  private readonly toCommit = new Map<string, { topic: string; partition: number; offset: string }>();
  private commitLoop: Promise<void> | null = null;
  private running = false;
  private readonly tails = new Map<string, TailRecord[]>();
  /** wall-clock ms of the last completed fetch: the broker is "live" while this is recent */
  lastFetchAt = 0;
  lastError: string | null = null;

  constructor(private readonly kafka: Kafka, private readonly groupId: string, private readonly live: LiveState, private readonly tailSize = 50) {}

  async start(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await ensureTopics(admin);
    } finally {
      await admin.disconnect();
    }
    const consumer = this.kafka.consumer({
      groupId: this.groupId,
      sessionTimeout: 10_000,
      heartbeatInterval: 3_000,
      maxWaitTimeInMs: 250,
      // kafkajs decodes a whole fetch response in one go: responses smaller than its defaults
      // (1 MiB per partition, 10 MiB in all) keep that pause short when catching up after a stall
      maxBytesPerPartition: 256 * 1024,
      maxBytes: 2 * 1024 * 1024,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.FETCH, () => {
      this.lastFetchAt = Date.now();
      this.lastError = null;
    });
    consumer.on(consumer.events.CRASH, (e) => {
      this.lastError = String(e.payload.error?.message ?? e.payload.error);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [...TOPIC_NAMES], fromBeginning: false });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch, isRunning, isStale }) => {
        const messages = batch.messages;
        let done = 0;
        while (done < messages.length) {
          const end = Math.min(messages.length, done + SLICE);
          for (let i = done; i < end; i++) {
            const parsed = parseEvent(messages[i]!.value);
            if (parsed.ok) this.live.apply(parsed.event);
            else this.live.countInvalid();
          }
          done = end;
          if (done < messages.length) {
            // let frame ticks and socket writes run between slices of a large (catch-up) batch
            await setImmediate();
            if (!isRunning() || isStale()) break;
          }
        }
        if (done === 0) return;
        const processed = messages.slice(0, done);
        // only the newest tailSize records can stay in the tail: skip building the others
        const tail = this.tails.get(batch.topic) ?? [];
        for (const m of processed.slice(-this.tailSize)) {
          tail.push({ topic: batch.topic, partition: batch.partition, offset: m.offset, key: m.key?.toString() ?? null, timestamp: m.timestamp, value: m.value?.toString() ?? '', headers: headersOf(m.headers) });
        }
        if (tail.length > this.tailSize) tail.splice(0, tail.length - this.tailSize);
        this.tails.set(batch.topic, tail);
        const next = String(BigInt(processed.at(-1)!.offset) + 1n);
        this.toCommit.set(`${batch.topic}/${batch.partition}`, { topic: batch.topic, partition: batch.partition, offset: next });
      },
    });
    this.running = true;
    this.commitLoop = this.commitInBackground().catch((err: unknown) => {
      this.lastError = `commit loop stopped: ${(err as Error).message}`;
    });
  }

  private async commitInBackground(): Promise<void> {
    while (this.running) {
      await new Promise((r) => setTimeout(r, COMMIT_EVERY_MS));
      await this.commitNow();
    }
  }

  private async commitNow(): Promise<void> {
    if (!this.consumer || this.toCommit.size === 0) return;
    const offsets = [...this.toCommit.values()];
    this.toCommit.clear();
    try {
      await this.consumer.commitOffsets(offsets);
    } catch (err) {
      // Keep them for the next round unless newer offsets arrived meanwhile (e.g. during a rebalance).
      for (const o of offsets) {
        const key = `${o.topic}/${o.partition}`;
        if (!this.toCommit.has(key)) this.toCommit.set(key, o);
      }
      this.lastError = `commit failed: ${(err as Error).message}`;
    }
  }

  tail(topic: string): TailRecord[] {
    return [...(this.tails.get(topic) ?? [])].reverse();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.commitLoop;
    await this.commitNow().catch(() => {});
    await this.consumer?.disconnect();
  }
}
