// A client for RabbitMQ's management HTTP API, the subset taskqueue also serves, so one piece of
// code reads queue depth and rates from either broker (the dashboard, the walkthrough).

export interface MgmtQueue {
  name: string;
  durable: boolean;
  exclusive?: boolean;
  arguments?: Record<string, unknown>;
  messages?: number;
  messages_ready?: number;
  messages_unacknowledged?: number;
  consumers?: number;
  message_stats?: Record<string, number | { rate: number }>;
}
export interface MgmtExchange { name: string; type: string; durable: boolean; message_stats?: Record<string, number | { rate: number }> }
export interface MgmtBinding { source: string; destination: string; destination_type: string; routing_key: string }
export interface MgmtMessage { payload: string; payload_encoding: string; routing_key: string; exchange: string; redelivered: boolean; properties: { headers?: Record<string, unknown>; [key: string]: unknown }; message_count?: number }

export class ManagementApi {
  private readonly base: string;
  private readonly auth: string;
  private readonly vhost: string;

  /** `vhost`: the one our services use (from AMQP_URL); every read and action stays inside it */
  constructor(url: string, vhost = '/', private readonly timeoutMs = 3_000) {
    this.vhost = encodeURIComponent(vhost);
    const u = new URL(url);
    this.auth = 'Basic ' + Buffer.from(`${decodeURIComponent(u.username || 'guest')}:${decodeURIComponent(u.password || 'guest')}`).toString('base64');
    u.username = '';
    u.password = '';
    this.base = u.toString().replace(/\/$/, '');
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(this.base + path, {
      method,
      headers: { authorization: this.auth, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
    const text = await res.text();
    return (text ? JSON.parse(text) : null) as T;
  }

  overview() {
    return this.call<Record<string, unknown>>('GET', '/api/overview');
  }
  queue(name: string) {
    return this.call<MgmtQueue>('GET', `/api/queues/${this.vhost}/${encodeURIComponent(name)}`);
  }
  queues() {
    return this.call<MgmtQueue[]>('GET', `/api/queues/${this.vhost}`);
  }
  exchanges() {
    return this.call<MgmtExchange[]>('GET', `/api/exchanges/${this.vhost}`);
  }
  bindings() {
    return this.call<MgmtBinding[]>('GET', `/api/bindings/${this.vhost}`);
  }
  /** non-destructive: RabbitMQ's get with requeue, which taskqueue implements too */
  peek(queue: string, count: number) {
    return this.call<MgmtMessage[]>('POST', `/api/queues/${this.vhost}/${encodeURIComponent(queue)}/get`, { count, ackmode: 'ack_requeue_true', encoding: 'auto', truncate: 50_000 });
  }
}
