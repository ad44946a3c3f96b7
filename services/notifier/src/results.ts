import type { Producer } from 'kafkajs';
import { TOPIC, type NotificationResult } from '@riderflow/contracts';
import { encodeEvent } from '@riderflow/service-kit';

/** Where notification outcomes go. The worker acks a task only after its result is published. */
export interface ResultPublisher {
  publish(result: NotificationResult): Promise<void>;
  close(): Promise<void>;
}

/** Keeps results in memory (tests, and a notifier running without a log). */
export class MemoryResultPublisher implements ResultPublisher {
  readonly results: NotificationResult[] = [];
  async publish(result: NotificationResult): Promise<void> {
    this.results.push(result);
  }
  async close(): Promise<void> {}
}

/**
 * Publishes results to `notification.results` in batches: results arriving within `lingerMs`
 * (or up to `maxBatch`) go out in one produce request, and each caller's promise resolves when
 * its batch is acknowledged by the log — one round trip per batch, not per notification.
 */
export class KafkaResultPublisher implements ResultPublisher {
  private pending: { result: NotificationResult; resolve(): void; reject(err: unknown): void }[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly producer: Producer, private readonly options: { topic?: string; lingerMs?: number; maxBatch?: number } = {}) {}

  publish(result: NotificationResult): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ result, resolve, reject });
      if (this.pending.length >= (this.options.maxBatch ?? 500)) void this.flush();
      else this.timer ??= setTimeout(() => void this.flush(), this.options.lingerMs ?? 5);
    });
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    try {
      await this.producer.send({
        topic: this.options.topic ?? TOPIC.notificationResults,
        messages: batch.map(({ result }) => ({ key: result.notificationId, value: encodeEvent(result), timestamp: String(result.ts) })),
      });
      for (const p of batch) p.resolve();
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }

  async close(): Promise<void> {
    await this.flush();
  }
}
