import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from './next-build.js';

// One process serves the dashboard: Next's pages, the gateway's REST API and socket.io on one
// port. A custom server (rather than a separate gateway) keeps `npm start` to one URL and lets
// the socket and the pages share an origin, so no CORS and no second port to open.

const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Next collects anonymous usage data unless told not to; a local demo platform sends nothing.
process.env.NEXT_TELEMETRY_DISABLED ??= '1';

// On a first start the page build is the longest step, so it starts before anything else is
// loaded (Next, the gateway and their dependencies take a second or two of a busy machine).
// A pino-shaped line, like the logger's: the logger itself is among what is not loaded yet.
const info = (msg: string) => process.stdout.write(JSON.stringify({ level: 30, time: Date.now(), name: 'dashboard', msg }) + '\n');
const building = new AbortController();
const pagesBuilt = process.env.NEXT_MODE === 'dev' ? Promise.resolve() : ensureBuilt(appDir, info, undefined, building.signal);
pagesBuilt.catch(() => {}); // awaited (and reported) in main()
let stopping = false;
// A stop before main() has its own (while the modules load) still takes the build down with it.
let stop = async (_signal: string): Promise<void> => {
  if (stopping) return;
  stopping = true;
  building.abort();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

async function main(): Promise<void> {
  const [{ default: nextModule }, { collectDefaultMetrics, Gauge, Registry }, { createLogger }, { loadDashboardConfig }, { Gateway }, { attachRealtime }, { Router, send }, { registerApi }, { checkAdminRequest }, { hostAllowList, hostProblem }, { newCsrfToken }, { registerSession }] = await Promise.all([
    import('next'), import('prom-client'), import('@riderflow/service-kit'), import('./config.js'), import('./gateway.js'), import('./realtime.js'), import('./http/router.js'),
    import('./http/api.js'), import('./http/admin-guard.js'), import('@riderflow/host-guard'), import('./http/csrf-token.js'), import('./http/session.js'),
  ]);
  const [{ LabRunner }, { LabRunsLog }, { registerLabApi }] = await Promise.all([import('./adapters/lab-runner.js'), import('./adapters/lab-runs-log.js'), import('./http/lab-api.js')]);
  // next is CommonJS: at runtime the default import is the factory; its types describe module.exports.
  const next = nextModule as unknown as typeof nextModule.default;
  const log = createLogger('dashboard');
  const config = loadDashboardConfig();
  const dev = config.NEXT_MODE === 'dev';
  // The consumer starts before the page build: on a first start the riders are already in the
  // live state when the pages are served, instead of a consumer join and a simulator start later.
  if (stopping) return;
  const gateway = new Gateway(config, log);
  gateway.start();
  // The policy lab runs as a child process (apps/lab's CLI); a run in progress ends with the dashboard.
  const lab = new LabRunner(config.shared.kafkaBrokers.join(','), undefined, config.MODELS_DIR);
  // Until the pages are served there is only the gateway and the build to stop.
  let stopServing = () => {};
  let closeApp = async () => {};
  stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    building.abort();
    stopServing();
    await lab.stop();
    await gateway.stop();
    await closeApp();
    process.exit(0);
  };

  await pagesBuilt;
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
  registerLabApi(router, gateway, lab, new LabRunsLog(gateway.kafka));

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
  const realtime = attachRealtime(server, gateway, config.FRAME_HZ, hosts, lab);
  stats = realtime.stats;

  await new Promise<void>((resolve) => server.listen(config.PORT, config.HOST, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  // A line tests and benchmarks wait for (written whatever LOG_LEVEL is). It says "listening", not
  // "ready": ready is what a user waits for, riders on the map, and only `npm start` says that
  // ("dashboard ready in N s: riders on the map at …", services/platform/src/first-riders.ts).
  // Two "ready" lines 20 s apart on a resumed start had the smoke test's harness match the wrong one.
  process.stdout.write(JSON.stringify({ level: 30, msg: 'dashboard listening', port, url: `http://${config.HOST}:${port}` }) + '\n');

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
  process.stdout.write(JSON.stringify({ level: 60, time: Date.now(), name: 'dashboard', msg: 'dashboard failed to start', err: (err as Error).message }) + '\n');
  process.exit(1);
});
