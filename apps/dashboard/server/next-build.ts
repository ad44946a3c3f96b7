import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

// The pages are built once (`next build`) and served in production mode. A build is made when
// none exists or a source is newer than it; a lock keeps two processes (the platform and a test,
// two test files) from building into the same folder at once.

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

/** Builds the pages unless a fresh build exists; waits for a build another process is making. */
export async function ensureBuilt(appDir: string, log: (msg: string) => void = () => {}, timeoutMs = 10 * 60_000): Promise<void> {
  const lock = path.join(appDir, '.next-build.lock');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (buildIsFresh(appDir)) return;
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
      const nextBin = path.join(path.dirname(createRequire(import.meta.url).resolve('next/package.json')), 'dist/bin/next');
      const started = Date.now();
      // Telemetry off: no network call and no notice on every first start.
      const built = spawnSync(process.execPath, [nextBin, 'build', appDir], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
      if (built.status !== 0) throw new Error('next build failed');
      log(`dashboard pages built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}
