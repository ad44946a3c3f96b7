import { CompressionTypes, Partitioners, type Kafka, type Message, type PartitionMetadata, type Producer, type TopicMessages } from 'kafkajs';
import { keyForEvent, topicForType, type LogEvent, type LogEventType } from '@riderflow/contracts';

export interface EventProducerOptions {
  /** Messages per produce request. */
  batchSize?: number;
  /** Produce requests outstanding at once (one per lane). */
  lanes?: number;
}

interface Lane {
  queue: { topic: string; message: Message }[];
  head: number;
  busy: boolean;
}

/**
 * Pipelined, batched producer for the simulator's flood: many messages per request, several
 * requests in flight, acks=1, keyed by entity id, record timestamp = simulated time.
 *
 * kafkajs does not keep concurrent sends in order (it encodes them concurrently and writes
 * whichever finishes first), so each partition belongs to one "lane" with at most one request in
 * flight: per-key order holds, and the lanes still overlap our encoding with the broker's work.
 * Partitions are chosen here with kafkajs' own default (Java-compatible murmur2) partitioner.
 * A failed send is fatal (the run stops with the broker's error) rather than silently lossy.
 */
export class EventProducer {
  readonly producer: Producer;
  private readonly lanes: Lane[];
  private readonly laneOf = new Map<string, Lane[]>();
  private readonly partitioner = Partitioners.DefaultPartitioner();
  private readonly partitionMeta = new Map<string, PartitionMetadata[]>();
  private readonly batchSize: number;
  private waiters: (() => void)[] = [];
  private pendingCount = 0;
  private inFlight = 0;
  sent = 0;
  failure: Error | null = null;
  readonly sentByTopic = new Map<string, number>();
  private readonly topicOf = new Map<string, string>();

  /** `partitions`: the partition count of every topic this producer writes to. */
  constructor(kafka: Kafka, partitions: Map<string, number>, options: EventProducerOptions = {}) {
    // kafkajs groups a request's messages per partition with a quadratic array copy, so large
    // requests cost more per message, not less: ~1,000 is the measured sweet spot.
    this.batchSize = options.batchSize ?? 1_000;
    const laneCount = options.lanes ?? 4;
    this.lanes = Array.from({ length: laneCount }, () => ({ queue: [], head: 0, busy: false }));
    let next = 0;
    for (const [topic, n] of [...partitions].sort(([a], [b]) => a.localeCompare(b))) {
      this.partitionMeta.set(topic, Array.from({ length: n }, (_, i) => ({ partitionId: i, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] })));
      this.laneOf.set(topic, Array.from({ length: n }, () => this.lanes[next++ % laneCount]));
    }
    this.producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  /** Events waiting to be sent (not yet handed to the client). */
  get pending(): number {
    return this.pendingCount;
  }
  get busy(): boolean {
    return this.pendingCount > 0 || this.inFlight > 0;
  }

  enqueue(events: readonly LogEvent[]): void {
    for (const e of events) {
      let topic = this.topicOf.get(e.type);
      if (!topic) { topic = topicForType(e.type as LogEventType); this.topicOf.set(e.type, topic); }
      const meta = this.partitionMeta.get(topic);
      if (!meta) throw new Error(`no partition count known for topic ${topic}`);
      const message: Message = { key: keyForEvent(e), value: JSON.stringify(e), timestamp: String(e.ts) };
      const partition = this.partitioner({ topic, partitionMetadata: meta, message });
      message.partition = partition;
      this.laneOf.get(topic)![partition].queue.push({ topic, message });
      this.pendingCount++;
    }
    this.pump();
  }

  /** Starts a send on every idle lane that has work. */
  pump(): void {
    for (const lane of this.lanes) {
      if (this.failure || lane.busy || lane.queue.length === lane.head) continue;
      const end = Math.min(lane.queue.length, lane.head + this.batchSize);
      const byTopic = new Map<string, Message[]>();
      for (let i = lane.head; i < end; i++) {
        const { topic, message } = lane.queue[i];
        let arr = byTopic.get(topic);
        if (!arr) byTopic.set(topic, (arr = []));
        arr.push(message);
      }
      const count = end - lane.head;
      lane.head = end;
      if (lane.head === lane.queue.length) { lane.queue = []; lane.head = 0; }
      else if (lane.head > 50_000) { lane.queue = lane.queue.slice(lane.head); lane.head = 0; }
      this.pendingCount -= count;
      const topicMessages: TopicMessages[] = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
      lane.busy = true;
      this.inFlight++;
      this.producer
        .sendBatch({ topicMessages, acks: 1, compression: CompressionTypes.None })
        .then(() => {
          this.sent += count;
          for (const t of topicMessages) this.sentByTopic.set(t.topic, (this.sentByTopic.get(t.topic) ?? 0) + t.messages.length);
        })
        .catch((err: Error) => { this.failure ??= err; })
        .finally(() => {
          lane.busy = false;
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
