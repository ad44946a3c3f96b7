import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCK_FILE } from '../src/supervisor/run-lock.js';
import { describeRunning, freePorts, portFree, running, within } from './process-helpers.js';

// The whole platform as a user runs it (`npm start`), killed the ways a terminal, a crash or an
// out-of-memory killer kill it. Ports are free ones picked by the test; history is off to keep
// each start short.

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const PORT_SETTINGS = ['PORT', 'STREAMLOG_PORT', 'STREAMLOG_HTTP_PORT', 'TASKQUEUE_PORT', 'TASKQUEUE_HTTP_PORT', 'DISPATCH_HTTP_PORT', 'NOTIFIER_HTTP_PORT', 'ROSTERING_HTTP_PORT', 'PROJECTOR_HTTP_PORT'];

interface Run { proc: ChildProcess; lines: string[]; stderr: string[]; exited: Promise<number | null> }

let dataDir: string;
let ports: number[];
const runs: Run[] = [];

function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, SIM_HISTORY_DAYS: '0', SIM_RIDERS: '20' };
  for (const k of Object.keys(env)) if (k.startsWith('VITEST') || k === 'NODE_ENV') delete env[k];
  PORT_SETTINGS.forEach((name, i) => (env[name] = String(ports[i])));
  return env;
}

/** `npm start` (or the supervisor itself) in its own process group, as a terminal would run it. */
function start(via: 'npm' | 'node'): Run {
  const [cmd, args] = via === 'npm' ? ['npm', ['start']] : [process.execPath, ['--import', 'tsx', 'services/platform/src/main.ts']];
  const proc = spawn(cmd as string, args as string[], { cwd: rootDir, env: userEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const run: Run = { proc, lines: [], stderr: [], exited: new Promise((r) => proc.once('exit', (code) => r(code))) };
  createInterface({ input: proc.stdout! }).on('line', (l) => run.lines.push(l));
  createInterface({ input: proc.stderr! }).on('line', (l) => (run.lines.push(l), run.stderr.push(l)));
  runs.push(run);
  return run;
}

async function started(run: Run): Promise<void> {
  await within(() => {
    if (run.proc.exitCode !== null) throw new Error(`platform exited with ${run.proc.exitCode}:\n${run.lines.slice(-30).join('\n')}`);
    return run.lines.some((l) => l.includes('all services started'));
  }, 300_000, 'platform started');
}

function lockHolder(): { pid: number; children: number[] } {
  return JSON.parse(readFileSync(path.join(dataDir, LOCK_FILE), 'utf8')) as { pid: number; children: number[] };
}

/** `pid` and every process below it (services, their esbuild helpers), read from /proc. */
function processTree(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
      parent.set(Number(name), Number(stat[1]));
    } catch {
      // exited meanwhile
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) for (const [child, ppid] of parent) if (ppid === tree[i]) tree.push(child);
  return tree;
}

const allPortsFree = async () => (await Promise.all(ports.map(portFree))).every(Boolean);

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'rf-lifecycle-'));
  ports = await freePorts(PORT_SETTINGS.length);
});

afterAll(async () => {
  for (const run of runs) {
    try {
      process.kill(-run.proc.pid!, 'SIGKILL');
    } catch {
      // group gone
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start, killed', () => {
  it('SIGKILL of the supervisor: no process of that run remains and every port is free', async () => {
    const run = start('node');
    await started(run);
    const supervisor = lockHolder().pid;
    expect(supervisor).toBe(run.proc.pid);
    const tree = processTree(supervisor);
    expect(tree.length).toBeGreaterThanOrEqual(9); // supervisor + 8 services
    process.kill(supervisor, 'SIGKILL');
    // about a second on a quiet machine (printed below; the README's figure); the deadline only has
    // to catch a process that never goes, so a loaded machine does not fail it
    const took = await within(() => !tree.some(running), 30_000, () => `the run's processes gone; still running:\n${describeRunning(tree)}`);
    // a socket of a process that just exited can take a moment to close
    await within(allPortsFree, 30_000, 'every port free');
    process.stdout.write(`lifecycle: every process of the run gone ${took} ms after the supervisor's SIGKILL\n`);
  }, 400_000);

  it('a second start on a running data directory says so in one line, exits non-zero and disturbs nothing', async () => {
    const first = start('npm');
    await started(first);
    expect(first.lines.some((l) => /taking over .*riderflow\.lock: its run \(PID \d+\) is no longer running/.test(l))).toBe(true);
    const lockBefore = readFileSync(path.join(dataDir, LOCK_FILE), 'utf8');
    const tree = processTree(lockHolder().pid);
    const held = (await Promise.all(ports.map(async (p) => ((await portFree(p)) ? null : p)))).filter((p) => p !== null);
    expect(held.length).toBeGreaterThanOrEqual(5); // the brokers' three, the dashboard's, dispatch's at least
    const second = start('node');
    expect(await second.exited).toBe(1);
    expect(second.stderr).toEqual([expect.stringMatching(new RegExp(`^riderflow: riderflow is already running on ${dataDir} \\(PID ${lockHolder().pid}\\); stop it with Ctrl-C in its terminal or \`kill ${lockHolder().pid}\``))]);
    expect(second.lines.filter((l) => l.trim() !== '')).toHaveLength(1);
    // Only the first run rewrites its lock, when its children change: a restart would show here
    // (and below); it once failed here on the last service's PID, reported a tick after "all
    // services started" (supervisor.test: 'has reported every started service …')
    const restarts = first.lines.filter((l) => /restarting in/.test(l));
    expect(readFileSync(path.join(dataDir, LOCK_FILE), 'utf8'), `restarts of the first run: ${restarts.join(' / ') || 'none'}`).toBe(lockBefore);
    expect(tree.every(running)).toBe(true);
    expect((await Promise.all(held.map(portFree))).some(Boolean)).toBe(false); // still held by the first
  }, 400_000);

  it('SIGKILL of npm alone (the PID `npm start` shows): the platform stops, frees every port, and the next start comes up cleanly', async () => {
    // npm → tsx's wrapper → supervisor (the start script execs tsx): killing npm kills neither of the others by itself
    const first = runs[1]!;
    // npm's sh and tsx's wrapper above the supervisor, the supervisor and its services
    const tree = processTree(first.proc.pid!).slice(1);
    expect(tree).toContain(lockHolder().pid);
    process.kill(first.proc.pid!, 'SIGKILL');
    await within(() => !tree.some(running), 15_000, () => `the run's processes gone after npm's SIGKILL; still running:\n${describeRunning(tree)}`);
    await within(allPortsFree, 5_000, 'every port free');
    expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(false); // an orderly stop, not a crash
    // the supervisor says, in words, what stopped it and that nothing is left
    expect(first.lines).toContain(`riderflow  | npm start (PID ${first.proc.pid}) exited: stopping every service (data stays in ${dataDir})`);
    expect(first.lines.some((l) => /^riderflow {2}\| every service stopped in \d+\.\d s; nothing of this run is left running$/.test(l))).toBe(true);
    const next = start('node');
    await started(next);
    expect(next.lines.filter((l) => /FATAL|restarting in|cannot start/.test(l))).toEqual([]);
    next.proc.kill('SIGTERM');
    expect(await next.exited).toBe(0);
    expect(next.lines).toContain(`riderflow  | asked to stop (SIGTERM): stopping every service (data stays in ${dataDir})`);
    expect(next.lines.some((l) => /^riderflow {2}\| every service stopped in \d+\.\d s; nothing of this run is left running$/.test(l))).toBe(true);
    expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(false);
    expect(await allPortsFree()).toBe(true);
  }, 400_000);

  it('SIGINT to npm alone (`kill -INT <npm PID>`, what a process manager or an IDE sends): the platform stops in order, npm exits, every port is free', async () => {
    // Found on the stranger's tour: npm forwards SIGINT to its child, but when that child was
    // `sh -c tsx …` the shell caught it and waited, so the platform ran on; only a terminal's Ctrl-C
    // (which signals the whole process group) stopped it. The start script execs tsx, which relays it.
    const run = start('npm');
    await started(run);
    const tree = processTree(run.proc.pid!);
    expect(tree).toContain(lockHolder().pid);
    process.kill(run.proc.pid!, 'SIGINT');
    await within(() => run.proc.exitCode !== null || run.proc.signalCode !== null, 60_000, () => `npm exited after its SIGINT; still running:\n${describeRunning(tree)}\n${run.lines.slice(-15).join('\n')}`);
    await within(() => !tree.some(running), 30_000, () => `the run's processes gone after npm's SIGINT; still running:\n${describeRunning(tree)}`);
    await within(allPortsFree, 30_000, 'every port free');
    expect(run.lines.some((l) => /\(SIGINT\): stopping every service/.test(l))).toBe(true);
    expect(existsSync(path.join(dataDir, LOCK_FILE))).toBe(false); // an orderly stop, not a crash
  }, 400_000);
});
