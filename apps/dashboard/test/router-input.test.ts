import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Router } from '../server/http/router.js';

// The gateway's router on a real HTTP server, fed the input a stranger's tour sent it: a
// malformed %-escape in a path (it answered 500 "internal error" and logged an ERROR) and a JSON
// body whose UTF-8 character arrives split over two TCP writes (decoded per chunk, it became two
// U+FFFD characters).

let server: http.Server;
let port: number;

beforeAll(async () => {
  const router = new Router(() => {})
    .get('/api/things/:name', async (_req, _url, p) => ({ name: p.name }))
    .post('/api/echo', async (_req, _url, _p, body) => body);
  server = http.createServer((req, res) => {
    void router.handle(req, res).catch((err: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'internal error', why: String(err) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

/** a raw request, so the body can be written in two parts with a pause between them */
function request(method: string, path: string, parts: Buffer[] = []): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const length = parts.reduce((n, p) => n + p.length, 0);
    const req = http.request({ host: '127.0.0.1', port, method, path, headers: { 'content-type': 'application/json', 'content-length': length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    req.on('error', reject);
    req.flushHeaders();
    void (async () => {
      for (const p of parts) {
        req.write(p);
        // long enough for the server to read the first part on its own
        await new Promise((r) => setTimeout(r, 100));
      }
      req.end();
    })();
  });
}

describe('the gateway router on bad and split input', () => {
  it('answers a malformed %-escape in a path with a 400 in words', async () => {
    const r = await request('GET', '/api/things/%E0%A4%A');
    expect(r.status).toBe(400);
    expect((r.body as { error: string }).error).toContain('malformed %-escape');
    // a well-formed one still decodes
    expect(await request('GET', '/api/things/z%C3%BCrich')).toEqual({ status: 200, body: { name: 'zürich' } });
  });

  it('reads a JSON body whose UTF-8 character is split over two writes', async () => {
    const bytes = Buffer.from(JSON.stringify({ zone: 'Köpenick' }), 'utf8');
    const cut = bytes.indexOf(Buffer.from('ö', 'utf8')) + 1; // between the two bytes of ö
    const r = await request('POST', '/api/echo', [bytes.subarray(0, cut), bytes.subarray(cut)]);
    expect(r).toEqual({ status: 200, body: { zone: 'Köpenick' } });
  });

  it('tells a body that is not JSON at all from JSON that is not an object', async () => {
    const bad = await request('POST', '/api/echo', [Buffer.from('{bad')]);
    expect(bad.status).toBe(400);
    expect((bad.body as { error: string }).error).toMatch(/^the body is not valid JSON \(.+\)$/);
    for (const notObject of ['[1, 2]', '"zone"', 'null', '42']) {
      expect(await request('POST', '/api/echo', [Buffer.from(notObject)])).toEqual({ status: 400, body: { error: 'body must be a JSON object' } });
    }
  });
});
