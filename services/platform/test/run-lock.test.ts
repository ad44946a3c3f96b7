import { describe, it, expect, afterEach } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { acquireRunLock, LOCK_FILE, RunLockHeld } from '../src/supervisor/run-lock.js';
import { permanentFailureIn, isBelowError } from '../src/supervisor/permanent-failure.js';
import { running, within } from './process-helpers.js';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
// This test process's own command line names vitest: a lock held by "a vitest" counts as live.
const selfMarker = 'vitest';

describe('the data directory lock', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const tmp = () => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'rf-lock-'));
    dirs.push(d);
    return d;
  };

  it('refuses a second run while the first lives, naming its PID and how to stop it', async () => {
    const dir = tmp();
    const notices: string[] = [];
    const lock = await acquireRunLock(dir, (l) => notices.push(l), { supervisorMarker: selfMarker });
    const before = readFileSync(path.join(dir, LOCK_FILE), 'utf8');
    const second = acquireRunLock(dir, (l) => notices.push(l), { supervisorMarker: selfMarker });
    await expect(second).rejects.toBeInstanceOf(RunLockHeld);
    await expect(second).rejects.toThrow(`riderflow is already running on ${dir} (PID ${process.pid}); stop it with Ctrl-C in its terminal or \`kill ${process.pid}\``);
    expect(readFileSync(path.join(dir, LOCK_FILE), 'utf8')).toBe(before); // the running one is undisturbed
    expect(notices).toEqual([]);
    lock.release();
    expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });

  it('takes over a lock whose run is gone, with one line, and stops that run\'s leftover processes', async () => {
    const dir = tmp();
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const leftover = spawn(process.execPath, ['--import', 'tsx', 'services/platform/test/fixtures/sleeper.ts'], { cwd: rootDir, stdio: 'ignore' });
    await within(() => running(leftover.pid!), 10_000, 'leftover up');
    writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: dead, startedAt: 'earlier', children: [leftover.pid, dead] }));
    const notices: string[] = [];
    const lock = await acquireRunLock(dir, (l) => notices.push(l), { supervisorMarker: selfMarker, childMarker: 'sleeper.ts' });
    expect(notices).toEqual([`taking over ${path.join(dir, LOCK_FILE)}: its run (PID ${dead}) is no longer running; stopping 1 of its processes still alive (${leftover.pid})`]);
    expect(running(leftover.pid!)).toBe(false);
    lock.recordChildren([11, 12]);
    expect(JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, children: [11, 12] });
    lock.release();
  });

  it('takes over a lock whose PID now belongs to an unrelated process', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: process.pid, startedAt: 'earlier', children: [] }));
    const notices: string[] = [];
    const lock = await acquireRunLock(dir, (l) => notices.push(l), { supervisorMarker: 'platform/src/main.ts' });
    expect(notices).toHaveLength(1);
    lock.release();
  });
});

describe('failures no restart fixes', () => {
  it('are recognised in a service\'s error output, and only there', () => {
    expect(permanentFailureIn('{"level":60,"err":{"message":"data directory /d/streamlog is in use by process 4810 (remove /d/streamlog/.lock if that is wrong)"}}')).toBe('data directory /d/streamlog is in use by process 4810');
    expect(permanentFailureIn('{"level":60,"err":{"message":"listen EADDRINUSE: address already in use 127.0.0.1:9092"}}')).toBe('port 9092 is already in use');
    expect(permanentFailureIn('Error: listen EADDRINUSE: address already in use :::3000')).toBe('port 3000 is already in use');
    expect(permanentFailureIn('{"level":50,"msg":"connection refused"}')).toBeNull();
    expect(isBelowError('{"level":40,"msg":"no /metrics (EADDRINUSE 9401)"}')).toBe(true);
    expect(isBelowError('{"level":60,"msg":"x"}')).toBe(false);
    expect(isBelowError('Error: listen EADDRINUSE')).toBe(false);
  });
});
