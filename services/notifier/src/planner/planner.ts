import type { ChannelModel, ConfirmChannel } from 'amqplib';
import type { Consumer, ConsumerConfig, Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { TOPIC, routeForTask } from '@riderflow/contracts';
import { connectAmqp, declareTopology, encodeTask, runValidatedConsumer, type Config } from '@riderflow/service-kit';
import { notificationsFor } from './rules.js';

// Reads order facts from the log with its own consumer group and publishes the resulting
// notification tasks with publisher confirms. An offset is committed only after the broker has
// confirmed the tasks for it, so a crash re-reads the fact (at least once) and the idempotency key
// turns any repeat into a no-op at the workers.

export const PLANNER_GROUP = 'notifier-planner';

export class NotificationPlanner {
  private connection: ChannelModel | null = null;
  private channel: ConfirmChannel | null = null;
  private consumer: Consumer | null = null;
  planned = 0;

  constructor(private readonly options: { kafka: Kafka; config: Pick<Config, 'amqpUrl'>; deadLetterProducer: Producer; logger: Logger; groupId?: string; fromBeginning?: boolean; consumerConfig?: Partial<ConsumerConfig>; onConnectionLost?: () => void }) {}

  async start(): Promise<void> {
    const connection = await connectAmqp(this.options.config, { connectionName: 'notifier-planner' });
    connection.on('error', (err: Error) => this.options.logger.warn({ err: err.message }, 'planner amqp error'));
    connection.on('close', () => {
      if (this.connection) this.options.onConnectionLost?.();
    });
    const channel = await connection.createConfirmChannel();
    await declareTopology(channel);
    this.connection = connection;
    this.channel = channel;
    this.consumer = await runValidatedConsumer({
      kafka: this.options.kafka,
      groupId: this.options.groupId ?? PLANNER_GROUP,
      topics: [TOPIC.orderEvents],
      fromBeginning: this.options.fromBeginning ?? false,
      ...(this.options.consumerConfig ? { consumerConfig: this.options.consumerConfig } : {}),
      deadLetterProducer: this.options.deadLetterProducer,
      logger: this.options.logger,
      handle: async (event) => {
        const tasks = notificationsFor(event);
        if (tasks.length === 0) return;
        for (const task of tasks) {
          const route = routeForTask(task);
          channel.publish(route.exchange, route.routingKey, encodeTask(task), { persistent: true, contentType: 'application/json', messageId: task.notificationId });
        }
        await channel.waitForConfirms();
        this.planned += tasks.length;
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect().catch(() => {});
    const c = this.connection;
    this.connection = null;
    await c?.close().catch(() => {});
  }
}
