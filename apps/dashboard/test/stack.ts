import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import amqp from 'amqplib';
import { declareTopology } from '@riderflow/service-kit';
import { startStreamlog, type StreamlogHandle } from '@riderflow/streamlog';
import { startTaskqueue, type TaskqueueHandle } from '@riderflow/taskqueue';

// A small running platform for the browser tests: both brokers in process, the simulator and the
// dashboard as child processes, exactly as `npm start` runs them.

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface Stack {
  dir: string;
  log: StreamlogHandle;
  queues: TaskqueueHandle | null;
  dashboardUrl: string;
  dashboardPid: number;
  /** every line the dashboard process wrote, stdout and stderr */
  dashboardOutput: string[];
  stopQueues(): Promise<void>;
  stop(): Promise<void>;
}

function child(script: string, args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

function waitForLine(proc: ChildProcess, match: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const lines: string[] = [];
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${match}; last output:\n${lines.slice(-20).join('\n')}`)), timeoutMs);
    for (const stream of [proc.stdout!, proc.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        lines.push(line);
        const m = match.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve(m);
        }
      });
    }
    proc.once('exit', (code) => reject(new Error(`process exited with ${code} before ${match}:\n${lines.slice(-20).join('\n')}`)));
  });
}

async function stopChild(proc: ChildProcess | null): Promise<void> {
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  const t = setTimeout(() => proc.kill('SIGKILL'), 8_000);
  await exited;
  clearTimeout(t);
}

/** `simulator: false` leaves the log to the test (a recorded history it writes itself). */
export async function startStack(options: { riders?: number; speed?: number; simulator?: boolean } = {}): Promise<Stack> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rf-dash-'));
  const log = await startStreamlog({ port: 0, httpPort: 0, dataDir: path.join(dir, 'log'), durability: 'none' });
  let queues: TaskqueueHandle | null = await startTaskqueue({ port: 0, httpPort: 0, dataDir: path.join(dir, 'queues'), durability: 'none' });
  const conn = await amqp.connect(queues.url);
  await declareTopology(await conn.createChannel());
  await conn.close();
  const env = {
    KAFKA_BROKERS: log.brokers,
    AMQP_URL: queues.url,
    AMQP_MANAGEMENT_URL: queues.managementUrl!,
    MODELS_DIR: path.join(dir, 'models'),
    LOG_LEVEL: 'warn',
    // the topic view reads the log cleaner's dirty ratio here
    LOG_METRICS_URL: `http://127.0.0.1:${log.httpPort}/metrics`,
  };
  const sim = options.simulator === false ? null : child('services/simulator/src/main.ts', ['--brokers', log.brokers, '--amqp', queues.url, '--speed', String(options.speed ?? 60), '--riders', String(options.riders ?? 60), '--start', '2025-03-03T11:45:00Z', '--quiet'], env);
  sim?.stdout!.resume();
  sim?.stderr!.resume();
  // As `npm start` does, the dashboard learns the fleet's size and the speed (its legend and header).
  const dashboard = child('apps/dashboard/server/main.ts', [], { ...env, PORT: '0', HOST: '127.0.0.1', FRAME_HZ: '4', SIM_RIDERS: String(options.riders ?? 60), SIM_SPEED: String(options.speed ?? 60) });
  const dashboardOutput: string[] = [];
  for (const stream of [dashboard.stdout!, dashboard.stderr!]) createInterface({ input: stream }).on('line', (line) => dashboardOutput.push(line));
  // Generous: on a shared 2-core machine under load a built dashboard has taken over a minute to start.
  const buildMs = existsSync(path.join(root, 'apps/dashboard/.next/BUILD_ID')) ? 180_000 : 360_000;
  let port: string;
  try {
    [, port] = (await waitForLine(dashboard, /"msg":"dashboard listening","port":(\d+)/, buildMs)) as unknown as [string, string];
  } catch (err) {
    // Never leave processes or brokers behind when the stack cannot start.
    await Promise.all([stopChild(sim), stopChild(dashboard)]);
    await queues?.close();
    await log.close();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  dashboard.stdout!.resume();
  dashboard.stderr!.resume();
  const stopQueues = async () => {
    const q = queues;
    queues = null;
    await q?.close();
  };
  return {
    dir,
    log,
    get queues() {
      return queues;
    },
    dashboardUrl: `http://127.0.0.1:${port}`,
    dashboardPid: dashboard.pid!,
    dashboardOutput,
    stopQueues,
    async stop() {
      await stopChild(sim);
      await stopChild(dashboard);
      await stopQueues();
      await log.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
