import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import amqp from 'amqplib';
import { chromium, type Browser } from 'playwright-core';
import { io } from 'socket.io-client';
import { startStack, type Stack } from './stack.js';

// Another site's page, or a DNS-rebinding one, must not drive the dashboard: real HTTP and
// WebSocket requests against a running dashboard, and the dashboard's own page in Chromium.

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PROBE = 'security.probe';
const EVIL = 'http://evil.example';

let stack: Stack;
let base: string;
let port: number;

interface Answer { status: number; body: string }

/** A raw request, so Host and Origin are exactly what a hostile page's browser would send. */
function request(method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers: { ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function probeDepth(): Promise<number> {
  const u = new URL(stack.queues!.managementUrl!);
  const res = await fetch(`${u.protocol}//${u.host}/api/queues/%2F/${PROBE}`, { headers: { authorization: 'Basic ' + Buffer.from(`${u.username}:${u.password}`).toString('base64') } });
  return ((await res.json()) as { messages_ready: number }).messages_ready;
}

async function csrfToken(): Promise<string> {
  const r = await request('GET', '/api/session', { host: `127.0.0.1:${port}` });
  expect(r.status).toBe(200);
  return (JSON.parse(r.body) as { csrfToken: string }).csrfToken;
}

/** resolves 'connected' or the refusal's message */
function socketFrom(headers: Record<string, string>): Promise<string> {
  return new Promise((resolve) => {
    const socket = io(base, { transports: ['websocket'], extraHeaders: headers, reconnection: false, timeout: 20_000 });
    socket.on('connect', () => {
      socket.close();
      resolve('connected');
    });
    socket.on('connect_error', (err) => {
      socket.close();
      resolve(`refused: ${err.message}`);
    });
  });
}

beforeAll(async () => {
  stack = await startStack({ riders: 20 });
  base = stack.dashboardUrl;
  port = Number(new URL(base).port);
  const conn = await amqp.connect(stack.queues!.url);
  const ch = await conn.createConfirmChannel();
  await ch.assertQueue(PROBE, { durable: true });
  for (let i = 0; i < 3; i++) ch.sendToQueue(PROBE, Buffer.from(`probe ${i}`), { persistent: true });
  await ch.waitForConfirms();
  await conn.close();
}, 300_000);

afterAll(async () => {
  await stack?.stop();
});

describe('cross-site requests', () => {
  it('a text/plain POST from another origin is refused and purges nothing', async () => {
    expect(await probeDepth()).toBe(3);
    const r = await request('POST', `/api/queues/${PROBE}/purge`, { host: `127.0.0.1:${port}`, origin: EVIL, 'content-type': 'text/plain' }, '{}');
    expect(r.status).toBe(403);
    expect(r.body).toContain('cross-origin request refused');
    expect(await probeDepth()).toBe(3);
  });

  it('a JSON POST from another origin is refused even with this run\'s token, and starts no replay', async () => {
    const token = await csrfToken();
    const purge = await request('POST', `/api/queues/${PROBE}/purge`, { host: `127.0.0.1:${port}`, origin: EVIL, 'content-type': 'application/json', 'x-csrf-token': token }, '{}');
    expect(purge.status).toBe(403);
    const replay = await request('POST', '/api/log/replay', { host: `127.0.0.1:${port}`, origin: EVIL, 'content-type': 'application/json' }, '{"from":0}');
    expect(replay.status).toBe(403);
    const site = await request('POST', `/api/queues/${PROBE}/purge`, { host: `127.0.0.1:${port}`, 'sec-fetch-site': 'cross-site', 'content-type': 'application/json', 'x-csrf-token': token }, '{}');
    expect(site.status).toBe(403);
    expect(await probeDepth()).toBe(3);
    const log = JSON.parse((await request('GET', '/api/log', { host: `127.0.0.1:${port}` })).body) as { replays: unknown[] };
    expect(log.replays).toEqual([]);
  });

  it('another origin cannot read the page\'s token', async () => {
    expect((await request('GET', '/api/session', { host: `127.0.0.1:${port}`, origin: EVIL })).status).toBe(403);
    expect((await request('GET', '/api/session', { host: `127.0.0.1:${port}`, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
  });

  it('a same-origin request still needs JSON and the token', async () => {
    const own = { host: `127.0.0.1:${port}`, origin: base };
    expect((await request('POST', `/api/queues/${PROBE}/purge`, { ...own, 'content-type': 'text/plain' }, '{}')).status).toBe(415);
    expect((await request('POST', `/api/queues/${PROBE}/purge`, { ...own, 'content-type': 'application/json' }, '{}')).status).toBe(403);
    expect((await request('POST', `/api/queues/${PROBE}/purge`, { ...own, 'content-type': 'application/json', 'x-csrf-token': 'not-the-token' }, '{}')).status).toBe(403);
    expect(await probeDepth()).toBe(3);
  });
});

describe('DNS rebinding (foreign Host)', () => {
  it('every path answers 421 to a Host it does not serve', async () => {
    for (const path of ['/', '/queues', '/api/status', '/api/session', '/healthz']) {
      const r = await request('GET', path, { host: `evil.example:${port}` });
      expect(r.status, path).toBe(421);
    }
    expect((await request('POST', `/api/queues/${PROBE}/purge`, { host: 'evil.example', origin: 'http://evil.example', 'content-type': 'application/json' }, '{}')).status).toBe(421);
    expect((await request('GET', '/api/status', { host: `localhost:${port}` })).status).toBe(200);
    expect(await probeDepth()).toBe(3);
  });
});

describe('WebSocket', () => {
  it('a socket from another origin or for another Host is refused; the page\'s own is not', async () => {
    expect(await socketFrom({ origin: EVIL })).toMatch(/^refused/);
    expect(await socketFrom({ host: `evil.example:${port}` })).toMatch(/^refused/);
    expect(await socketFrom({ origin: base })).toBe('connected');
  });
});

describe('the dashboard\'s own page', () => {
  let browser: Browser | undefined;
  afterAll(async () => {
    await browser?.close();
  });

  it('purges a queue from Chromium (token fetched from the server, sent as JSON)', async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
    const page = await browser.newPage();
    page.on('dialog', (d) => void d.accept());
    await page.goto(base + '/queues');
    const row = page.locator(`[data-testid="queue-${PROBE}"]`);
    await row.waitFor({ timeout: 30_000 });
    await row.getByRole('button', { name: 'purge' }).click();
    await expect.poll(() => probeDepth(), { timeout: 20_000 }).toBe(0);
  }, 90_000);
});
