import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { hostAllowList, hostProblem } from '@riderflow/host-guard';

/**
 * The /metrics (Prometheus text) and /healthz (200 while `healthy()` says so, else 503) server every service runs.
 * The /healthz body is `{ status: 'ok' | 'unhealthy', ...healthy() }`: a service adds its own facts
 * (watermark, backend, …) and may name its own `status` (e.g. 'amqp-lost'). Port 0 = any free port.
 *
 * DNS rebinding: like the brokers' and the dashboard's ports, it answers only a Host that is an IP
 * address, a loopback name, the bind `host` or a name in `allowedHosts` (default: the ALLOWED_HOSTS
 * variable, the same setting the brokers read); any other Host gets 421 with the reason.
 */
export async function startHealthServer(options: {
  host: string;
  port: number;
  registry: Registry;
  healthy: () => { ok: boolean; [k: string]: unknown };
  /** comma-separated names, `.domain` suffixes or `*` (see @riderflow/host-guard); default process.env.ALLOWED_HOSTS */
  allowedHosts?: string;
}): Promise<{ port: number; close(): Promise<void> }> {
  const hosts = hostAllowList(options.host, options.allowedHosts ?? process.env.ALLOWED_HOSTS);
  const server = http.createServer((req, res) => {
    const badHost = hostProblem(req, hosts);
    if (badHost) {
      res.writeHead(421, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'misdirected', reason: badHost }));
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      const h = options.healthy();
      res.writeHead(h.ok ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: h.ok ? 'ok' : 'unhealthy', ...h }));
    } else if (path === '/metrics') {
      options.registry.metrics().then(
        (body) => { res.writeHead(200, { 'content-type': options.registry.contentType }); res.end(body); },
        (err: Error) => { res.writeHead(500); res.end(err.message); },
      );
    } else {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'not_found' }));
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => { server.off('error', reject); resolve(); });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
