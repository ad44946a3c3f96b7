import os from 'node:os';
import type { ChannelModel, ConfirmChannel } from 'amqplib';
import type { Consumer, ConsumerConfig, Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { TOPIC, routeForTask } from '@riderflow/contracts';
import { connectAmqp, declareTopology, encodeTask, type Config } from '@riderflow/service-kit';
import { notificationsFor } from './rules.js';
import { readFact } from './read-fact.js';
import { commitInTransaction } from './commit-in-transaction.js';

// Reads order facts from the log (read_committed: a fact from an aborted transaction is never
// planned) and turns each batch into two kinds of output:
//  - notification tasks on the queues (AMQP), published with confirms before the batch commits.
//    A Kafka transaction cannot cover an AMQP publish, so a crash after the confirms and before the
//    commit re-reads the facts and publishes the same tasks again; their idempotency keys (derived
//    from the fact) make the workers' ledger turn the repeat into a no-op. At least once, no double send.
//  - dead letters on the log (`events.dead`) for facts that cannot be planned. These are log records
//    made from log records: they are written in one Kafka transaction with the group's offsets
//    (sendOffsets), so a read_committed reader sees each dead letter exactly once, and the offsets
//    move only when it does.

export const PLANNER_GROUP = 'notifier-planner';

export interface NotificationPlannerOptions {
  kafka: Kafka;
  config: Pick<Config, 'amqpUrl'>;
  logger: Logger;
  groupId?: string;
  /**
   * The producer's transactional id. Stable across restarts, so a restarted planner fences its
   * predecessor (a zombie cannot commit) and aborts what that one left open; one id per running
   * planner (default: the group and the host name — one planner process per host).
   */
  transactionalId?: string;
  /** a transactional producer to use instead of the planner's own (it must have been made with a transactional id) */
  producer?: Producer;
  fromBeginning?: boolean;
  consumerConfig?: Partial<ConsumerConfig>;
  /** no longer used: dead letters go out in the planner's own transactions (kept so callers need not change) */
  deadLetterProducer?: Producer;
  onConnectionLost?: () => void;
}

export class NotificationPlanner {
  private connection: ChannelModel | null = null;
  private consumer: Consumer | null = null;
  private producer: Producer | null = null;
  planned = 0;
  deadLettered = 0;
  /** transactions committed (each carries a batch's offsets and its dead letters) */
  committed = 0;

  constructor(private readonly options: NotificationPlannerOptions) {}

  async start(): Promise<void> {
    const { kafka, logger } = this.options;
    const groupId = this.options.groupId ?? PLANNER_GROUP;
    const connection = await connectAmqp(this.options.config, { connectionName: 'notifier-planner' });
    connection.on('error', (err: Error) => logger.warn({ err: err.message }, 'planner amqp error'));
    connection.on('close', () => {
      if (this.connection) this.options.onConnectionLost?.();
    });
    const channel = await connection.createConfirmChannel();
    await declareTopology(channel);
    this.connection = connection;

    const transactionalId = this.options.transactionalId ?? `${groupId}@${os.hostname()}`;
    const producer = this.options.producer ?? kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await producer.connect();
    this.producer = producer;

    // readUncommitted: false is isolation.level=read_committed; offsets are committed only by the transaction.
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 500, readUncommitted: false, ...this.options.consumerConfig });
    await consumer.connect();
    await consumer.subscribe({ topics: [TOPIC.orderEvents], fromBeginning: this.options.fromBeginning ?? false });
    this.consumer = consumer;
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        const dead = [];
        let tasks = 0;
        let last: string | null = null;
        for (const message of batch.messages) {
          if (!isRunning() || isStale()) break;
          const fact = readFact(batch.topic, batch.partition, message, groupId);
          if (fact.ok) {
            for (const task of notificationsFor(fact.event)) {
              const route = routeForTask(task);
              channel.publish(route.exchange, route.routingKey, encodeTask(task), { persistent: true, contentType: 'application/json', messageId: task.notificationId });
              tasks++;
            }
          } else {
            logger.warn({ topic: batch.topic, partition: batch.partition, offset: message.offset, reason: fact.dead.reason }, 'fact dead-lettered');
            dead.push(fact.dead);
          }
          last = message.offset;
        }
        if (last === null) return;
        // the tasks must be on the queues before the offsets move past their facts
        if (tasks > 0) await channel.waitForConfirms();
        await commitInTransaction(producer, { groupId, topic: batch.topic, partition: batch.partition, nextOffset: String(BigInt(last) + 1n), deadLetters: dead });
        resolveOffset(last);
        this.planned += tasks;
        this.deadLettered += dead.length;
        this.committed++;
        await heartbeat();
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect().catch(() => {});
    if (!this.options.producer) await this.producer?.disconnect().catch(() => {});
    const c = this.connection;
    this.connection = null;
    await c?.close().catch(() => {});
  }
}
