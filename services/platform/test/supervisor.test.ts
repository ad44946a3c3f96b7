import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Supervisor } from '../src/supervisor.js';
import { nextRestartDelay } from '../src/backoff.js';
import { formatLine } from '../src/log-lines.js';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixture = (name: string) => path.relative(rootDir, path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', name));

async function until(check: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('restart backoff', () => {
  it('doubles per consecutive crash up to the cap and resets after a healthy run', () => {
    const policy = { initialMs: 100, maxMs: 1000, healthyAfterMs: 5000 };
    const state = { consecutiveCrashes: 0 };
    expect([1, 2, 3, 4, 5].map(() => nextRestartDelay(state, 10, policy))).toEqual([100, 200, 400, 800, 1000]);
    expect(nextRestartDelay(state, 6000, policy)).toBe(100);
  });
});

describe('log lines', () => {
  it('prefixes plain and JSON lines with the service name', () => {
    expect(formatLine('sim', 'hello')).toBe('sim        | hello');
    expect(formatLine('sim', JSON.stringify({ level: 40, time: 1, msg: 'slow', rate: 5 }))).toBe('sim        | WARN  slow rate=5');
  });
});

describe('supervisor', () => {
  const dirs: string[] = [];
  let supervisor: Supervisor | null = null;
  afterEach(async () => {
    await supervisor?.stop();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('restarts a crashed service and stops services tier by tier (consumers before brokers)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rf-sup-'));
    dirs.push(dir);
    const lines: string[] = [];
    const stopLog = path.join(dir, 'stops');
    supervisor = new Supervisor({
      rootDir,
      env: { ...process.env, STOP_LOG: stopLog },
      backoff: { initialMs: 50, maxMs: 100, healthyAfterMs: 60_000 },
      write: (l) => lines.push(l),
    });
    await supervisor.start([
      { name: 'first', script: fixture('crash-once.ts'), env: { MARKER: path.join(dir, 'a'), NAME: 'first' }, stopTier: 0 },
      { name: 'second', script: fixture('crash-once.ts'), env: { MARKER: path.join(dir, 'b'), NAME: 'second' } },
    ]);
    await until(() => lines.filter((l) => l.includes('INFO  up attempt=2')).length === 2);
    expect(lines.some((l) => l.startsWith('supervisor') && l.includes('first exited (code 3)'))).toBe(true);
    await supervisor.stop();
    expect(readFileSync(stopLog, 'utf8').trim().split('\n')).toEqual(['second', 'first']);
  });

  it('computes launch arguments again at every restart, and starts without them when that fails', async () => {
    const lines: string[] = [];
    let launches = 0;
    supervisor = new Supervisor({ rootDir, env: process.env, write: (l) => lines.push(l), backoff: { initialMs: 50, maxMs: 100, healthyAfterMs: 60_000 } });
    await supervisor.start([
      {
        name: 'sim',
        script: fixture('print-args.ts'),
        args: ['--fixed'],
        launchArgs: async () => {
          launches++;
          if (launches === 2) throw new Error('log unreachable');
          return ['--start', `launch-${launches}`];
        },
      },
    ]);
    await until(() => lines.some((l) => l.includes('args --fixed --start launch-1')));
    const kill = () => {
      const pid = (supervisor as unknown as { running: { child: { pid: number } }[] }).running[0].child.pid;
      process.kill(pid, 'SIGKILL');
    };
    kill();
    await until(() => lines.some((l) => l.includes('log unreachable; starting with its defaults')));
    await until(() => lines.filter((l) => l.includes('args --fixed')).length === 2);
    expect(lines.filter((l) => l.includes('args --fixed')).at(-1)).toBe(formatLine('sim', 'args --fixed '));
    kill();
    await until(() => lines.some((l) => l.includes('args --fixed --start launch-3')));
  });

  it('kills a service that ignores SIGTERM after the stop timeout', async () => {
    const lines: string[] = [];
    supervisor = new Supervisor({ rootDir, env: process.env, write: (l) => lines.push(l), stopTimeoutMs: 300 });
    await supervisor.start([{ name: 'stubborn', script: fixture('ignore-term.ts') }]);
    await until(() => lines.some((l) => l.includes('stubborn')));
    await supervisor.stop();
    expect(lines.some((l) => l.includes('did not stop within 300 ms; killing it'))).toBe(true);
  });

  it('has reported every started service for the run lock by the time start() resolves', async () => {
    // The platform says "all services started" as start() resolves, and a second start or a test
    // may read the lock then: it must already name every service, the last one included (it was
    // reported from the child's 'spawn' event, a tick after start() had resolved).
    let reported: number[] = [];
    supervisor = new Supervisor({ rootDir, env: process.env, write: () => {}, onChildren: (pids) => (reported = pids) });
    await supervisor.start([
      { name: 'a', script: fixture('sleeper.ts') },
      { name: 'b', script: fixture('sleeper.ts'), launchArgs: async () => [] },
    ]);
    const expected = Object.keys(supervisor.restartCounts()).length;
    expect(reported, 'the PIDs reported when start() resolved').toHaveLength(expected);
  });

  it('fails start when a one-shot step fails', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'rf-sup-'));
    dirs.push(dir);
    supervisor = new Supervisor({ rootDir, env: { ...process.env, MARKER: path.join(dir, 'marker') }, write: () => {} });
    await expect(supervisor.start([{ name: 'migrate', script: fixture('crash-once.ts'), oneShot: true }])).rejects.toThrow('migrate exited with code 3');
  });
});
