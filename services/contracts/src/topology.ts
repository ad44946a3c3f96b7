import type { Channel, Options } from 'amqplib';
import type { Task } from './tasks/task.js';

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

/** Retry delays: routing key on `notifications.retry` → queue and TTL. */
export const RETRY_STEPS = [
  { routingKey: '1s', queue: QUEUES.retry1s, ttlMs: 1_000 },
  { routingKey: '5s', queue: QUEUES.retry5s, ttlMs: 5_000 },
  { routingKey: '30s', queue: QUEUES.retry30s, ttlMs: 30_000 },
] as const;

/** Header names carried on tasks. */
export const HEADERS = { attempt: 'x-attempt', reason: 'x-reason' } as const;

export interface ExchangeDecl { name: string; type: 'topic' | 'direct' | 'fanout'; options: Options.AssertExchange }
export interface QueueDecl { name: string; options: Options.AssertQueue }
export interface BindingDecl { queue: string; exchange: string; pattern: string }

const workQueueArgs = { 'x-dead-letter-exchange': EXCHANGES.deadLetters };

/**
 * The whole queue topology as data. Declared with exactly these arguments every time:
 * RabbitMQ (and taskqueue) refuse a redeclaration with different arguments (406 PRECONDITION_FAILED).
 */
export const TOPOLOGY: { exchanges: ExchangeDecl[]; queues: QueueDecl[]; bindings: BindingDecl[] } = {
  exchanges: [
    { name: EXCHANGES.notifications, type: 'topic', options: { durable: true } },
    { name: EXCHANGES.notificationsRetry, type: 'direct', options: { durable: true } },
    { name: EXCHANGES.jobs, type: 'direct', options: { durable: true } },
    { name: EXCHANGES.deadLetters, type: 'fanout', options: { durable: true } },
  ],
  queues: [
    { name: QUEUES.riderInstructions, options: { durable: true, arguments: workQueueArgs } },
    { name: QUEUES.notifyCustomer, options: { durable: true, arguments: workQueueArgs } },
    { name: QUEUES.notifyOps, options: { durable: true, arguments: workQueueArgs } },
    ...RETRY_STEPS.map((s) => ({
      name: s.queue,
      // No dead-letter routing key: the message keeps its original routing key and returns to its work queue.
      options: { durable: true, arguments: { 'x-message-ttl': s.ttlMs, 'x-dead-letter-exchange': EXCHANGES.notifications } },
    })),
    { name: QUEUES.jobsRostering, options: { durable: true, arguments: workQueueArgs } },
    { name: QUEUES.tasksDead, options: { durable: true } },
    // Added later: a new queue, so no existing declaration changes.
    { name: QUEUES.rosterCallIns, options: { durable: true, arguments: workQueueArgs } },
    { name: QUEUES.rosterShifts, options: { durable: true, arguments: workQueueArgs } },
  ],
  bindings: [
    { queue: QUEUES.riderInstructions, exchange: EXCHANGES.notifications, pattern: 'rider.#' },
    { queue: QUEUES.notifyCustomer, exchange: EXCHANGES.notifications, pattern: 'customer.*' },
    { queue: QUEUES.notifyOps, exchange: EXCHANGES.notifications, pattern: 'ops.*' },
    ...RETRY_STEPS.map((s) => ({ queue: s.queue, exchange: EXCHANGES.notificationsRetry, pattern: s.routingKey })),
    { queue: QUEUES.jobsRostering, exchange: EXCHANGES.jobs, pattern: 'rostering.retrain' },
    { queue: QUEUES.tasksDead, exchange: EXCHANGES.deadLetters, pattern: '' },
    { queue: QUEUES.rosterCallIns, exchange: EXCHANGES.jobs, pattern: 'roster.call_in' },
    { queue: QUEUES.rosterShifts, exchange: EXCHANGES.jobs, pattern: 'roster.shift' },
  ],
};

/** Declares every exchange, queue and binding. Idempotent: call it at every service start. */
export async function declareTopology(channel: Channel): Promise<void> {
  for (const e of TOPOLOGY.exchanges) await channel.assertExchange(e.name, e.type, e.options);
  for (const q of TOPOLOGY.queues) await channel.assertQueue(q.name, q.options);
  for (const b of TOPOLOGY.bindings) await channel.bindQueue(b.queue, b.exchange, b.pattern);
}

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
