import { Worker } from 'node:worker_threads';

// A supervised process must not outlive its supervisor, however the supervisor goes away: SIGKILL,
// a crash, an out-of-memory kill. Signals cannot promise that (a killed process sends none), but
// the IPC channel the supervisor opens to each child can: the kernel closes it when the supervisor
// dies, and the child sees 'disconnect' at once.

/** Overrides the default stop deadline of supervised children (ms). */
export const STOP_DEADLINE_ENV = 'RIDERFLOW_STOP_DEADLINE_MS';
/** Below the 5 s a service may take to stop, with room for a busy machine to notice. */
export const DEFAULT_STOP_DEADLINE_MS = 3_500;
/** after the deadline, how long a blocked exit may take before the process is killed */
const HARD_STOP_GRACE_MS = 300;
/** the stop deadline once the supervisor is gone: nobody waits for an orderly stop any more */
export const ORPHAN_STOP_DEADLINE_MS = 2_000;

/** Calls `onGone` once when the parent that spawned this process with an IPC channel goes away. */
export function watchParent(onGone: () => void): boolean {
  const channel = process.channel;
  if (!channel) return false;
  process.once('disconnect', onGone);
  // Listening keeps the channel referenced, which would keep a finished one-shot step alive.
  channel.unref();
  return true;
}

/**
 * Once SIGTERM arrives, the process exits within `deadlineMs` even when its own shutdown hangs
 * (a client library waiting for a broker that is gone). A process with no SIGTERM handler of its
 * own exits at once, as it would have without this one.
 *
 * A timer on the main thread is not enough: an exit handler can block that thread for good (pino's
 * final synchronous flush retries a write to a closed pipe forever once the supervisor is gone), so
 * a worker thread, which runs on its own, SIGKILLs the process shortly after the deadline.
 */
export function enforceStopDeadline(deadlineMs: number, name: string): { arm: (ms: number) => void } {
  let armed = false;
  const arm = (ms: number) => {
    if (armed) return;
    armed = true;
    setTimeout(() => {
      process.stderr.write(`${name}: still stopping ${ms} ms after SIGTERM; exiting now\n`);
      process.exit(1);
    }, ms).unref();
    const watchdog = new Worker(
      `const { workerData } = require('node:worker_threads');
       setTimeout(() => process.kill(workerData.pid, 'SIGKILL'), workerData.ms);`,
      // execArgv: [] so the worker does not load tsx and this preload again
      { eval: true, execArgv: [], workerData: { pid: process.pid, ms: ms + HARD_STOP_GRACE_MS }, stdout: true, stderr: true },
    );
    watchdog.unref();
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
