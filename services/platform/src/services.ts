import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { PlatformConfig } from './platform-config.js';
import type { ServiceSpec } from './service-spec.js';
import { selectEngines, type Engines } from './engines.js';
import { claimLiveHandover, newestSimTime, simulatorLaunchArgs, simulatorStart, simulatorStartLine } from './sim-resume.js';

const DAY_MS = 86_400_000;

/** Whether a trained forecasting model is in the models dir (rostering writes one folder per version). */
export function hasModel(modelsDir: string): boolean {
  return existsSync(modelsDir) && readdirSync(modelsDir, { withFileTypes: true }).some((e) => e.isDirectory() && e.name.startsWith('v'));
}

/**
 * The runtime, in start order: the dashboard (ready later, waited for by nobody), the embedded
 * brokers (unless external ones are configured), schema, first-start history and model,
 * consumers, and last the simulator that feeds them.
 */
export function platformServices(
  config: PlatformConfig,
  say: (line: string) => void = () => {},
  /** told the simulated time where the live simulator starts (after history, if any) */
  onLiveStart: (start: string) => void = () => {},
): { specs: ServiceSpec[]; env: Record<string, string>; engines: Engines } {
  const data = path.resolve(config.DATA_DIR);
  const engines = selectEngines(config, path.join(data, 'riderflow.db'));
  const brokers = engines.env.KAFKA_BROKERS.split(',').map((b) => b.trim());
  // Shared by every child (@riderflow/contracts' loadConfig and each service's own settings).
  const env = {
    ...engines.env,
    MODELS_DIR: path.join(data, 'models'),
    DISPATCH_HTTP_PORT: String(config.DISPATCH_HTTP_PORT),
    NOTIFIER_HTTP_PORT: String(config.NOTIFIER_HTTP_PORT),
    ROSTERING_HTTP_PORT: String(config.ROSTERING_HTTP_PORT),
    PROJECTOR_HTTP_PORT: String(config.PROJECTOR_HTTP_PORT),
  };
  const BROKERS = 0;
  const SOURCES = 2; // stops first: nothing new is produced while the consumers finish
  // Set when this start writes the history, so the simulator's start line can say its clock
  // starts where that history ends rather than "continuing" an earlier run.
  let historyThisStart: number | null = null;
  // Where the history leaves its riders and in-flight orders for the live run to take over, so a
  // first start cancels nothing as if it had restarted (services/simulator, "A first start").
  const handoverFile = path.join(data, 'history-handover.json');
  // Where a live simulator stopped by SIGINT/SIGTERM leaves its riders and in-flight orders, so the
  // next start finishes them instead of cancelling them (reason simulator_restart).
  const liveHandoverFile = path.join(data, 'live-handover.json');
  const specs: ServiceSpec[] = [
    // First and without waiting: its first start builds the pages (half a minute, the longest
    // step), which then overlaps the brokers, schema, history, training and the other services;
    // nothing waits for it. Its consumer reads the log during the build (once the log listens),
    // so riders are on the map as soon as the pages are served.
    // It also learns the fleet, the speed and which brokers are embedded, for its header and legend.
    {
      name: 'dashboard',
      script: 'apps/dashboard/server/main.ts',
      env: {
        PORT: String(config.PORT),
        SIM_RIDERS: String(config.SIM_RIDERS),
        SIM_SPEED: String(config.SIM_SPEED),
        EMBEDDED_ENGINES: [engines.embedded.streamlog ? 'log' : '', engines.embedded.taskqueue ? 'queues' : ''].filter(Boolean).join(','),
        // The dirty ratio of compacted topics is not in any Kafka API; the embedded log publishes it.
        ...(engines.embedded.streamlog ? { LOG_METRICS_URL: `http://127.0.0.1:${config.STREAMLOG_HTTP_PORT}/metrics` } : {}),
      },
      readyPort: config.PORT,
      readyLater: true,
    },
    {
      name: 'streamlog',
      script: 'services/streamlog/src/main.ts',
      args: ['--port', String(config.STREAMLOG_PORT), '--http-port', String(config.STREAMLOG_HTTP_PORT), '--data-dir', path.join(data, 'streamlog'), '--default-partitions', '3', '--log-level', config.STREAMLOG_LOG_LEVEL],
      readyPort: config.STREAMLOG_PORT,
      stopTier: BROKERS,
    },
    {
      name: 'taskqueue',
      script: 'services/taskqueue/src/main.ts',
      args: ['--port', String(config.TASKQUEUE_PORT), '--http-port', String(config.TASKQUEUE_HTTP_PORT), '--data-dir', path.join(data, 'taskqueue')],
      readyPort: config.TASKQUEUE_PORT,
      stopTier: BROKERS,
    },
    { name: 'migrate', script: 'packages/db/src/migrate.ts', oneShot: true },
    // First start only: a few simulated days of history just before the live start, then a model
    // trained on them. Both are cheap (seconds), and both are skipped once the data dir has them.
    {
      name: 'history',
      script: 'services/simulator/src/main.ts',
      oneShot: true,
      optional: true,
      args: ['--history', '--speed', 'max', '--days', String(config.SIM_HISTORY_DAYS), '--riders', String(config.SIM_RIDERS), '--seed', config.SIM_SEED, '--demand', String(config.SIM_DEMAND), '--quiet',
        '--write-handover', handoverFile, '--start', new Date(Date.parse(config.SIM_START) - config.SIM_HISTORY_DAYS * DAY_MS).toISOString()],
      skipIf: async () => {
        if (config.SIM_HISTORY_DAYS === 0) return 'SIM_HISTORY_DAYS=0';
        if ((await newestSimTime(brokers)) !== null) return 'the log already has simulated time';
        historyThisStart = config.SIM_HISTORY_DAYS;
        rmSync(handoverFile, { force: true }); // one from an earlier fresh start never applies to this history
        return false;
      },
    },
    {
      name: 'train',
      script: 'services/rostering/src/train.ts',
      oneShot: true,
      optional: true,
      skipIf: async () => {
        if (hasModel(env.MODELS_DIR)) return 'a forecasting model is already trained';
        return config.SIM_HISTORY_DAYS === 0 ? 'no history to train on (SIM_HISTORY_DAYS=0); rostering forecasts with the best baseline' : false;
      },
    },
    { name: 'projector', script: 'services/projector/src/main.ts' },
    // Dispatch reads only new events: the simulator starts once its group has joined (its
    // /healthz port opens after the consumer runs), so no early order goes unassigned.
    { name: 'dispatch', script: 'services/dispatch/src/main.ts', readyPort: config.DISPATCH_HTTP_PORT },
    { name: 'notifier', script: 'services/notifier/src/main.ts' },
    { name: 'rostering', script: 'services/rostering/src/main.ts' },
    {
      name: 'simulator',
      script: 'services/simulator/src/main.ts',
      // On SIGINT/SIGTERM it writes its riders and in-flight orders for the next start (see launchArgs).
      args: ['--speed', String(config.SIM_SPEED), '--riders', String(config.SIM_RIDERS), '--seed', config.SIM_SEED, '--demand', String(config.SIM_DEMAND), '--write-live-handover', liveHandoverFile],
      launchArgs: async () => {
        const { start: next, resumed, newest } = await simulatorStart(brokers, config.SIM_START);
        // Only right after this start's history, and only if it ran to its end (it writes the file then).
        let takeOver = historyThisStart !== null && existsSync(handoverFile) ? handoverFile : null;
        let start = next;
        // A graceful stop's hand-over, if it is where the log ends: the clock continues at its instant.
        // After this start's history, or on an empty log, an older run's file never applies: removed.
        const live = claimLiveHandover(liveHandoverFile, takeOver === null && resumed ? newest : null);
        if (live) { takeOver = live.file; start = new Date(live.endMs).toISOString(); }
        onLiveStart(start);
        say(simulatorStartLine(start, resumed, historyThisStart, live !== null));
        historyThisStart = null; // a later restart of the simulator does continue its own clock
        return simulatorLaunchArgs(start, resumed, takeOver);
      },
      // Once every consumer above is up, so the first orders are assigned. Not after the
      // dashboard: a first page build would hold the whole simulation back by half a minute.
      stopTier: SOURCES,
    },
  ];
  const notStarted = new Set([engines.embedded.streamlog ? '' : 'streamlog', engines.embedded.taskqueue ? '' : 'taskqueue']);
  return { specs: specs.filter((s) => !notStarted.has(s.name)), env, engines };
}
