// The queue topology (@riderflow/contracts TOPOLOGY, data) declared through amqplib.
import type { Channel } from 'amqplib';
import { TOPOLOGY, type TopologyDecl } from '@riderflow/contracts';

/** Declares a topology (or part of one) in order: exchanges, queues, bindings. Idempotent. */
export async function declareTopologyDecl(channel: Channel, topology: TopologyDecl): Promise<void> {
  for (const e of topology.exchanges) await channel.assertExchange(e.name, e.type, e.options);
  for (const q of topology.queues) await channel.assertQueue(q.name, q.options);
  for (const b of topology.bindings) await channel.bindQueue(b.queue, b.exchange, b.pattern);
}

/**
 * Declares every exchange, queue and binding. Idempotent: call it at every service start.
 * Same arguments every time: RabbitMQ and taskqueue refuse a redeclaration that differs.
 */
export async function declareTopology(channel: Channel): Promise<void> {
  await declareTopologyDecl(channel, TOPOLOGY);
}
