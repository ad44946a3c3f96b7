// The small client the dashboard would use: one piece of code that reads RabbitMQ's management
// API and ours alike.

import { managementFetch } from './targets.js';

export interface QueueView {
  name: string;
  durable: boolean;
  auto_delete: boolean;
  exclusive: boolean;
  arguments: Record<string, unknown>;
  messages: number;
  messages_ready: number;
  messages_unacknowledged: number;
  consumers: number;
  message_stats?: { publish?: number; publish_details?: { rate: number }; deliver_get?: number; ack?: number; redeliver?: number };
}

async function json<T>(base: string, path: string, init?: RequestInit): Promise<T> {
  const res = await managementFetch(base, path, init);
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${path}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export const readQueues = (base: string) => json<QueueView[]>(base, '/api/queues');
export const readQueue = (base: string, name: string) => json<QueueView>(base, `/api/queues/%2F/${encodeURIComponent(name)}`);
export const readExchanges = (base: string) => json<Array<{ name: string; type: string; durable: boolean }>>(base, '/api/exchanges');
export const readBindings = (base: string) =>
  json<Array<{ source: string; destination: string; destination_type: string; routing_key: string }>>(base, '/api/bindings');
export const readOverview = (base: string) =>
  json<{ message_stats?: { publish?: number }; queue_totals: { messages: number }; object_totals: { queues: number; connections: number } }>(base, '/api/overview');
export const getMessages = (base: string, queue: string, count: number) =>
  json<Array<{ payload: string; payload_encoding: string; redelivered: boolean; routing_key: string; exchange: string; message_count: number; properties: Record<string, unknown> }>>(
    base, `/api/queues/%2F/${encodeURIComponent(queue)}/get`,
    { method: 'POST', body: JSON.stringify({ count, ackmode: 'ack_requeue_true', encoding: 'auto', truncate: 50000 }) },
  );
