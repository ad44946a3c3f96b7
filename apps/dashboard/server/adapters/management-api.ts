// The queues page's view of the management API (taskqueue's subset or RabbitMQ's plugin).

import { ManagementApi, type MgmtQueue } from '@riderflow/service-kit';
import type { QueueRow, QueuesSnapshot, RatePoint } from '@riderflow/contracts';

export { ManagementApi };

function rate(stats: MgmtQueue['message_stats'], key: string): number {
  const d = stats?.[`${key}_details`];
  return typeof d === 'object' && d ? d.rate : 0;
}

export type { QueueRow, QueuesSnapshot };

/**
 * The queues page's view: every queue, and the exchanges but the amq.* built-ins. No client may
 * name a queue amq.*, so a queue named so is a server-named one (`amq.gen-…`, declared with an
 * empty name): a real queue that can fill up, listed like any other, its bindings with it.
 */
export async function readQueues(api: ManagementApi, now = Date.now()): Promise<QueuesSnapshot> {
  const [queues, exchanges, bindings] = await Promise.all([api.queues(), api.exchanges(), api.bindings()]);
  return {
    at: now,
    queues: queues
      .map((q) => ({
        name: q.name,
        ready: q.messages_ready ?? 0,
        unacked: q.messages_unacknowledged ?? 0,
        consumers: q.consumers ?? 0,
        publishRate: rate(q.message_stats, 'publish'),
        deliverRate: rate(q.message_stats, 'deliver_get'),
        ackRate: rate(q.message_stats, 'ack'),
        deadLetterExchange: typeof q.arguments?.['x-dead-letter-exchange'] === 'string' ? (q.arguments['x-dead-letter-exchange'] as string) : null,
        exclusive: q.exclusive === true,
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    exchanges: exchanges.filter((e) => e.name !== '' && !e.name.startsWith('amq.')).map((e) => ({ name: e.name, type: e.type })),
    bindings: bindings.filter((b) => b.source !== '' && b.destination_type === 'queue').map((b) => ({ source: b.source, destination: b.destination, routingKey: b.routing_key })),
  };
}

/** one point of the rates chart: every queue's rates summed */
export function ratePoint(s: QueuesSnapshot): RatePoint {
  const sum = (k: 'publishRate' | 'deliverRate' | 'ackRate') => s.queues.reduce((t, q) => t + q[k], 0);
  return { at: s.at, publish: sum('publishRate'), deliver: sum('deliverRate'), ack: sum('ackRate') };
}
