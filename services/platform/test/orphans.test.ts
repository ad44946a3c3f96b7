import { describe, it, expect, afterEach } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Supervisor } from '../src/supervisor.js';
import { running, within } from './process-helpers.js';

// The supervisor's children never outlive it, stop within 5 s of SIGTERM even when their own
// shutdown hangs, and a failure no restart can fix is not restarted in a loop.

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixture = (name: string) => path.relative(rootDir, path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', name));

describe('children of a supervisor', () => {
  const cleanup: (() => void)[] = [];
  let supervisor: Supervisor | null = null;
  afterEach(async () => {
    await supervisor?.stop();
    supervisor = null;
    for (const f of cleanup.splice(0)) f();
  });

  it('all exit when the supervisor is SIGKILLed, even one whose shutdown hangs', async () => {
    const proc: ChildProcess = spawn(process.execPath, ['--import', 'tsx', fixture('supervise.ts'), 'print-args.ts', 'hang-on-term.ts', 'ignore-term.ts'], {
      cwd: rootDir,
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanup.push(() => proc.kill('SIGKILL'));
    let children: number[] = [];
    let started = false;
    const output: string[] = [];
    for (const s of [proc.stdout!, proc.stderr!]) {
      createInterface({ input: s }).on('line', (line) => {
        output.push(line);
        if (line.startsWith('children ')) children = line.slice(9).split(',').filter(Boolean).map(Number);
        if (line === 'supervisor started') started = true;
      });
    }
    await within(() => started && children.length === 3 && output.some((l) => l.includes('INFO  up')), 60_000, 'supervisor up');
    expect(children.every(running)).toBe(true);
    cleanup.push(() => children.forEach((pid) => { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }));
    proc.kill('SIGKILL');
    // The watch and the watchdog make them go in about a second on a quiet machine (printed below);
    // the deadline only has to catch a child that never goes, so it leaves a loaded machine room.
    const took = await within(() => !children.some(running), 30_000, `children ${children.join(',')} exited after the supervisor's SIGKILL`);
    process.stdout.write(`orphans: every child gone ${took} ms after the supervisor's SIGKILL\n`);
  }, 90_000);

  it('stop on SIGTERM by their own deadline when their shutdown never finishes', async () => {
    const lines: string[] = [];
    supervisor = new Supervisor({ rootDir, env: process.env, write: (l) => lines.push(l), stopTimeoutMs: 20_000, reportStops: true });
    await supervisor.start([{ name: 'hangs', script: fixture('hang-on-term.ts') }]);
    await within(() => lines.some((l) => l.includes('INFO  up')), 30_000, 'fixture up');
    const t0 = Date.now();
    await supervisor.stop();
    // the child's own shutdown deadline ends it, not the supervisor's 20 s stop timeout (which would
    // also write 'did not stop within'); how fast is printed, not asserted (the machine may be loaded)
    const took = Date.now() - t0;
    expect(took).toBeLessThan(20_000);
    process.stdout.write(`orphans: a child whose shutdown hangs stopped ${took} ms after SIGTERM\n`);
    expect(lines.some((l) => l.includes('did not stop within'))).toBe(false);
    expect(lines.some((l) => /hangs stopped in \d+ ms/.test(l))).toBe(true);
  }, 60_000);
});

describe('start failures no restart can fix', () => {
  let supervisor: Supervisor | null = null;
  let blocker: Server | null = null;
  afterEach(async () => {
    await supervisor?.stop();
    await new Promise((r) => (blocker ? blocker.close(r) : r(null)));
    supervisor = blocker = null;
  });

  it('a data directory in use stops the supervisor with one line instead of a restart loop', async () => {
    const lines: string[] = [];
    const fatal: Error[] = [];
    supervisor = new Supervisor({
      rootDir, env: { ...process.env, DIR: '/tmp/rf-broker' }, write: (l) => lines.push(l),
      backoff: { initialMs: 50, maxMs: 100, healthyAfterMs: 60_000 }, onFatal: (e) => fatal.push(e),
    });
    await expect(supervisor.start([{ name: 'broker', script: fixture('in-use.ts'), readyPort: 1 }])).rejects.toThrow(
      'broker cannot start: data directory /tmp/rf-broker is in use by process 4810; a restart would not help',
    );
    // a restart would have come after 50 ms: give it ample time to (not) happen
    await new Promise((r) => setTimeout(r, 1_500));
    expect(lines.filter((l) => l.includes('broker failed to start'))).toHaveLength(1);
    expect(lines.some((l) => l.includes('restarting'))).toBe(false);
    expect(fatal.map((e) => e.message)).toEqual(['broker cannot start: data directory /tmp/rf-broker is in use by process 4810; a restart would not help']);
  }, 60_000);

  it('a port already in use is named before the service is even started', async () => {
    blocker = createServer();
    await new Promise<void>((r) => blocker!.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    const lines: string[] = [];
    supervisor = new Supervisor({ rootDir, env: process.env, write: (l) => lines.push(l) });
    await expect(supervisor.start([{ name: 'broker', script: fixture('print-args.ts'), readyPort: port }])).rejects.toThrow(
      `port ${port} is already in use, so broker cannot start`,
    );
    expect(lines).toEqual([]); // nothing was launched
  });
});
