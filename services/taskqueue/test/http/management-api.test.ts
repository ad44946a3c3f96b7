// The management API over the broker core on a plain node http server: JSON shapes, basic auth,
// non-destructive get and peek, purge, rates from counters.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryBroker } from '../../src/broker/index.js';
import { createManagementServer, type ManagementHandler } from '../../src/http/index.js';
import { exchangeOptions, msg, queueOptions } from '../broker/helpers.js';

describe('management API', () => {
  const broker = memoryBroker();
  let handler: ManagementHandler;
  let server: http.Server;
  let base: string;
  const auth = { authorization: `Basic ${Buffer.from('ops:secret').toString('base64')}` };
  const api = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(base + path, { ...init, headers: { ...auth, ...(init.headers ?? {}) } });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const body: any = res.status === 204 ? null : await res.json();
    return { status: res.status, body };
  };

  beforeAll(async () => {
    handler = createManagementServer(broker, { getConnections: () => ({ connections: 2, channels: 3 }), users: { ops: 'secret' } });
    server = http.createServer((req, res) => {
      if (!handler(req, res)) {
        res.writeHead(418);
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    broker.declareExchange('notifications', 'topic', { ...exchangeOptions, durable: true }, false);
    broker.declareQueue('rider-instructions', queueOptions({ durable: true, arguments: { 'x-message-ttl': 60000 } }), false, 'c1');
    broker.bindQueue('rider-instructions', 'notifications', 'rider.#', {}, 'c1');
    broker.publish(msg('notifications', 'rider.1', '{"go":"zone-c"}', { deliveryMode: 2, contentType: 'application/json', headers: { attempt: 1 } }));
    broker.publish(msg('notifications', 'rider.2', 'second'));
    broker.publish({ exchange: 'notifications', routingKey: 'rider.3', properties: {}, body: Buffer.from([0xff, 0x00, 0xfe]) });
  });
  afterAll(async () => {
    handler.close();
    await new Promise<void>((r) => server.close(() => r()));
    await broker.close();
  });

  it('refuses requests without valid credentials and leaves other paths to the caller', async () => {
    expect((await fetch(`${base}/api/overview`)).status).toBe(401);
    const wrong = await fetch(`${base}/api/overview`, { headers: { authorization: `Basic ${Buffer.from('ops:nope').toString('base64')}` } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('Basic');
    expect((await fetch(`${base}/metrics`)).status).toBe(418);
  });

  it('GET /api/overview', async () => {
    const { status, body } = await api('/api/overview');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      product_name: 'riderflow-taskqueue',
      message_stats: { publish: 3, deliver_get: 0, ack: 0 },
      queue_totals: { messages: 3, messages_ready: 3, messages_unacknowledged: 0 },
      object_totals: { connections: 2, channels: 3, queues: 1, exchanges: 8, consumers: 0 }, // RabbitMQ's 7 built-ins (amq.rabbitmq.trace among them) and the test's own
    });
    expect(typeof body.message_stats.publish_details.rate).toBe('number');
  });

  it('GET /api/queues and /api/queues/%2F/<name>', async () => {
    const list = await api('/api/queues');
    expect(list.body).toHaveLength(1);
    const one = await api('/api/queues/%2F/rider-instructions');
    expect(one.body).toMatchObject({
      name: 'rider-instructions', vhost: '/', durable: true, auto_delete: false, exclusive: false,
      arguments: { 'x-message-ttl': 60000 }, messages: 3, messages_ready: 3, messages_unacknowledged: 0, consumers: 0,
      message_stats: { publish: 3, deliver_get: 0, ack: 0, redeliver: 0 },
    });
    // (the publish rate is proven in "publish rates" below, where publishing is timed with the read)
    expect(typeof one.body.message_stats.publish_details.rate).toBe('number');
    expect(one.body.message_stats.ack_details.rate).toBe(0);
    expect((await api('/api/queues/%2F/missing')).status).toBe(404);
    expect((await api('/api/queues/other-vhost/rider-instructions')).status).toBe(404);
  });

  it('GET /api/exchanges and /api/bindings', async () => {
    const ex = await api('/api/exchanges');
    expect(ex.body).toContainEqual(expect.objectContaining({ name: 'notifications', type: 'topic', durable: true, message_stats: expect.objectContaining({ publish_in: 3, publish_out: 3 }) }));
    const b = await api('/api/bindings');
    expect(b.body).toContainEqual({ source: 'notifications', vhost: '/', destination: 'rider-instructions', destination_type: 'queue', routing_key: 'rider.#', arguments: {}, properties_key: 'rider.%23' });
    expect(b.body).toContainEqual(expect.objectContaining({ source: '', destination: 'rider-instructions', routing_key: 'rider-instructions' }));
  });

  it('POST …/get with ack_requeue_true returns RabbitMQ-shaped messages and keeps them', async () => {
    const { status, body } = await api('/api/queues/%2F/rider-instructions/get', { method: 'POST', body: JSON.stringify({ count: 5, ackmode: 'ack_requeue_true', encoding: 'auto', truncate: 50000 }) });
    expect(status).toBe(200);
    expect(body).toHaveLength(3);
    expect(body[0]).toEqual({
      payload: '{"go":"zone-c"}', payload_encoding: 'string', payload_bytes: 15, redelivered: false,
      exchange: 'notifications', routing_key: 'rider.1', message_count: 2,
      properties: { content_type: 'application/json', headers: { attempt: 1 }, delivery_mode: 2 },
    });
    expect(body[2]).toMatchObject({ payload: Buffer.from([0xff, 0x00, 0xfe]).toString('base64'), payload_encoding: 'base64' });
    expect(broker.queues()[0]).toMatchObject({ messagesReady: 3, messagesUnacknowledged: 0 });
    const again = await api('/api/queues/%2F/rider-instructions/get', { method: 'POST', body: JSON.stringify({ count: 1, ackmode: 'ack_requeue_true' }) });
    expect(again.body[0]).toMatchObject({ routing_key: 'rider.1', redelivered: true });
    const bad = await api('/api/queues/%2F/rider-instructions/get', { method: 'POST', body: JSON.stringify({ count: 1, ackmode: 'bogus' }) });
    expect(bad.status).toBe(400);
  });

  it('GET …/peek looks without any side effect', async () => {
    const before = broker.queues()[0];
    const { body } = await api('/api/queues/%2F/rider-instructions/peek?count=2');
    expect(body.map((m: { routing_key: string }) => m.routing_key)).toEqual(['rider.1', 'rider.2']);
    expect(broker.queues()[0].delivered).toBe(before.delivered);
  });

  it('a queue method this subset does not serve is a 405 in words, never a "Not Found" for a queue that exists', async () => {
    const declare = await api('/api/queues/%2F/new-queue', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(declare.status).toBe(405);
    expect(declare.body.reason).toContain('declare it over AMQP');
    const post = await api('/api/queues/%2F/rider-instructions', { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
    expect(post.body.reason).toBe('POST on a queue is not part of this management API');
    expect((await api('/api/queues/%2F/rider-instructions')).status).toBe(200);
  });

  it('DELETE …/contents purges', async () => {
    expect((await api('/api/queues/%2F/rider-instructions/contents', { method: 'DELETE' })).status).toBe(204);
    expect(broker.queues()[0].messages).toBe(0);
  });
});

describe('management API publish rates', () => {
  const broker = memoryBroker();
  let handler: ManagementHandler;
  let server: http.Server;
  let base: string;
  const auth = { authorization: `Basic ${Buffer.from('ops:secret').toString('base64')}` };

  beforeAll(async () => {
    handler = createManagementServer(broker, { getConnections: () => ({ connections: 0, channels: 0 }), users: { ops: 'secret' } });
    server = http.createServer((req, res) => {
      if (!handler(req, res)) res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    broker.declareQueue('rates', queueOptions(), false, 'c1');
  });
  afterAll(async () => {
    handler.close();
    await new Promise<void>((r) => server.close(() => r()));
    await broker.close();
  });

  it('reports zero with no traffic, then a positive rate for messages published within the window', async () => {
    const read = async () => (await (await fetch(`${base}/api/queues/%2F/rates`, { headers: auth })).json()) as { message_stats: { publish: number; publish_details: { rate: number } } };
    expect((await read()).message_stats).toMatchObject({ publish: 0, publish_details: { rate: 0 } });
    // The rate is growth over a 5 s window of 1 s snapshots: publishing right before each read
    // means growth is inside the window, unless this process stalled for longer than the window
    // between the two; then try again, until a deadline.
    const deadline = Date.now() + 30_000;
    let published = 0;
    let stats: { publish: number; publish_details: { rate: number } };
    do {
      for (let i = 0; i < 5; i++, published++) broker.publish(msg('', 'rates', `m${published}`));
      stats = (await read()).message_stats;
    } while (stats.publish_details.rate === 0 && Date.now() < deadline);
    expect(stats.publish).toBe(published);
    expect(stats.publish_details.rate).toBeGreaterThan(0);
  });
});

