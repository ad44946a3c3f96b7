// The HTTP port of startTaskqueue: /healthz, /metrics (prom-client) and the management API mounted
// beside them, with the credentials of the configured users.
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from './helpers.js';

let tq: TestBroker;
beforeAll(async () => {
  tq = await startTestBroker({ httpPort: 0, users: { guest: 'guest' } });
});
afterAll(async () => {
  await tq?.stop();
});

function get(path: string, auth = true): Promise<Response> {
  const u = new URL(tq.managementUrl!);
  const headers: Record<string, string> = auth ? { authorization: `Basic ${Buffer.from(`${u.username}:${u.password}`).toString('base64')}` } : {};
  return fetch(`http://${u.host}${path}`, { headers });
}

describe('http port', () => {
  it('serves /healthz, /metrics and the management API', async () => {
    expect(tq.managementUrl).toBe(`http://guest:guest@127.0.0.1:${tq.httpPort}`);
    expect(tq.url).toBe(`amqp://guest:guest@127.0.0.1:${tq.port}`);
    const conn = await amqp.connect(tq.url);
    const ch = await conn.createConfirmChannel();
    await ch.assertQueue('http-q', { autoDelete: false });
    ch.sendToQueue('http-q', Buffer.from('x'));
    await ch.waitForConfirms();

    const health = await get('/healthz', false);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', connections: 1 });

    const metrics = await (await get('/metrics', false)).text();
    expect(metrics).toMatch(/^taskqueue_messages_published_total 1$/m);
    expect(metrics).toMatch(/^taskqueue_connections 1$/m);
    expect(metrics).toMatch(/^taskqueue_queue_messages_ready\{queue="http-q"\} 1$/m);

    expect((await get('/api/overview', false)).status).toBe(401);
    const overview = (await (await get('/api/overview')).json()) as { object_totals: { connections: number } };
    expect(overview.object_totals.connections).toBe(1);
    const queues = (await (await get('/api/queues')).json()) as Array<{ name: string; messages: number }>;
    expect(queues.find((q) => q.name === 'http-q')?.messages).toBe(1);

    await ch.deleteQueue('http-q');
    await conn.close();
    expect((await get('/nope', false)).status).toBe(404);
  });
});
