import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

// The pages are built once (`next build`) and served in production mode. A build is made when
// none exists or a source is newer than it; a lock keeps two processes (the platform and a test,
// two test files) from building into the same folder at once. The build runs as a child process
// without blocking this one, so the dashboard's consumer keeps reading the log (and answering its
// group's heartbeats) meanwhile; stopping the dashboard stops the build.

const SOURCES = ['app', 'components', 'lib', 'next.config.ts'];

function newestMtime(p: string): number {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(p).reduce((m, name) => Math.max(m, newestMtime(path.join(p, name))), st.mtimeMs);
}

export function buildIsFresh(appDir: string): boolean {
  const id = path.join(appDir, '.next', 'BUILD_ID');
  if (!existsSync(id)) return false;
  const built = statSync(id).mtimeMs;
  return SOURCES.every((s) => newestMtime(path.join(appDir, s)) <= built);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Runs `next build`; resolves on success, rejects on failure or when `signal` aborts (the build is then killed). */
function runNextBuild(appDir: string, signal?: AbortSignal): Promise<void> {
  const nextBin = path.join(path.dirname(createRequire(import.meta.url).resolve('next/package.json')), 'dist/bin/next');
  // Telemetry off: no network call and no notice on every first start.
  const child = spawn(process.execPath, [nextBin, 'build', appDir], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' }, signal, killSignal: 'SIGKILL' });
  // Whatever ends this process (a signal handler's exit, an uncaught error) ends the build with it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  return new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, sig) => {
      process.off('exit', killOnExit);
      if (code === 0) resolve();
      else reject(new Error(signal?.aborted ? 'next build stopped' : `next build failed (${sig ?? `code ${code}`})`));
    });
  });
}

/** Builds the pages unless a fresh build exists; waits for a build another process is making. */
export async function ensureBuilt(appDir: string, log: (msg: string) => void = () => {}, timeoutMs = 10 * 60_000, signal?: AbortSignal): Promise<void> {
  const lock = path.join(appDir, '.next-build.lock');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (buildIsFresh(appDir)) return;
    signal?.throwIfAborted();
    try {
      mkdirSync(lock);
    } catch {
      const owner = Number(readFileSync(path.join(lock, 'pid'), { encoding: 'utf8', flag: 'a+' }) || 0);
      if (owner && !alive(owner)) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`gave up waiting for the dashboard build lock ${lock}`);
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    try {
      writeFileSync(path.join(lock, 'pid'), String(process.pid));
      if (buildIsFresh(appDir)) return;
      log('building the dashboard pages (first start, or the pages changed)');
      const started = Date.now();
      await runNextBuild(appDir, signal);
      log(`dashboard pages built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}
