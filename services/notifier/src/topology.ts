import type { Channel } from 'amqplib';
import { EXCHANGES, NOTIFICATION_AUDIENCES, NOTIFICATION_CHANNELS, QUEUES, RETRY_STEPS, TOPOLOGY } from '@riderflow/contracts';

/**
 * The notifier's view of the queue topology: the agreed names from @riderflow/contracts, with an
 * optional prefix (tests isolate themselves on a shared RabbitMQ with one) and optional retry
 * delays (tests use milliseconds; with the real names the delays must be the agreed ones, since a
 * broker refuses to redeclare a queue with a different x-message-ttl).
 *
 * How a retried task finds its way back. A TTL queue dead-letters an expired message to its
 * x-dead-letter-exchange (`notifications`) with the routing key the message was published with.
 * Publishing with the bare delay key (`1s`) would bring it back as `1s`, which no work queue is
 * bound to. So a retry is published to `notifications.retry` with the key
 * `retry.<delay>.<original key>` (e.g. retry.5s.customer.email); extra bindings route those keys
 * to the delay queues, and the work queues are also bound to `retry.*.customer.*` / `retry.*.ops.*`
 * on `notifications`. This uses nothing beyond standard exchange routing and TTL dead-lettering,
 * so it works the same on RabbitMQ and taskqueue. The bindings only add to the contract topology.
 */
export interface NotifierTopology {
  exchanges: { notifications: string; retry: string; deadLetters: string };
  queues: { customer: string; ops: string; dead: string };
  retrySteps: { name: string; queue: string; ttlMs: number }[];
  /** The routing key that sends a task with `originalKey` to retry step `stepIndex`. */
  retryRoutingKey(stepIndex: number, originalKey: string): string;
  /** The routing key a task was first published with, even when it is coming back from a retry. */
  originalRoutingKey(routingKey: string): string;
  declare(channel: Channel): Promise<void>;
}

export function notifierTopology(options: { prefix?: string; retryDelaysMs?: number[] } = {}): NotifierTopology {
  const prefix = options.prefix ?? '';
  const delays = options.retryDelaysMs ?? RETRY_STEPS.map((s) => s.ttlMs);
  if (delays.length === 0 || delays.some((d) => !Number.isInteger(d) || d < 0)) throw new Error('retry delays must be non-negative integers');
  if (!prefix && options.retryDelaysMs && delays.join() !== RETRY_STEPS.map((s) => s.ttlMs).join()) {
    throw new Error('custom retry delays need a topology prefix: the agreed queues have fixed TTLs');
  }
  const p = (name: string) => prefix + name;
  const stepNames = prefix ? delays.map((d) => `${d}ms`) : RETRY_STEPS.map((s) => s.routingKey);
  const retrySteps = delays.map((ttlMs, i) => ({
    name: stepNames[i]!,
    queue: prefix ? p(`notify.retry.${stepNames[i]}`) : RETRY_STEPS[i]!.queue,
    ttlMs,
  }));
  const originalKeys = NOTIFICATION_AUDIENCES.flatMap((a) => NOTIFICATION_CHANNELS.map((c) => `${a}.${c}`));
  const retryRoutingKey = (stepIndex: number, originalKey: string) => `retry.${retrySteps[stepIndex]!.name}.${originalKey}`;

  const topology: NotifierTopology = {
    exchanges: { notifications: p(EXCHANGES.notifications), retry: p(EXCHANGES.notificationsRetry), deadLetters: p(EXCHANGES.deadLetters) },
    queues: { customer: p(QUEUES.notifyCustomer), ops: p(QUEUES.notifyOps), dead: p(QUEUES.tasksDead) },
    retrySteps,
    retryRoutingKey,
    originalRoutingKey: (key) => (key.startsWith('retry.') ? key.split('.').slice(2).join('.') : key),
    async declare(channel) {
      const x = topology.exchanges;
      const q = topology.queues;
      const exchangeType = (name: string) => TOPOLOGY.exchanges.find((e) => e.name === name)!.type;
      for (const [name, real] of [[x.notifications, EXCHANGES.notifications], [x.retry, EXCHANGES.notificationsRetry], [x.deadLetters, EXCHANGES.deadLetters]] as const) {
        await channel.assertExchange(name, exchangeType(real), { durable: true });
      }
      const workArgs = { 'x-dead-letter-exchange': x.deadLetters };
      await channel.assertQueue(q.customer, { durable: true, arguments: workArgs });
      await channel.assertQueue(q.ops, { durable: true, arguments: workArgs });
      await channel.assertQueue(q.dead, { durable: true });
      await channel.bindQueue(q.customer, x.notifications, 'customer.*');
      await channel.bindQueue(q.ops, x.notifications, 'ops.*');
      await channel.bindQueue(q.customer, x.notifications, 'retry.*.customer.*');
      await channel.bindQueue(q.ops, x.notifications, 'retry.*.ops.*');
      await channel.bindQueue(q.dead, x.deadLetters, '');
      for (const [i, step] of retrySteps.entries()) {
        await channel.assertQueue(step.queue, { durable: true, arguments: { 'x-message-ttl': step.ttlMs, 'x-dead-letter-exchange': x.notifications } });
        await channel.bindQueue(step.queue, x.retry, step.name);
        for (const key of originalKeys) await channel.bindQueue(step.queue, x.retry, retryRoutingKey(i, key));
      }
    },
  };
  return topology;
}
