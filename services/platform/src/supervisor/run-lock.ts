import { hasExited, readProcStat } from './proc-stat.js';
import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

// One `npm start` per data directory. The lock names the supervisor and the processes it started,
// so a second start can say who holds it, and a start after a crash can take over the lock and
// make sure nothing of the previous run still holds a port or a data directory.

export const LOCK_FILE = 'riderflow.lock';

interface LockContent { pid: number; startedAt: string; children: number[] }

export class RunLockHeld extends Error {
  constructor(readonly pid: number, dataDir: string) {
    super(`riderflow is already running on ${dataDir} (PID ${pid}); stop it with Ctrl-C in its terminal or \`kill ${pid}\`, or use another DATA_DIR`);
  }
}

export interface RunLock {
  file: string;
  /** records the PIDs of the running children (for a later start to clean up after a crash) */
  recordChildren(pids: number[]): void;
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether `pid` is a live process started from this checkout (its command line names `marker`). */
function aliveAndOurs(pid: number, marker: string): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
  } catch {
    return true; // no /proc: a live PID has to be taken at its word
  }
}

/** Whether `pid` has not exited yet (a zombie nobody reaped holds nothing, so it counts as exited). */
function notExited(pid: number): boolean {
  const stat = readProcStat(pid);
  return stat ? !hasExited(stat) : alive(pid);
}

function readLock(file: string): LockContent | null {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockContent>;
    return { pid: Number(v.pid), startedAt: String(v.startedAt ?? ''), children: Array.isArray(v.children) ? v.children.map(Number) : [] };
  } catch {
    return null;
  }
}

/**
 * Takes the data directory's lock, or throws RunLockHeld when a live supervisor has it. A lock left
 * by a process that no longer exists is taken over with one line through `say`; processes of that
 * run still alive (orphans of an older version, or still stopping) are stopped first.
 */
export async function acquireRunLock(dataDir: string, say: (line: string) => void, options: { supervisorMarker?: string; childMarker?: string } = {}): Promise<RunLock> {
  const file = path.join(dataDir, LOCK_FILE);
  const supervisorMarker = options.supervisorMarker ?? 'platform/src/main.ts';
  const childMarker = options.childMarker ?? 'child-preload.ts';
  let content: LockContent = { pid: process.pid, startedAt: new Date().toISOString(), children: [] };
  for (let attempt = 0; ; attempt++) {
    // Written aside and linked into place: the lock appears complete or not at all, and only once.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(content) + '\n');
    try {
      linkSync(tmp, file);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2) throw err;
    } finally {
      rmSync(tmp, { force: true });
    }
    const held = readLock(file);
    if (held && aliveAndOurs(held.pid, supervisorMarker)) throw new RunLockHeld(held.pid, dataDir);
    const leftovers = (held?.children ?? []).filter((pid) => aliveAndOurs(pid, childMarker));
    say(`taking over ${file}: its run (PID ${held?.pid ?? 'unknown'}) is no longer running` + (leftovers.length ? `; stopping ${leftovers.length} of its processes still alive (${leftovers.join(', ')})` : ''));
    // Wait on the process itself, not on its command line: an exiting process has an empty
    // cmdline a moment before it is a zombie, and it still holds its ports and files then.
    await stopAll(leftovers, notExited);
    rmSync(file, { force: true });
  }
  return {
    file,
    recordChildren(pids) {
      content = { ...content, children: pids };
      try {
        // replaced whole (rename is atomic): a second start never reads a half-written lock
        const tmp = `${file}.${process.pid}.tmp`;
        writeFileSync(tmp, JSON.stringify(content) + '\n');
        renameSync(tmp, file);
      } catch {
        // the lock only helps a later start tidy up; never fail the running platform for it
      }
    },
    release() {
      const held = readLock(file);
      if (held?.pid === process.pid) rmSync(file, { force: true });
    },
  };
}

/** SIGTERM, then SIGKILL after 6 s; gives up waiting after 8 s (a process nobody reaps stays a zombie). */
async function stopAll(pids: number[], running: (pid: number) => boolean): Promise<void> {
  const signal = (pid: number, sig: NodeJS.Signals) => {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  };
  for (const pid of pids) signal(pid, 'SIGTERM');
  const started = Date.now();
  while (pids.some(running) && Date.now() - started < 6_000) await sleep(100);
  for (const pid of pids.filter(running)) signal(pid, 'SIGKILL');
  while (pids.some(running) && Date.now() - started < 8_000) await sleep(50);
}
