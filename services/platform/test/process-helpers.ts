import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

// Process and port checks shared by the platform's lifecycle tests.

/** A process that exited (a zombie nobody reaped yet counts as exited: it holds nothing). */
export function running(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
}

/** Polls until `check` holds; resolves with the milliseconds it took, rejects after `ms`. */
export async function within(check: () => boolean | Promise<boolean>, ms: number, what: string | (() => string)): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > ms) throw new Error(`${typeof what === 'string' ? what : what()}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Ports free right now on 127.0.0.1 (bound and released, so nothing else holds them). */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => resolve(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** Whether something listens on the port (a free port can be bound by us). */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** "pid state command" of the processes still running, for a failure message. */
export function describeRunning(pids: number[]): string {
  return pids.filter(running).map((pid) => {
    try {
      return `${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').slice(0, 160)}`;
    } catch {
      return String(pid);
    }
  }).join('\n');
}
