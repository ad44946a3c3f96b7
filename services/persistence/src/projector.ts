// The log → database projector: its own consumer group, one database transaction per fetched
// batch, offsets committed only after the batch is in the database.
import type { Consumer, Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { Counter, Histogram, Registry } from 'prom-client';
import { deadLetterFor, parseEvent, TOPIC, type LogEvent } from '@riderflow/contracts';
import type { PrismaClient } from './database.js';
import { PROJECTED_TOPICS } from './projection.js';
import { applyBatch, type PositionedEvent } from './projection-store.js';

const PROJECTED_TYPES = new Set<LogEvent['type']>(['rider.location', 'rider.shift_started', 'rider.shift_ended', 'order.created', 'order.ready', 'order.assigned',
  'order.picked_up', 'order.delivered', 'order.cancelled', 'dispatch.assigned', 'roster.plan']);

export interface ProjectorMetrics { registry: Registry; events: Counter<'result'>; batchSeconds: Histogram }

export function createProjectorMetrics(registry = new Registry()): ProjectorMetrics {
  return {
    registry,
    events: new Counter({ name: 'projector_events_total', help: 'Events by result (applied, skipped as already applied, ignored type, dead-lettered, orphan)', labelNames: ['result'], registers: [registry] }),
    batchSeconds: new Histogram({ name: 'projector_batch_seconds', help: 'Time to write one batch', buckets: [0.005, 0.02, 0.1, 0.5, 2, 10], registers: [registry] }),
  };
}

export interface ProjectorOptions {
  kafka: Kafka;
  prisma: PrismaClient;
  groupId?: string;
  fromBeginning?: boolean;
  topics?: readonly string[];
  /** Largest slice of a fetched batch written in one transaction. */
  maxTransactionEvents?: number;
  logger?: Logger;
  metrics?: ProjectorMetrics;
}

export interface Projector { consumer: Consumer; stop(): Promise<void> }

export async function startProjector(options: ProjectorOptions): Promise<Projector> {
  const groupId = options.groupId ?? 'projector';
  const metrics = options.metrics ?? createProjectorMetrics();
  const maxTx = options.maxTransactionEvents ?? 1000;
  const producer: Producer = options.kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  const consumer = options.kafka.consumer({ groupId, maxBytesPerPartition: 2 * 1024 * 1024 });
  await consumer.connect();
  await consumer.subscribe({ topics: [...(options.topics ?? PROJECTED_TOPICS)], fromBeginning: options.fromBeginning ?? true });
  await consumer.run({
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
      if (batch.messages.length === 0) return;
      const events: PositionedEvent[] = [];
      const dead = [];
      for (const m of batch.messages) {
        const parsed = parseEvent(m.value);
        if (!parsed.ok) dead.push(deadLetterFor(batch.topic, batch.partition, m, parsed.reason, groupId));
        else if (PROJECTED_TYPES.has(parsed.event.type)) events.push({ event: parsed.event, topic: batch.topic, partition: batch.partition, offset: m.offset });
        else metrics.events.inc({ result: 'ignored' });
      }
      if (dead.length) {
        // Invalid records are set aside on events.dead with their reason and offset; the projector carries on.
        await producer.send({ topic: TOPIC.eventsDead, messages: dead.map((d) => ({ key: d.sourceTopic, value: JSON.stringify(d), timestamp: String(d.ts) })) });
        metrics.events.inc({ result: 'dead_lettered' }, dead.length);
        options.logger?.warn({ topic: batch.topic, partition: batch.partition, count: dead.length, reason: dead[0]!.reason }, 'invalid events dead-lettered');
      }
      for (let i = 0; i < events.length; i += maxTx) {
        if (!isRunning() || isStale()) return;
        const slice = events.slice(i, i + maxTx);
        const end = metrics.batchSeconds.startTimer();
        const result = await applyBatch(options.prisma, slice);
        end();
        metrics.events.inc({ result: 'applied' }, result.applied);
        if (result.skipped) metrics.events.inc({ result: 'skipped' }, result.skipped);
        if (result.orphans) metrics.events.inc({ result: 'orphan' }, result.orphans);
        resolveOffset(slice[slice.length - 1]!.offset);
        await heartbeat();
      }
      resolveOffset(batch.messages[batch.messages.length - 1]!.offset);
      await commitOffsetsIfNecessary();
    },
  });
  return {
    consumer,
    stop: async () => {
      await consumer.disconnect();
      await producer.disconnect();
    },
  };
}
