import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPlatformConfig } from './platform-config.js';
import { platformServices } from './services.js';
import { describeEngines } from './engines.js';
import { Supervisor } from './supervisor.js';
import { formatLine } from './log-lines.js';
import { acquireRunLock, RunLockHeld, type RunLock } from './supervisor/run-lock.js';
import { watchLaunchChain } from './supervisor/launch-chain.js';
import { waitForFirstRiders } from './first-riders.js';
import { waitForGroupsGone } from './supervisor/leftovers.js';

// `npm start`: the whole platform on embedded defaults, supervised, stopped by one Ctrl-C.
const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

let supervisor: Supervisor | null = null;
let lock: RunLock | null = null;
const say = (msg: string) => process.stdout.write(formatLine('riderflow', msg) + '\n');

// Per stop tier (see services.ts): the consumers get the longest, since a kafkajs consumer
// finishes its current long-poll fetch (up to 5 s by default) before it leaves its group.
const stopBudget = (tier: number): number => (tier === 1 ? 6_000 : 2_500);

async function main(): Promise<void> {
  const t0 = Date.now();
  const loaded = loadPlatformConfig(process.env);
  const config = { ...loaded, DATA_DIR: path.resolve(rootDir, loaded.DATA_DIR) };
  mkdirSync(config.DATA_DIR, { recursive: true });
  // One run per data directory; a lock left by a killed run is taken over (and its leftovers stopped).
  lock = await acquireRunLock(config.DATA_DIR, say);
  let liveFrom: number | null = null;
  const { specs, env, engines } = platformServices(config, say, (start) => (liveFrom = Date.parse(start)));
  for (const line of describeEngines(engines)) say(line);
  say(`starting ${specs.map((s) => s.name).join(', ')}; data in ${config.DATA_DIR}`);

  // every service and one-shot step this run started: each leads its own process group
  const groups = new Set<number>();
  let stopping = false;
  /** `reason` says in words what asked the platform to stop ("Ctrl-C", "npm start (PID 4242) exited") */
  const shutdown = (reason: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    const started = Date.now();
    say(`${reason}: stopping every service (data stays in ${config.DATA_DIR})`);
    void supervisor!.stop().then(async () => {
      // a service's own children (esbuild's helper, …) may take a moment after the service
      const left = await waitForGroupsGone(groups, 2_000);
      const took = `${((Date.now() - started) / 1000).toFixed(1)} s`;
      if (left.length === 0) say(`every service stopped in ${took}; nothing of this run is left running`);
      else say(`stopped in ${took}, but ${left.length === 1 ? '1 process' : `${left.length} processes`} of this run ${left.length === 1 ? 'is' : 'are'} still running; stop ${left.length === 1 ? 'it' : 'them'} with: kill -9 ${left.join(' ')}`);
      lock?.release();
      process.exit(code);
    });
  };
  supervisor = new Supervisor({
    rootDir, env: { ...process.env, ...env }, stopTimeoutMs: stopBudget, reportStops: true, readyTimeoutMs: 180_000,
    onChildren: (pids) => {
      for (const pid of pids) groups.add(pid);
      lock?.recordChildren(pids);
    },
    onFatal: (err) => shutdown(`FATAL ${err.message}`, 1),
  });
  process.on('SIGINT', () => shutdown('Ctrl-C or kill -INT (SIGINT)'));
  process.on('SIGTERM', () => shutdown('asked to stop (SIGTERM)'));
  process.on('SIGHUP', () => shutdown('the terminal was closed (SIGHUP)'));
  // A killed `npm start` (or whatever started us) sends no signal: with nobody left to press
  // Ctrl-C, stop when a process that launched us is gone (the rule: supervisor/launch-chain.ts).
  watchLaunchChain((why) => shutdown(why));

  // Measured beside the start-up itself: the time a user waits for riders on the map.
  const dashboardUrl = `http://127.0.0.1:${config.PORT}`;
  const ridersOnMap = waitForFirstRiders({
    url: dashboardUrl, startedAt: t0, stopped: () => stopping, liveFrom: () => liveFrom,
    onSlow: () => say('dashboard: no riders on the map yet after 300 s; still waiting (a first page build on a busy machine can take longer; see the simulator and dashboard lines above)'),
  }).then((seconds) => {
    if (stopping || seconds === null) return;
    say(`dashboard ready in ${seconds.toFixed(1)} s: riders on the map at ${dashboardUrl}`);
  });
  await supervisor.start(specs);
  if (supervisor.isStopping) return;
  say(`all services started in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  // The services do not wait for the dashboard's first page build: its URL closes the start-up
  // once both are there (normally the live map comes last, moments after the simulator starts).
  await ridersOnMap;
  if (!stopping) say(`dashboard: ${dashboardUrl}   (walkthrough: npm run demo; stop: Ctrl-C)`);
}

main().catch(async (err: unknown) => {
  // A fatal service failure is already being reported and handled by shutdown().
  if (supervisor?.fatalError && err === supervisor.fatalError) return;
  process.stderr.write(`riderflow: ${err instanceof Error ? err.message : String(err)}\n`);
  if (err instanceof RunLockHeld) process.exit(1); // nothing of ours started; disturb nothing
  await supervisor?.stop();
  lock?.release();
  process.exit(1);
});
