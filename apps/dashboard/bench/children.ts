import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

// Child processes for the benchmark: each part of the platform runs in its own Node process, so
// its CPU and memory are its own and can be measured apart from the others.

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface Child {
  name: string;
  proc: ChildProcess;
  /** last lines of output, for error messages */
  recent: string[];
  listeners: Set<(line: string) => void>;
}

/** Starts `node --import tsx <script>` from the repo root; every output line goes to the listeners. */
export function startChild(name: string, script: string, args: string[], env: Record<string, string>, nodeArgs: string[] = []): Child {
  const proc = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const child: Child = { name, proc, recent: [], listeners: new Set() };
  for (const stream of [proc.stdout!, proc.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => {
      child.recent.push(line);
      if (child.recent.length > 30) child.recent.shift();
      for (const l of child.listeners) l(line);
    });
  }
  return child;
}

/** Resolves with the first output line matching `match`; rejects on exit or timeout. */
export function waitForLine(child: Child, match: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const finish = () => {
      clearTimeout(timer);
      child.proc.off('exit', onExit);
      child.listeners.delete(onLine);
    };
    const onLine = (line: string) => {
      const m = match.exec(line);
      if (m) {
        finish();
        resolve(m);
      }
    };
    const onExit = (code: number | null) => {
      finish();
      reject(new Error(`${child.name} exited with ${code} before ${match}:\n${child.recent.join('\n')}`));
    };
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`${child.name}: timed out waiting for ${match}; last output:\n${child.recent.join('\n')}`));
    }, timeoutMs);
    child.listeners.add(onLine);
    child.proc.once('exit', onExit);
  });
}

/** SIGTERM, then SIGKILL after a grace period; resolves once the process has exited. */
export async function stopChild(child: Child | null, graceMs = 8_000): Promise<void> {
  const proc = child?.proc;
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  const t = setTimeout(() => proc.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(t);
}
