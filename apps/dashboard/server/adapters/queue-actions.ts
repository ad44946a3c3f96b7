import { randomUUID } from 'node:crypto';
import type { ChannelModel, ConfirmChannel } from 'amqplib';
import { EXCHANGES, QUEUES, routeForTask } from '@riderflow/contracts';
import { connectAmqp, declareTopology, encodeTask, redrive, type Config, type RedriveReport } from '@riderflow/service-kit';

// Admin actions on the queues over AMQP: redrive dead letters to where they came from, purge a
// queue, and enqueue a retrain job. Publishes wait for the broker's confirm before a dead letter is acked,
// so a redrive never loses a message.

export class QueueActions {
  private connection: ChannelModel | null = null;
  private channel: ConfirmChannel | null = null;

  constructor(private readonly config: Pick<Config, 'amqpUrl'>) {}

  private async ch(): Promise<ConfirmChannel> {
    if (this.channel) return this.channel;
    const connection = await connectAmqp(this.config, { connectionName: 'dashboard' });
    connection.on('error', () => {});
    connection.on('close', () => {
      this.connection = null;
      this.channel = null;
    });
    const channel = await connection.createConfirmChannel();
    // A channel error (say, redriving to an exchange that no longer exists) closes only this
    // channel: forget it so the next action opens a fresh one, and never crash the dashboard.
    channel.on('error', () => {});
    channel.on('close', () => {
      if (this.channel === channel) this.channel = null;
    });
    await declareTopology(channel);
    this.connection = connection;
    this.channel = channel;
    return channel;
  }

  /**
   * Moves up to `count` dead letters of tasks.dead back to where they came from, under the one
   * dead-letter contract (see @riderflow/contracts `redrive`): acked only after the broker confirms
   * the republish, never picked twice, unknown origins left in place with why, and messages already
   * redriven 3 times left in place unless `force`. `summary` is the answer in words.
   */
  async redrive(count: number, dryRun = false, force = false): Promise<RedriveReport> {
    await this.ch();
    return redrive(this.connection!, { queue: QUEUES.tasksDead, limit: count, dryRun, force });
  }

  /**
   * Purges the ready messages of `queue` over AMQP (queue.purge answers how many it removed; the
   * management API's DELETE …/contents answers nothing, on RabbitMQ too). Messages delivered to a
   * consumer and not yet acked are not touched, as in RabbitMQ. A channel of its own, so a broker
   * refusal (a queue gone meanwhile) closes only it.
   */
  async purge(queue: string): Promise<number> {
    await this.ch();
    const channel = await this.connection!.createChannel();
    channel.on('error', () => {});
    try {
      return (await channel.purgeQueue(queue)).messageCount;
    } finally {
      await channel.close().catch(() => {});
    }
  }

  /** `jobId`: the caller's, when it marks the job queued before the publish is confirmed */
  async requestRetrain(range: { from?: number; to?: number } = {}, jobId: string = randomUUID()): Promise<string> {
    const ch = await this.ch();
    const task = { type: 'job.retrain' as const, v: 1 as const, id: jobId, ts: Date.now(), jobId, ...range };
    const route = routeForTask(task);
    ch.publish(route.exchange, route.routingKey, encodeTask(task), { persistent: true, contentType: 'application/json' });
    await ch.waitForConfirms();
    return jobId;
  }

  exchangeNames() {
    return EXCHANGES;
  }

  async close(): Promise<void> {
    await this.connection?.close().catch(() => {});
  }
}
