// Cross-site requests on the management API: a page in the operator's browser must not drain or
// purge a queue with a simple (text/plain, no preflight) request and cached Basic credentials.
// Clients without Origin (curl, rabbitmqadmin) and the API's own origin keep working.
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTaskqueue, type TaskqueueHandle } from '../../src/index.js';

interface Answer { status: number; body: string }

function send(port: number, method: string, urlPath: string, headers: Record<string, string>, body = ''): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method, path: urlPath, headers: { authorization: 'Basic ' + Buffer.from('guest:guest').toString('base64'), ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'rf-tq-xsite-'));
let tq: TaskqueueHandle;
let conn: amqp.ChannelModel;
let ch: amqp.ConfirmChannel;
beforeAll(async () => {
  tq = await startTaskqueue({ port: 0, httpPort: 0, dataDir: dir, durability: 'none' });
  conn = await amqp.connect(tq.url);
  ch = await conn.createConfirmChannel();
  await ch.assertQueue('xsite-q', { durable: true });
  for (let i = 0; i < 3; i++) ch.sendToQueue('xsite-q', Buffer.from(`m${i}`));
  await ch.waitForConfirms();
});
afterAll(async () => {
  await conn?.close();
  await tq?.close();
  rmSync(dir, { recursive: true, force: true });
});

const drain = JSON.stringify({ count: 3, ackmode: 'ack_requeue_false', encoding: 'auto' });

describe('taskqueue management API cross-site check', () => {
  it('refuses state-changing requests from a foreign Origin or cross-site fetch, and loses nothing', async () => {
    const port = tq.httpPort!;
    const host = `127.0.0.1:${port}`;
    const foreign = { 'content-type': 'text/plain', origin: 'http://evil.example' };
    const get = await send(port, 'POST', '/api/queues/%2F/xsite-q/get', foreign, drain);
    expect(get.status).toBe(403);
    expect(JSON.parse(get.body)).toEqual({ error: 'forbidden', reason: "cross-origin request refused (Origin 'http://evil.example')" });
    expect((await send(port, 'DELETE', '/api/queues/%2F/xsite-q/contents', foreign)).status).toBe(403);
    // same host name, other port: another origin
    expect((await send(port, 'DELETE', '/api/queues/%2F/xsite-q/contents', { origin: `http://127.0.0.1:${port + 1}` })).status).toBe(403);
    expect((await send(port, 'DELETE', '/api/queues/%2F/xsite-q/contents', { origin: 'null' })).status).toBe(403);
    expect((await send(port, 'DELETE', '/api/queues/%2F/xsite-q/contents', { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await send(port, 'PUT', '/api/vhosts/evil', foreign)).status).toBe(403);
    expect((await ch.checkQueue('xsite-q')).messageCount).toBe(3);
    expect((await send(port, 'GET', '/api/vhosts/evil', {})).status).toBe(404);
    // reading stays open to any Origin (the browser's CORS rules keep the answer from the page)
    expect((await send(port, 'GET', '/api/queues/%2F/xsite-q', foreign)).status).toBe(200);
  });

  it('serves state-changing requests without Origin (curl, rabbitmqadmin) and from its own origin', async () => {
    const port = tq.httpPort!;
    const own = await send(port, 'POST', '/api/queues/%2F/xsite-q/get', { 'content-type': 'application/json', origin: `http://127.0.0.1:${port}`, 'sec-fetch-site': 'same-origin' }, JSON.stringify({ count: 1, ackmode: 'ack_requeue_false', encoding: 'auto' }));
    expect(own.status).toBe(200);
    expect(JSON.parse(own.body)).toMatchObject([{ payload: 'm0' }]);
    const curl = await send(port, 'POST', '/api/queues/%2F/xsite-q/get', { 'content-type': 'application/json' }, JSON.stringify({ count: 1, ackmode: 'ack_requeue_false', encoding: 'auto' }));
    expect(JSON.parse(curl.body)).toMatchObject([{ payload: 'm1' }]);
    expect((await send(port, 'DELETE', '/api/queues/%2F/xsite-q/contents', {})).status).toBe(204);
    expect((await ch.checkQueue('xsite-q')).messageCount).toBe(0);
  });
});
