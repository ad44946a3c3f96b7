import type { Channel } from 'amqplib';
import { notificationTopology, originalRoutingKey, retryRoutingKey, type NotificationTopologyOptions } from '@riderflow/contracts';
import { declareTopologyDecl } from '@riderflow/service-kit';

/**
 * The notifier's view of the queue topology. The topology itself (work queues, retry exchange,
 * TTL queues, their bindings, dead letters) is data in @riderflow/contracts
 * (`notificationTopology`), with an optional prefix (tests isolate themselves on a shared RabbitMQ
 * with one) and optional retry delays (tests use milliseconds; with the agreed names the delays are
 * fixed, since a broker refuses to redeclare a queue with a different x-message-ttl).
 *
 * A retry is published to `notifications.retry` with `retry.<step>.<original key>`; the TTL queue
 * dead-letters it to `notifications` with that key, which `retry.*.customer.*` / `retry.*.ops.*`
 * route back to the work queue (see `retryRoutingKey` in contracts).
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

export function notifierTopology(options: NotificationTopologyOptions = {}): NotifierTopology {
  const decl = notificationTopology(options);
  return {
    exchanges: decl.names.exchanges,
    queues: decl.names.queues,
    retrySteps: decl.retrySteps,
    retryRoutingKey: (stepIndex, originalKey) => retryRoutingKey(decl.retrySteps[stepIndex]!.name, originalKey),
    originalRoutingKey,
    declare: (channel) => declareTopologyDecl(channel, decl),
  };
}
