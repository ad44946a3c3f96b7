import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import amqp from 'amqplib';
import { declareTopology } from '@riderflow/service-kit';
import { startStreamlog, type StreamlogHandle } from '@riderflow/streamlog';
import { startTaskqueue, type TaskqueueHandle } from '@riderflow/taskqueue';
import { loadPlatformConfig } from '../src/platform-config.js';
import { platformServices } from '../src/services.js';
import { Supervisor } from '../src/supervisor.js';
import { freePorts, within } from './process-helpers.js';

// Every service of `npm start`, run as the platform runs it, stops within 5 s of SIGTERM even
// when the brokers it talks to were stopped first (a notifier used to ignore SIGTERM for 9 s then).

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'rf-stop-'));
let log: StreamlogHandle | null = null;
let queues: TaskqueueHandle | null = null;
let supervisor: Supervisor | null = null;

afterAll(async () => {
  await supervisor?.stop();
  await queues?.close();
  await log?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('stopping with the brokers gone', () => {
  it('each service exits within 5 s of SIGTERM', async () => {
    log = await startStreamlog({ port: 0, dataDir: path.join(dir, 'log'), durability: 'none', defaultPartitions: 3 });
    queues = await startTaskqueue({ port: 0, httpPort: 0, dataDir: path.join(dir, 'queues'), durability: 'none' });
    const conn = await amqp.connect(queues.url);
    await declareTopology(await conn.createChannel());
    await conn.close();
    const [web, dispatch, notifier, rostering, projector] = await freePorts(5);
    const config = loadPlatformConfig({
      DATA_DIR: dir, KAFKA_BROKERS: log.brokers, AMQP_URL: queues.url, AMQP_MANAGEMENT_URL: queues.managementUrl!,
      PORT: String(web), DISPATCH_HTTP_PORT: String(dispatch), NOTIFIER_HTTP_PORT: String(notifier), ROSTERING_HTTP_PORT: String(rostering), PROJECTOR_HTTP_PORT: String(projector),
      SIM_HISTORY_DAYS: '0', SIM_RIDERS: '20',
    });
    const { specs, env } = platformServices(config);
    const services = specs.filter((s) => s.name !== 'history' && s.name !== 'train');
    expect(services.map((s) => s.name)).toEqual(['dashboard', 'migrate', 'projector', 'dispatch', 'notifier', 'rostering', 'simulator']);

    const lines: string[] = [];
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, LOG_LEVEL: 'info' };
    delete childEnv.NODE_ENV;
    // A stop timeout far above 5 s: the supervisor's own SIGKILL must not be what stops them.
    supervisor = new Supervisor({ rootDir, env: childEnv, write: (l) => lines.push(l), stopTimeoutMs: 20_000, reportStops: true, readyTimeoutMs: 240_000 });
    await supervisor.start(services);
    const up = ['dashboard listening', 'projector started', 'dispatch running', 'notifier started', 'rostering started', 'simulator  | sim '];
    await within(() => up.every((m) => lines.some((l) => l.includes(m))), 120_000, () => `every service up; missing: ${up.filter((m) => !lines.some((l) => l.includes(m))).join(', ')}`);

    await queues.close();
    queues = null;
    await log.close();
    log = null;
    // Let every client notice: reconnect loops, pending fetches and publishes with nowhere to go.
    await new Promise((r) => setTimeout(r, 3_000));

    const t0 = Date.now();
    await supervisor.stop();
    const total = Date.now() - t0;
    const stops = lines.map((l) => /^supervisor \| (\S+) stopped in (\d+) ms/.exec(l)).filter((m) => m !== null).map((m) => [m[1]!, Number(m[2])] as const);
    process.stdout.write(`service-stop: ${stops.map(([n, ms]) => `${n} ${ms} ms`).join(', ')}; total ${total} ms\n`);
    expect(lines.filter((l) => l.includes('did not stop within'))).toEqual([]);
    expect(stops.length).toBeGreaterThan(0);
    for (const [name, ms] of stops) expect(ms, name).toBeLessThan(5_000);
  }, 400_000);
});
