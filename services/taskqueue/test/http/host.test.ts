import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTaskqueue, type TaskqueueHandle } from '../../src/index.js';

// DNS rebinding: the management API answers only Host names this broker serves.

function get(port: number, host: string, urlPath: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: urlPath, headers: { host, authorization: 'Basic ' + Buffer.from('guest:guest').toString('base64') } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'rf-tq-host-'));
let tq: TaskqueueHandle;
beforeAll(async () => {
  tq = await startTaskqueue({ port: 0, httpPort: 0, dataDir: dir, durability: 'none' });
});
afterAll(async () => {
  await tq?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('taskqueue HTTP Host check', () => {
  it('refuses a foreign Host on the management API and serves loopback names', async () => {
    const port = tq.httpPort!;
    expect(await get(port, 'evil.example', '/api/queues')).toBe(421);
    expect(await get(port, `evil.example:${port}`, '/api/overview')).toBe(421);
    expect(await get(port, `localhost:${port}`, '/api/queues')).toBe(200);
    expect(await get(port, `127.0.0.1:${port}`, '/healthz')).toBe(200);
  });
});
