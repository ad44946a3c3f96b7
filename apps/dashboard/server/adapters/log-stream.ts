import type { Consumer, Kafka } from 'kafkajs';
import { TOPIC_NAMES, ensureTopics, parseEvent } from '@riderflow/contracts';
import type { LiveState } from '../core/live-state.js';

// The dashboard's own consumer group on every topic: it folds events into the live state and
// keeps the newest records per topic for the message browser's "tail" mode.

export interface TailRecord { topic: string; partition: number; offset: string; key: string | null; timestamp: string; value: string }

export class LogStream {
  private consumer: Consumer | null = null;
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
    const consumer = this.kafka.consumer({ groupId: this.groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 250 });
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
      eachBatch: async ({ batch }) => {
        const tail = this.tails.get(batch.topic) ?? [];
        for (const m of batch.messages) {
          const parsed = parseEvent(m.value);
          if (parsed.ok) this.live.apply(parsed.event);
          else this.live.countInvalid();
          tail.push({ topic: batch.topic, partition: batch.partition, offset: m.offset, key: m.key?.toString() ?? null, timestamp: m.timestamp, value: m.value?.toString() ?? '' });
        }
        if (tail.length > this.tailSize) tail.splice(0, tail.length - this.tailSize);
        this.tails.set(batch.topic, tail);
      },
    });
  }

  tail(topic: string): TailRecord[] {
    return [...(this.tails.get(topic) ?? [])].reverse();
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
