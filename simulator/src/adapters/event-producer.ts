import { CompressionTypes, Partitioners, type Kafka, type Message, type Producer, type TopicMessages } from 'kafkajs';
import { keyForEvent, topicForType, type LogEvent, type LogEventType, type TopicName } from '@riderflow/contracts';

export interface EventProducerOptions {
  /** Messages per produce request (one request carries every topic's batch). */
  batchSize?: number;
  /** Produce requests outstanding at once. */
  maxInFlight?: number;
}

/**
 * Pipelined, batched producer for the simulator's flood: many messages per request, several
 * requests in flight, acks=1, keyed by entity id, record timestamp = simulated time.
 * A failed send is fatal (the run stops with the broker's error) rather than silently lossy.
 */
export class EventProducer {
  readonly producer: Producer;
  private readonly queue: { topic: TopicName; message: Message }[] = [];
  private head = 0;
  private inFlight = 0;
  private readonly batchSize: number;
  private readonly maxInFlight: number;
  private waiters: (() => void)[] = [];
  sent = 0;
  failure: Error | null = null;
  readonly sentByTopic = new Map<string, number>();
  private readonly topicOf = new Map<string, TopicName>();

  constructor(kafka: Kafka, options: EventProducerOptions = {}) {
    this.batchSize = options.batchSize ?? 4_000;
    this.maxInFlight = options.maxInFlight ?? 4;
    this.producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  /** Events waiting to be sent (not yet handed to the client). */
  get pending(): number {
    return this.queue.length - this.head;
  }
  get busy(): boolean {
    return this.pending > 0 || this.inFlight > 0;
  }

  enqueue(events: readonly LogEvent[]): void {
    for (const e of events) {
      let topic = this.topicOf.get(e.type);
      if (!topic) { topic = topicForType(e.type as LogEventType); this.topicOf.set(e.type, topic); }
      this.queue.push({ topic, message: { key: keyForEvent(e), value: JSON.stringify(e), timestamp: String(e.ts) } });
    }
    this.pump();
  }

  /** Starts as many sends as the in-flight limit allows. */
  pump(): void {
    while (!this.failure && this.inFlight < this.maxInFlight && this.pending > 0) {
      const end = Math.min(this.queue.length, this.head + this.batchSize);
      const byTopic = new Map<string, Message[]>();
      for (let i = this.head; i < end; i++) {
        const { topic, message } = this.queue[i];
        let arr = byTopic.get(topic);
        if (!arr) byTopic.set(topic, (arr = []));
        arr.push(message);
      }
      const count = end - this.head;
      this.head = end;
      if (this.head > 100_000 || this.head === this.queue.length) { this.queue.splice(0, this.head); this.head = 0; }
      const topicMessages: TopicMessages[] = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
      this.inFlight++;
      this.producer
        .sendBatch({ topicMessages, acks: 1, compression: CompressionTypes.None })
        .then(() => {
          this.sent += count;
          for (const t of topicMessages) this.sentByTopic.set(t.topic, (this.sentByTopic.get(t.topic) ?? 0) + t.messages.length);
        })
        .catch((err: Error) => { this.failure ??= err; })
        .finally(() => {
          this.inFlight--;
          this.pump();
          const w = this.waiters; this.waiters = []; for (const f of w) f();
        });
    }
  }

  /** Resolves when a send completes (room for more) or fails. */
  waitForProgress(): Promise<void> {
    if (this.failure || !this.busy) return Promise.resolve();
    return new Promise((r) => this.waiters.push(r));
  }

  async drain(): Promise<void> {
    while (this.busy && !this.failure) {
      this.pump();
      await this.waitForProgress();
    }
    if (this.failure) throw this.failure;
  }

  async disconnect(): Promise<void> {
    await this.producer.disconnect().catch(() => {});
  }
}
