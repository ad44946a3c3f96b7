import { Worker } from 'node:worker_threads';

// A supervised process must not outlive its supervisor, however the supervisor goes away: SIGKILL,
// a crash, an out-of-memory kill. Signals cannot promise that (a killed process sends none), but
// the IPC channel the supervisor opens to each child can: the kernel closes it when the supervisor
// dies, and the child sees 'disconnect' at once.

/** The supervisor's PID, given to each child: a different parent PID means the supervisor is gone. */
export const SUPERVISOR_PID_ENV = 'RIDERFLOW_SUPERVISOR_PID';
/** Overrides the default stop deadline of supervised children (ms). */
export const STOP_DEADLINE_ENV = 'RIDERFLOW_STOP_DEADLINE_MS';
/** Below the 5 s a service may take to stop, with room for a busy machine to notice. */
export const DEFAULT_STOP_DEADLINE_MS = 3_500;
/** after the deadline, how long a blocked exit may take before the process is killed */
const HARD_STOP_GRACE_MS = 300;
/** the stop deadline once the supervisor is gone: nobody waits for an orderly stop any more */
export const ORPHAN_STOP_DEADLINE_MS = 1_500;

/** Calls `onGone` once when the parent that spawned this process with an IPC channel goes away. */
export function watchParent(onGone: () => void): boolean {
  const channel = process.channel;
  if (!channel) return false;
  process.once('disconnect', onGone);
  // Listening keeps the channel referenced, which would keep a finished one-shot step alive.
  channel.unref();
  return true;
}

// Runs on its own thread, so neither a busy nor a blocked main thread can stop it: it notices the
// parent's death by the process being re-parented, and SIGKILLs the process when a deadline passes.
const WATCHDOG = `
const { parentPort, workerData } = require('node:worker_threads');
const { pid, ppid, orphanMs } = workerData;
let timer = null;
const killAfter = (ms) => { if (!timer) timer = setTimeout(() => process.kill(pid, 'SIGKILL'), ms); };
parentPort.on('message', (ms) => killAfter(ms));
if (ppid !== null) {
  const check = () => {
    if (process.ppid === ppid) return;
    clearInterval(poll);
    parentPort.postMessage('parent-gone');
    killAfter(orphanMs);
  };
  const poll = setInterval(check, 200);
  check(); // gone before this process even got here
}
`;

/**
 * Once SIGTERM arrives, the process exits within `deadlineMs` even when its own shutdown hangs
 * (a client library waiting for a broker that is gone). A process with no SIGTERM handler of its
 * own exits at once, as it would have without this one.
 *
 * A timer on the main thread is not enough: an exit handler can block that thread for good (pino's
 * final synchronous flush retries a write to a closed pipe forever once the supervisor is gone), so
 * a watchdog thread SIGKILLs the process shortly after the deadline. With `orphan`, the
 * watchdog also notices the parent's death by itself (calling `onParentGone` on the main thread
 * when it can, and killing the process after `orphanDeadlineMs` in any case).
 */
export function enforceStopDeadline(
  deadlineMs: number,
  name: string,
  orphan?: { orphanDeadlineMs: number; onParentGone: () => void; parentPid: number },
): { arm: (ms: number) => void } {
  const watchdog = new Worker(WATCHDOG, {
    eval: true,
    // so the thread does not load tsx and this preload again
    execArgv: [],
    workerData: { pid: process.pid, ppid: orphan ? orphan.parentPid : null, orphanMs: (orphan?.orphanDeadlineMs ?? 0) + HARD_STOP_GRACE_MS },
    stdout: true,
    stderr: true,
  });
  if (orphan) watchdog.on('message', () => orphan.onParentGone());
  // After adding the listener (which refs it): the watchdog never keeps a finished process alive.
  watchdog.unref();
  let armed = false;
  const arm = (ms: number) => {
    if (armed) return;
    armed = true;
    watchdog.postMessage(ms + HARD_STOP_GRACE_MS);
    setTimeout(() => {
      process.stderr.write(`${name}: still stopping ${ms} ms after SIGTERM; exiting now\n`);
      process.exit(1);
    }, ms).unref();
  };
  process.on('SIGTERM', () => {
    if (process.listenerCount('SIGTERM') === 1) process.exit(143);
    arm(deadlineMs);
  });
  return { arm };
}

/** After the supervisor is gone nobody reads our output: writing must not crash the shutdown. */
export function ignoreBrokenPipes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
    });
  }
}
