import { afterEach, describe, expect, it } from 'vitest';
import { Counter, Registry } from 'prom-client';
import { startHealthServer } from '../src/index.js';
import { getWithHost } from './support/host-header.js';

describe('startHealthServer', () => {
  const servers: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => { await Promise.all(servers.splice(0).map((s) => s.close())); });

  it('serves /healthz from healthy(), /metrics from the registry and 404 elsewhere', async () => {
    const registry = new Registry();
    new Counter({ name: 'rf_test_things_total', help: 'things', registers: [registry] }).inc(3);
    let ok = true;
    const server = await startHealthServer({ host: '127.0.0.1', port: 0, registry, healthy: () => ({ ok, workers: 2 }) });
    servers.push(server);
    const base = `http://127.0.0.1:${server.port}`;

    const up = await fetch(`${base}/healthz?probe=1`);
    expect(up.status).toBe(200);
    expect(await up.json()).toEqual({ status: 'ok', ok: true, workers: 2 });

    ok = false;
    const down = await fetch(`${base}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: 'unhealthy', ok: false });

    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toBe(registry.contentType);
    expect(await metrics.text()).toContain('rf_test_things_total 3');

    const missing = await fetch(`${base}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'not_found' });
  });

  it('lets a service name its own status and add its facts to /healthz', async () => {
    let lost = false;
    const server = await startHealthServer({ host: '127.0.0.1', port: 0, registry: new Registry(), healthy: () => ({ ok: !lost, ...(lost ? { status: 'amqp-lost' } : {}), plans: 3 }) });
    servers.push(server);
    const first = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    expect([first.status, await first.json()]).toEqual([200, { status: 'ok', ok: true, plans: 3 }]);
    lost = true;
    const second = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    expect([second.status, await second.json()]).toEqual([503, { status: 'amqp-lost', ok: false, plans: 3 }]);
  });

  it('refuses a foreign Host with 421 (DNS rebinding) and serves loopback, IP addresses and ALLOWED_HOSTS names', async () => {
    const server = await startHealthServer({ host: '127.0.0.1', port: 0, registry: new Registry(), healthy: () => ({ ok: true }), allowedHosts: 'metrics.example, .internal.example' });
    servers.push(server);
    const port = server.port;
    const foreign = await getWithHost(port, 'evil.example', '/healthz');
    expect(foreign.status).toBe(421);
    expect(JSON.parse(foreign.body)).toEqual({ error: 'misdirected', reason: "Host 'evil.example' is not served here; add the name to ALLOWED_HOSTS to use it" });
    expect((await getWithHost(port, `evil.example:${port}`, '/metrics')).status).toBe(421);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `metrics.example:${port}`, `a.internal.example:${port}`]) {
      expect([host, (await getWithHost(port, host, '/healthz')).status]).toEqual([host, 200]);
    }
  });

  it('reads ALLOWED_HOSTS, the brokers\' setting, when no allowedHosts is given', async () => {
    const before = process.env.ALLOWED_HOSTS;
    process.env.ALLOWED_HOSTS = 'dash.example';
    try {
      const server = await startHealthServer({ host: '127.0.0.1', port: 0, registry: new Registry(), healthy: () => ({ ok: true }) });
      servers.push(server);
      expect((await getWithHost(server.port, 'dash.example', '/metrics')).status).toBe(200);
      expect((await getWithHost(server.port, 'other.example', '/metrics')).status).toBe(421);
    } finally {
      if (before === undefined) delete process.env.ALLOWED_HOSTS;
      else process.env.ALLOWED_HOSTS = before;
    }
  });

  it('rejects when the port is taken', async () => {
    const first = await startHealthServer({ host: '127.0.0.1', port: 0, registry: new Registry(), healthy: () => ({ ok: true }) });
    servers.push(first);
    await expect(startHealthServer({ host: '127.0.0.1', port: first.port, registry: new Registry(), healthy: () => ({ ok: true }) }))
      .rejects.toThrow(/EADDRINUSE/);
  });
});

