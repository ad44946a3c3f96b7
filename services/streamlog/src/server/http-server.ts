import http from 'node:http';
import type { Logger } from 'pino';
import type { BrokerMetrics } from './metrics.js';
import { hostAllowList, hostProblem } from '@riderflow/host-guard';

/** /metrics (Prometheus text) and /healthz on their own port. */
export async function startHttpServer(host: string, port: number, metrics: BrokerMetrics, log: Logger, healthy: () => boolean): Promise<http.Server> {
  // DNS rebinding: only the names this broker serves (loopback, bind host, ALLOWED_HOSTS) are answered.
  const hosts = hostAllowList(host, process.env.ALLOWED_HOSTS);
  const server = http.createServer((req, res) => {
    const badHost = hostProblem(req, hosts);
    if (badHost) {
      res.writeHead(421, { 'content-type': 'text/plain' }).end(`${badHost}\n`);
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/metrics') {
      metrics.registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': metrics.registry.contentType });
          res.end(text);
        },
        (err: unknown) => {
          log.error({ err }, 'metrics failed');
          res.writeHead(500).end();
        },
      );
      return;
    }
    if (path === '/healthz') {
      const ok = healthy();
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: ok ? 'ok' : 'closing' }));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
