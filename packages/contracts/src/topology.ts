import type { Task } from './tasks/task.js';
import { NOTIFICATION_AUDIENCES } from './tasks/notification.js';
import { NOTIFICATION_CHANNELS } from './events/notification.js';
import { DEAD_LETTER_HEADERS } from './dead-letter.js';

/** Exchange names. */
export const EXCHANGES = {
  notifications: 'notifications',
  notificationsRetry: 'notifications.retry',
  jobs: 'jobs',
  deadLetters: 'dead-letters',
} as const;

/** Queue names. */
export const QUEUES = {
  riderInstructions: 'rider.instructions',
  notifyCustomer: 'notify.customer',
  notifyOps: 'notify.ops',
  retry1s: 'notify.retry.1s',
  retry5s: 'notify.retry.5s',
  retry30s: 'notify.retry.30s',
  jobsRostering: 'jobs.rostering',
  tasksDead: 'tasks.dead',
  rosterCallIns: 'roster.call_ins',
  rosterShifts: 'roster.shifts',
} as const;

/**
 * Retry delays of the notifier: a failed send waits in a TTL queue, then comes back to its work queue.
 * `name` is the step's part of the retry routing key (see `retryRoutingKey`).
 */
export const RETRY_STEPS = [
  { name: '1s', queue: QUEUES.retry1s, ttlMs: 1_000 },
  { name: '5s', queue: QUEUES.retry5s, ttlMs: 5_000 },
  { name: '30s', queue: QUEUES.retry30s, ttlMs: 30_000 },
] as const;

/** Header names carried on tasks (the dead-letter ones are in dead-letter.ts). */
export const HEADERS = { attempt: DEAD_LETTER_HEADERS.attempts, reason: DEAD_LETTER_HEADERS.reason } as const;

/** Declaration options: the subset of AMQP's exchange.declare / queue.declare arguments we use (kept as data, no client library). */
export interface DeclareOptions { durable?: boolean; autoDelete?: boolean; exclusive?: boolean; arguments?: Record<string, unknown> }
export interface ExchangeDecl { name: string; type: 'topic' | 'direct' | 'fanout'; options: DeclareOptions }
export interface QueueDecl { name: string; options: DeclareOptions }
export interface BindingDecl { queue: string; exchange: string; pattern: string }
export interface TopologyDecl { exchanges: ExchangeDecl[]; queues: QueueDecl[]; bindings: BindingDecl[] }

/**
 * The routing key that sends a task first published with `originalKey` through retry step `stepName`.
 * Why the original key rides along: a TTL queue dead-letters an expired message to its
 * x-dead-letter-exchange (`notifications`) with the key it was published with, so that key must
 * still route to the right work queue (`retry.*.customer.*` → notify.customer).
 */
export function retryRoutingKey(stepName: string, originalKey: string): string {
  return `retry.${stepName}.${originalKey}`;
}

/** The key a task was first published with, also when it is coming back from a retry step. */
export function originalRoutingKey(routingKey: string): string {
  return routingKey.startsWith('retry.') ? routingKey.split('.').slice(2).join('.') : routingKey;
}

/** Every routing key a notification is published with (`<audience>.<channel>`, see routeForTask). */
export const NOTIFICATION_ROUTING_KEYS: readonly string[] = NOTIFICATION_AUDIENCES.flatMap((a) => NOTIFICATION_CHANNELS.map((c) => `${a}.${c}`));

export interface NotificationTopologyOptions {
  /** Prefix for every name (tests isolate themselves on a shared broker with one); '' = the agreed names. */
  prefix?: string;
  /** Retry delays; only with a prefix, since the agreed retry queues have fixed TTLs. */
  retryDelaysMs?: number[];
}

export interface NotificationTopology extends TopologyDecl {
  names: {
    exchanges: { notifications: string; retry: string; deadLetters: string };
    queues: { customer: string; ops: string; dead: string };
  };
  retrySteps: { name: string; queue: string; ttlMs: number }[];
}

const workQueueArgs = (deadLetters: string) => ({ 'x-dead-letter-exchange': deadLetters });

/**
 * The notifications part of the topology as data: work queues, the retry exchange, its TTL queues
 * and exactly the bindings the notifier publishes to (no bare delay keys nobody publishes), and the
 * dead-letter exchange and queue. `TOPOLOGY` uses it with the agreed names; the notifier's tests
 * with a prefix and short delays.
 */
export function notificationTopology(options: NotificationTopologyOptions = {}): NotificationTopology {
  const prefix = options.prefix ?? '';
  const delays = options.retryDelaysMs ?? RETRY_STEPS.map((s) => s.ttlMs);
  if (delays.length === 0 || delays.some((d) => !Number.isInteger(d) || d < 0)) throw new Error('retry delays must be non-negative integers');
  if (!prefix && options.retryDelaysMs && delays.join() !== RETRY_STEPS.map((s) => s.ttlMs).join()) {
    throw new Error('custom retry delays need a topology prefix: the agreed queues have fixed TTLs');
  }
  const p = (name: string) => prefix + name;
  const retrySteps = delays.map((ttlMs, i) => (prefix
    ? { name: `${ttlMs}ms`, queue: p(`notify.retry.${ttlMs}ms`), ttlMs }
    : { name: RETRY_STEPS[i]!.name, queue: RETRY_STEPS[i]!.queue, ttlMs }));
  const x = { notifications: p(EXCHANGES.notifications), retry: p(EXCHANGES.notificationsRetry), deadLetters: p(EXCHANGES.deadLetters) };
  const q = { customer: p(QUEUES.notifyCustomer), ops: p(QUEUES.notifyOps), dead: p(QUEUES.tasksDead) };
  return {
    names: { exchanges: x, queues: q },
    retrySteps,
    exchanges: [
      { name: x.notifications, type: 'topic', options: { durable: true } },
      { name: x.retry, type: 'direct', options: { durable: true } },
      { name: x.deadLetters, type: 'fanout', options: { durable: true } },
    ],
    queues: [
      { name: q.customer, options: { durable: true, arguments: workQueueArgs(x.deadLetters) } },
      { name: q.ops, options: { durable: true, arguments: workQueueArgs(x.deadLetters) } },
      // No dead-letter routing key: an expired retry keeps its retry.<step>.<original key> and
      // finds its work queue through the retry.*.<audience>.* bindings below.
      ...retrySteps.map((s) => ({ name: s.queue, options: { durable: true, arguments: { 'x-message-ttl': s.ttlMs, 'x-dead-letter-exchange': x.notifications } } })),
      { name: q.dead, options: { durable: true } },
    ],
    bindings: [
      { queue: q.customer, exchange: x.notifications, pattern: 'customer.*' },
      { queue: q.ops, exchange: x.notifications, pattern: 'ops.*' },
      { queue: q.customer, exchange: x.notifications, pattern: retryRoutingKey('*', 'customer.*') },
      { queue: q.ops, exchange: x.notifications, pattern: retryRoutingKey('*', 'ops.*') },
      ...retrySteps.flatMap((s) => NOTIFICATION_ROUTING_KEYS.map((key) => ({ queue: s.queue, exchange: x.retry, pattern: retryRoutingKey(s.name, key) }))),
      { queue: q.dead, exchange: x.deadLetters, pattern: '' },
    ],
  };
}

const notifications = notificationTopology();
const deadLetterArgs = workQueueArgs(EXCHANGES.deadLetters);

/**
 * The whole queue topology as data. Declared with exactly these arguments every time:
 * RabbitMQ (and taskqueue) refuse a redeclaration with different arguments (406 PRECONDITION_FAILED).
 */
export const TOPOLOGY: TopologyDecl = {
  exchanges: [
    ...notifications.exchanges,
    { name: EXCHANGES.jobs, type: 'direct', options: { durable: true } },
  ],
  queues: [
    { name: QUEUES.riderInstructions, options: { durable: true, arguments: deadLetterArgs } },
    ...notifications.queues,
    { name: QUEUES.jobsRostering, options: { durable: true, arguments: deadLetterArgs } },
    // Added later: a new queue, so no existing declaration changes.
    { name: QUEUES.rosterCallIns, options: { durable: true, arguments: deadLetterArgs } },
    { name: QUEUES.rosterShifts, options: { durable: true, arguments: deadLetterArgs } },
  ],
  bindings: [
    { queue: QUEUES.riderInstructions, exchange: EXCHANGES.notifications, pattern: 'rider.#' },
    ...notifications.bindings,
    { queue: QUEUES.jobsRostering, exchange: EXCHANGES.jobs, pattern: 'rostering.retrain' },
    { queue: QUEUES.rosterCallIns, exchange: EXCHANGES.jobs, pattern: 'roster.call_in' },
    { queue: QUEUES.rosterShifts, exchange: EXCHANGES.jobs, pattern: 'roster.shift' },
  ],
};

/** Where a task is published: exchange and routing key. */
export function routeForTask(task: Task): { exchange: string; routingKey: string } {
  switch (task.type) {
    case 'rider.instruction':
      return { exchange: EXCHANGES.notifications, routingKey: `rider.${task.riderId}` };
    case 'notification':
      return { exchange: EXCHANGES.notifications, routingKey: `${task.audience}.${task.channel}` };
    case 'job.retrain':
      return { exchange: EXCHANGES.jobs, routingKey: 'rostering.retrain' };
    case 'roster.call_in':
      return { exchange: EXCHANGES.jobs, routingKey: 'roster.call_in' };
    case 'roster.shift':
      return { exchange: EXCHANGES.jobs, routingKey: 'roster.shift' };
  }
}
