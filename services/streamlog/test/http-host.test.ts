import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { useTestBroker } from './helpers/broker.js';

// DNS rebinding: /metrics and /healthz answer only Host names this broker serves.

function get(port: number, host: string, path = '/healthz'): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

describe('streamlog HTTP Host check', () => {
  const broker = useTestBroker({ httpPort: 0 });

  it('refuses a foreign Host and serves loopback names and IP addresses', async () => {
    const port = broker().httpPort!;
    expect(await get(port, 'evil.example')).toBe(421);
    expect(await get(port, `evil.example:${port}`, '/metrics')).toBe(421);
    expect(await get(port, `localhost:${port}`)).toBe(200);
    expect(await get(port, `127.0.0.1:${port}`)).toBe(200);
    expect(await get(port, `[::1]:${port}`)).toBe(200);
  });
});
