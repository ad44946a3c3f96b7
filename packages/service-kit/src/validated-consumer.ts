import type { Consumer, ConsumerConfig, IHeaders, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { z } from 'zod';
import type { Logger } from 'pino';
import { LogEventSchema, parseWith, TOPIC, typeAllowedOnTopic, type EventDead, type LogEvent } from '@riderflow/contracts';
import { bytesForDeadLetter, keyAndHeadersForDeadLetter } from './wire-encoding.js';

export interface MessageMeta {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  /** Record timestamp (simulated epoch ms for events from the simulator). */
  timestamp: number;
  headers: IHeaders | undefined;
}

export interface RunValidatedConsumerOptions<E = LogEvent> {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  fromBeginning?: boolean;
  /** Called once per valid message, in partition order. A throw dead-letters that message only. */
  handle(event: E, meta: MessageMeta): Promise<void> | void;
  /** A connected producer used to write `event.dead` records to `events.dead`. */
  deadLetterProducer: Producer;
  /** Narrower schema than the full LogEvent union (default LogEventSchema). */
  schema?: z.ZodType<E>;
  logger?: Logger;
  consumerConfig?: Partial<ConsumerConfig>;
  /** Called after each dead letter is written (for metrics and tests). */
  onDeadLetter?(dead: EventDead): void;
}

/** Builds the dead letter for one rejected message. The id is deterministic, so a re-delivery yields the same id. */
export function deadLetterFor(topic: string, partition: number, message: KafkaMessage, reason: string, consumerGroup: string): EventDead {
  const ts = Number(message.timestamp);
  return {
    type: 'event.dead',
    v: 1,
    id: `dead:${consumerGroup}:${topic}:${partition}:${message.offset}`,
    ts: Number.isFinite(ts) && ts >= 0 ? Math.trunc(ts) : Date.now(),
    sourceTopic: topic,
    partition,
    offset: message.offset,
    reason,
    ...bytesForDeadLetter(message.value),
    ...keyAndHeadersForDeadLetter(message.key, message.headers),
    consumerGroup,
  };
}

async function sendDeadLetter(producer: Producer, dead: EventDead, logger?: Logger): Promise<boolean> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      await producer.send({
        topic: TOPIC.eventsDead,
        messages: [{ key: dead.sourceTopic, value: JSON.stringify(dead), timestamp: String(dead.ts) }],
      });
      return true;
    } catch (err) {
      logger?.warn({ err, attempt, sourceTopic: dead.sourceTopic, offset: dead.offset }, 'dead-letter write failed');
    }
  }
  // Losing the dead letter is bad, blocking every message behind it is worse: log loudly and go on.
  logger?.error({ dead }, 'dead letter could not be written; message skipped');
  return false;
}

/**
 * Runs a consumer group whose handler only ever sees valid events. A message that is not JSON,
 * fails its schema, is on the wrong topic, or makes the handler throw is written to
 * `events.dead` with the reason and its source offset; its offset is committed and the consumer
 * moves on. Returns the running consumer (call `disconnect()` to stop it).
 */
export async function runValidatedConsumer<E = LogEvent>(options: RunValidatedConsumerOptions<E>): Promise<Consumer> {
  const { kafka, groupId, topics, handle, deadLetterProducer, logger } = options;
  const schema = (options.schema ?? LogEventSchema) as z.ZodType<E>;
  // A short fetch wait keeps shutdown quick (disconnect waits for the fetch in flight).
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 500, ...options.consumerConfig });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: options.fromBeginning ?? false });

  const deadLetter = async (topic: string, partition: number, message: KafkaMessage, reason: string) => {
    const dead = deadLetterFor(topic, partition, message, reason, groupId);
    logger?.warn({ topic, partition, offset: message.offset, reason }, 'message dead-lettered');
    if (await sendDeadLetter(deadLetterProducer, dead, logger)) {
      try {
        options.onDeadLetter?.(dead);
      } catch (err) {
        // An observer's failure must not stop the consumer.
        logger?.warn({ err }, 'onDeadLetter callback failed');
      }
    }
  };

  await consumer.run({
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      let sinceHeartbeat = 0;
      for (const message of batch.messages) {
        if (!isRunning() || isStale()) break;
        const parsed = parseWith(schema, message.value);
        if (!parsed.ok) {
          await deadLetter(batch.topic, batch.partition, message, parsed.reason);
        } else {
          const type = (parsed.value as { type?: unknown }).type;
          if (typeof type === 'string' && !typeAllowedOnTopic(type, batch.topic)) {
            await deadLetter(batch.topic, batch.partition, message, `event type ${type} does not belong on topic ${batch.topic}`);
          } else {
            try {
              await handle(parsed.value, {
                topic: batch.topic,
                partition: batch.partition,
                offset: message.offset,
                key: message.key ? message.key.toString('utf8') : null,
                timestamp: Number(message.timestamp),
                headers: message.headers,
              });
            } catch (err) {
              await deadLetter(batch.topic, batch.partition, message, `handler failed: ${(err as Error)?.message ?? String(err)}`);
            }
          }
        }
        resolveOffset(message.offset);
        if (++sinceHeartbeat >= 500) {
          sinceHeartbeat = 0;
          await heartbeat();
        }
      }
      await heartbeat();
    },
  });
  return consumer;
}
