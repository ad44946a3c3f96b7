// The log → database projector: its own consumer group, one database transaction per fetched
// batch, offsets committed only after the batch is in the database.
import type { Consumer, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { Counter, Histogram, Registry } from 'prom-client';
import { parseEvent, TOPIC, type EventDead, type LogEvent } from '@riderflow/contracts';
import { deadLetterFor } from '@riderflow/service-kit';
import type { PrismaClient } from '@riderflow/db';
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
  /**
   * Failed attempts at one transaction slice after which its events are applied one by one and
   * the ones that still fail (for a reason other than a transient database error) are set aside
   * on events.dead, so one bad event cannot block its partition forever. Default 3.
   */
  maxSliceAttempts?: number;
  /** Writes one slice; tests wrap it to make an event fail. */
  apply?: typeof applyBatch;
}

// Prisma error codes that say the database is unreachable or busy rather than the events bad:
// such a failure is retried (the batch is redelivered) however often it happens.
const TRANSIENT_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1011', 'P1017', 'P2024', 'P2028', 'P2034']);

export function isTransientDatabaseError(err: unknown): boolean {
  const e = err as { name?: string; code?: unknown } | null;
  if (!e) return false;
  if (e.name === 'PrismaClientInitializationError' || e.name === 'PrismaClientRustPanicError') return true;
  // SQLite lets one writer at a time; another service holding the lock is a wait, not a failure.
  if (/database is locked|SQLITE_BUSY/i.test(String((err as Error).message ?? ''))) return true;
  return typeof e.code === 'string' && TRANSIENT_PRISMA_CODES.has(e.code);
}

export interface Projector { consumer: Consumer; stop(): Promise<void> }

export async function startProjector(options: ProjectorOptions): Promise<Projector> {
  const groupId = options.groupId ?? 'projector';
  const metrics = options.metrics ?? createProjectorMetrics();
  const maxTx = options.maxTransactionEvents ?? 1000;
  const maxAttempts = options.maxSliceAttempts ?? 3;
  const apply = options.apply ?? applyBatch;
  // Failed attempts per slice, keyed by its first event's position; a redelivered batch starts at the same one.
  const failedAttempts = new Map<string, number>();
  const producer: Producer = options.kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  // A short fetch wait keeps shutdown quick (disconnect waits for the fetch in flight).
  const consumer = options.kafka.consumer({ groupId, maxBytesPerPartition: 2 * 1024 * 1024, maxWaitTimeInMs: 500 });
  await consumer.connect();
  await consumer.subscribe({ topics: [...(options.topics ?? PROJECTED_TOPICS)], fromBeginning: options.fromBeginning ?? true });
  const count = (result: { applied: number; skipped: number; orphans: number }) => {
    metrics.events.inc({ result: 'applied' }, result.applied);
    if (result.skipped) metrics.events.inc({ result: 'skipped' }, result.skipped);
    if (result.orphans) metrics.events.inc({ result: 'orphan' }, result.orphans);
  };
  /** Applies a slice that keeps failing event by event; an event that fails on its own is dead-lettered with the reason. */
  const applyOneByOne = async (slice: PositionedEvent[], messageAt: Map<string, KafkaMessage>, topic: string, partition: number) => {
    for (const item of slice) {
      try {
        count(await apply(options.prisma, [item]));
      } catch (err) {
        if (isTransientDatabaseError(err)) throw err; // the database went away meanwhile: retry the batch later
        const reason = `projection failed: ${(err as Error)?.message ?? String(err)}`;
        const dead = deadLetterFor(topic, partition, messageAt.get(item.offset)!, reason, groupId);
        await producer.send({ topic: TOPIC.eventsDead, messages: [{ key: dead.sourceTopic, value: JSON.stringify(dead), timestamp: String(dead.ts) }] });
        metrics.events.inc({ result: 'dead_lettered' });
        options.logger?.warn({ topic, partition, offset: item.offset, eventId: item.event.id, reason }, 'event that cannot be projected dead-lettered');
      }
    }
  };
  await consumer.run({
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
      if (batch.messages.length === 0) return;
      const events: PositionedEvent[] = [];
      const dead: EventDead[] = [];
      const messageAt = new Map<string, KafkaMessage>();
      for (const m of batch.messages) {
        messageAt.set(m.offset, m);
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
        const key = `${batch.topic}/${batch.partition}/${slice[0]!.offset}`;
        const end = metrics.batchSeconds.startTimer();
        try {
          count(await apply(options.prisma, slice));
          failedAttempts.delete(key);
        } catch (err) {
          const attempts = (failedAttempts.get(key) ?? 0) + 1;
          failedAttempts.set(key, attempts);
          // Prisma puts the cause on the message's last line ("database is locked"): log all of it.
          options.logger?.error({ topic: batch.topic, partition: batch.partition, offset: slice[0]!.offset, events: slice.length, attempts, err: String((err as Error)?.message ?? err).trim().split('\n').at(-1) }, 'projecting a batch failed');
          // A database outage is retried as long as it lasts; anything else, a few times.
          if (isTransientDatabaseError(err) || attempts < maxAttempts) throw err;
          await applyOneByOne(slice, messageAt, batch.topic, batch.partition);
          failedAttempts.delete(key);
        } finally {
          end();
        }
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
