// Management API requests RabbitMQ's clients send that the URL parser used to get wrong (issue 21):
// /api/whoami names the caller, queues named "." and ".." are addressable when their names are
// percent-encoded, and a malformed percent-encoding is the client's error (400), not ours (500).
// Requests go out through node:http with the raw path: fetch() would collapse "%2E%2E" itself.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryBroker } from '../../src/broker/index.js';
import { createManagementServer, type ManagementHandler } from '../../src/http/index.js';
import { msg, queueOptions } from '../broker/helpers.js';

function rawGet(port: number, path: string, user: string, password: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path, method: 'GET', headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('management API paths and caller', () => {
  const broker = memoryBroker();
  let handler: ManagementHandler;
  let server: http.Server;
  let port: number;

  beforeAll(async () => {
    handler = createManagementServer(broker, { getConnections: () => ({ connections: 0, channels: 0 }), users: { ops: 'secret', reader: 'pw2' } });
    server = http.createServer((req, res) => {
      if (!handler(req, res)) res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
    broker.declareQueue('.', queueOptions(), false, 'c1');
    broker.declareQueue('..', queueOptions(), false, 'c1');
    broker.publish(msg('', '..', 'in dot-dot'));
    broker.publish(msg('', '..', 'again'));
    broker.publish(msg('', '.', 'in dot'));
  });
  afterAll(async () => {
    handler.close();
    await new Promise<void>((r) => server.close(() => r()));
    await broker.close();
  });

  it('/api/whoami answers with the authenticated caller, not the first configured user', async () => {
    expect(await rawGet(port, '/api/whoami', 'reader', 'pw2')).toMatchObject({ status: 200, body: { name: 'reader' } });
    expect(await rawGet(port, '/api/whoami', 'ops', 'secret')).toMatchObject({ status: 200, body: { name: 'ops' } });
  });

  it('queues named "." and ".." are addressed by their encoded names, not treated as dot segments', async () => {
    const dotdot = await rawGet(port, '/api/queues/%2F/%2E%2E', 'ops', 'secret');
    expect(dotdot.status).toBe(200);
    expect(dotdot.body).toMatchObject({ name: '..', messages: 2 });
    const dot = await rawGet(port, '/api/queues/%2F/%2e', 'ops', 'secret');
    expect(dot.body).toMatchObject({ name: '.', messages: 1 });
    const peeked = await rawGet(port, '/api/queues/%2F/%2E%2E/peek?count=5', 'ops', 'secret');
    expect((peeked.body as Array<{ payload: string }>).map((m) => m.payload)).toEqual(['in dot-dot', 'again']);
    // and a queue that does not exist is still a 404, not the list
    expect((await rawGet(port, '/api/queues/%2F/%2E%2E%2E', 'ops', 'secret')).status).toBe(404);
  });

  it('a malformed percent-encoding is a 400 with a reason, and the server keeps answering', async () => {
    for (const path of ['/api/queues/%2F/%zz', '/api/queues/%E0%A4%A', '/api/exchanges/%2F/%']) {
      const r = await rawGet(port, path, 'ops', 'secret');
      expect(r.status, path).toBe(400);
      expect(r.body).toMatchObject({ error: 'bad_request' });
      expect(String((r.body as { reason: string }).reason)).toContain('percent-encoding');
    }
    expect((await rawGet(port, '/api/overview', 'ops', 'secret')).status).toBe(200);
  });
});
