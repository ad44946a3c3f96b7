import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nextModule from 'next';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { createLogger } from '@riderflow/contracts';
import { loadDashboardConfig } from './config.js';
import { Gateway } from './gateway.js';
import { attachRealtime } from './realtime.js';
import { Router, send } from './http/router.js';
import { registerApi } from './http/api.js';
import { checkAdminRequest } from './http/admin-guard.js';
import { hostAllowList, hostProblem } from './http/host-guard.js';
import { newCsrfToken } from './http/csrf-token.js';
import { registerSession } from './http/session.js';
import { ensureBuilt } from './next-build.js';

// One process serves the dashboard: Next's pages, the gateway's REST API and socket.io on one
// port. A custom server (rather than a separate gateway) keeps `npm start` to one URL and lets
// the socket and the pages share an origin, so no CORS and no second port to open.

// next is CommonJS: at runtime the default import is the factory; its types describe module.exports.
const next = nextModule as unknown as typeof nextModule.default;
const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = createLogger('dashboard');
// Next collects anonymous usage data unless told not to; a local demo platform sends nothing.
process.env.NEXT_TELEMETRY_DISABLED ??= '1';
let stopping = false;

async function main(): Promise<void> {
  const config = loadDashboardConfig();
  const dev = config.NEXT_MODE === 'dev';
  // The consumer starts before the page build: on a first start the riders are already in the
  // live state when the pages are served, instead of a consumer join and a simulator start later.
  const gateway = new Gateway(config, log);
  gateway.start();
  // Until the pages are served there is only the gateway and the build to stop.
  let stopServing = () => {};
  let closeApp = async () => {};
  const building = new AbortController();
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    building.abort();
    stopServing();
    await gateway.stop();
    await closeApp();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  if (!dev) await ensureBuilt(appDir, (msg) => log.info(msg), undefined, building.signal);
  if (stopping) return;
  const app = next({ dev, dir: appDir, hostname: config.HOST, port: config.PORT });
  await app.prepare();
  const handle = app.getRequestHandler();

  // See the README's security section: Host allow-list, same-origin admin actions, a per-run token.
  const hosts = hostAllowList(config.HOST, config.ALLOWED_HOSTS);
  const tokens = { admin: config.DASHBOARD_ADMIN_TOKEN, csrf: newCsrfToken() };
  const router = new Router((req) => checkAdminRequest(req, tokens));
  registerSession(router, tokens.csrf, tokens.admin !== undefined);
  registerApi(router, gateway);

  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // Read at scrape time, so /metrics is exact (no sampling timer, no frame built to count events).
  let stats: { framesSent: number; clients: number } = { framesSent: 0, clients: 0 };
  new Gauge({ name: 'dashboard_frames_sent_total', help: 'live frames pushed to browsers', registers: [registry], collect() { this.set(stats.framesSent); } });
  new Gauge({ name: 'dashboard_clients', help: 'connected browsers', registers: [registry], collect() { this.set(stats.clients); } });
  new Gauge({ name: 'dashboard_events_applied_total', help: 'events folded into the live state', registers: [registry], collect() { this.set(gateway.live.eventsApplied); } });

  const server = createServer((req, res) => {
    void (async () => {
      const badHost = hostProblem(req, hosts);
      if (badHost) return send(res, 421, { error: badHost });
      if (req.url === '/healthz') return send(res, 200, { ok: true, status: gateway.status() });
      if (req.url === '/metrics') {
        res.writeHead(200, { 'content-type': registry.contentType });
        return res.end(await registry.metrics());
      }
      if (await router.handle(req, res)) return;
      await handle(req, res);
    })().catch((err: unknown) => {
      log.error({ err: (err as Error).message, url: req.url }, 'request failed');
      if (!res.headersSent) send(res, 500, { error: 'internal error' });
    });
  });
  const realtime = attachRealtime(server, gateway, config.FRAME_HZ, hosts);
  stats = realtime.stats;

  await new Promise<void>((resolve) => server.listen(config.PORT, config.HOST, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  log.info({ url: `http://${config.HOST}:${port}` }, 'dashboard listening');
  // A line tests and the supervisor can wait for.
  process.stdout.write(JSON.stringify({ level: 30, msg: 'dashboard ready', port }) + '\n');

  stopServing = () => {
    realtime.stop();
    server.close();
  };
  closeApp = async () => {
    await app.close?.();
  };
}

main().catch((err: unknown) => {
  if (stopping) return; // the build was stopped on purpose
  log.fatal({ err: (err as Error).message }, 'dashboard failed to start');
  process.exit(1);
});
