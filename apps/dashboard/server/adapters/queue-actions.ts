import { randomUUID } from 'node:crypto';
import type { ChannelModel, ConfirmChannel } from 'amqplib';
import { EXCHANGES, QUEUES, connectAmqp, declareTopology, encodeTask, routeForTask, type Config } from '@riderflow/contracts';

// Admin actions on the queues over AMQP: redrive dead letters to where they came from, and
// enqueue a retrain job. Publishes wait for the broker's confirm before a dead letter is acked,
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

  /** move up to `count` dead letters back to the exchange and routing key they first died from */
  async redrive(count: number): Promise<{ moved: number; skipped: number }> {
    const ch = await this.ch();
    let moved = 0;
    let skipped = 0;
    for (let i = 0; i < count; i++) {
      const msg = await ch.get(QUEUES.tasksDead, { noAck: false });
      if (!msg) break;
      const headers = { ...(msg.properties.headers ?? {}) } as Record<string, unknown>;
      // Where it came from: RabbitMQ's x-death when the broker dead-lettered it, or the
      // x-original-* headers our consumers set when they put a task aside themselves.
      const deaths = headers['x-death'] as { exchange?: string; 'routing-keys'?: string[] }[] | undefined;
      const exchange = (headers['x-first-death-exchange'] as string | undefined) ?? deaths?.[0]?.exchange ?? (headers['x-original-exchange'] as string | undefined);
      const routingKey = deaths?.[0]?.['routing-keys']?.[0] ?? (headers['x-original-routing-key'] as string | undefined) ?? msg.fields.routingKey;
      if (exchange === undefined) {
        // Nowhere to send it back to: leave it in the dead-letter queue, behind the others.
        ch.publish('', QUEUES.tasksDead, msg.content, msg.properties);
        await ch.waitForConfirms();
        ch.ack(msg);
        skipped++;
        continue;
      }
      headers['x-redriven'] = true;
      ch.publish(exchange, routingKey, msg.content, { ...msg.properties, headers });
      await ch.waitForConfirms();
      ch.ack(msg);
      moved++;
    }
    return { moved, skipped };
  }

  async requestRetrain(range: { from?: number; to?: number } = {}): Promise<string> {
    const ch = await this.ch();
    const jobId = randomUUID();
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
