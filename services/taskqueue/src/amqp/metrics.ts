// Prometheus metrics for the taskqueue process, read from plain counters at scrape time.
import client from 'prom-client';
import type { Broker, QueueStats } from '../broker/contract.js';
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
  const perQueue = (name: string, help: string, read: (q: QueueStats) => number): void => {
    new client.Gauge({
      name,
      help,
      labelNames: ['queue'],
      registers: [registry],
      collect() {
        this.reset();
        for (const q of broker.queues()) this.set({ queue: q.name }, read(q));
      },
    });
  };
  perQueue('taskqueue_queue_messages_ready', 'ready messages per queue', (q) => q.messagesReady);
  perQueue('taskqueue_queue_messages_unacked', 'unacknowledged messages per queue', (q) => q.messagesUnacknowledged);
  perQueue('taskqueue_queue_consumers', 'consumers per queue', (q) => q.consumers);
  new client.Gauge({
    name: 'taskqueue_queues',
    help: 'number of queues',
    registers: [registry],
    collect() {
      this.set(broker.queues().length);
    },
  });
  return registry;
}
