// Prometheus metrics for the taskqueue process, read from plain counters at scrape time.
import client from 'prom-client';
import type { Broker } from '../broker/contract.js';
import type { AmqpServer } from './server.js';

export function createMetrics(broker: Broker, server: AmqpServer): client.Registry {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'taskqueue_process_' });
  const s = server.stats;
  const counter = (name: string, help: string, read: () => number): void => {
    new client.Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  };
  counter('taskqueue_messages_published_total', 'messages published by clients', () => s.published);
  counter('taskqueue_messages_confirmed_total', 'publisher confirms sent (basic.ack)', () => s.confirmed);
  counter('taskqueue_messages_nacked_total', 'publisher confirms sent as basic.nack', () => s.nacked);
  counter('taskqueue_messages_returned_total', 'unroutable mandatory messages returned', () => s.returned);
  counter('taskqueue_messages_delivered_total', 'messages delivered to consumers and basic.get', () => s.delivered);
  counter('taskqueue_messages_acked_total', 'deliveries acknowledged by clients', () => s.acked);
  counter('taskqueue_messages_rejected_total', 'deliveries rejected or nacked by clients', () => s.rejected);
  counter('taskqueue_bytes_received_total', 'bytes read from AMQP sockets', () => s.bytesIn);
  counter('taskqueue_bytes_sent_total', 'bytes written to AMQP sockets', () => s.bytesOut);
  counter('taskqueue_connections_opened_total', 'connections that completed the handshake', () => s.connectionsOpened);
  new client.Gauge({
    name: 'taskqueue_connections',
    help: 'open AMQP connections',
    registers: [registry],
    collect() {
      this.set(server.connectionCount());
    },
  });
  new client.Gauge({
    name: 'taskqueue_channels',
    help: 'open AMQP channels',
    registers: [registry],
    collect() {
      this.set(s.channels);
    },
  });
  const labels = ['queue'] as const;
  const ready = new client.Gauge({ name: 'taskqueue_queue_messages_ready', help: 'ready messages per queue', labelNames: labels, registers: [registry] });
  const unacked = new client.Gauge({ name: 'taskqueue_queue_messages_unacked', help: 'unacknowledged messages per queue', labelNames: labels, registers: [registry] });
  const consumers = new client.Gauge({ name: 'taskqueue_queue_consumers', help: 'consumers per queue', labelNames: labels, registers: [registry] });
  new client.Gauge({
    name: 'taskqueue_queues',
    help: 'number of queues',
    registers: [registry],
    collect() {
      const qs = broker.queues();
      ready.reset();
      unacked.reset();
      consumers.reset();
      for (const q of qs) {
        ready.set({ queue: q.name }, q.messagesReady);
        unacked.set({ queue: q.name }, q.messagesUnacknowledged);
        consumers.set({ queue: q.name }, q.consumers);
      }
      this.set(qs.length);
    },
  });
  return registry;
}
