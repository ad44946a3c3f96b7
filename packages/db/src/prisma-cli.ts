import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { GENERATED_DIR, PRISMA_CONFIG, REPO_ROOT } from './paths.js';

const require = createRequire(import.meta.url);

/**
 * Prisma 6's CLI looks for its native query and schema engines before doing anything and tries
 * to download them when absent. We never run them (generate, migrate diff and migrate deploy go
 * through the WebAssembly engines with driver adapters), so we point both variables at a stub
 * that refuses to run. On a machine with internet this also saves a pointless download; a user
 * who wants the native engines sets the variables themselves.
 */
export function engineFreeEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const stub = path.join(GENERATED_DIR, 'no-native-engine.sh');
  if (!fs.existsSync(stub)) {
    fs.mkdirSync(GENERATED_DIR, { recursive: true });
    fs.writeFileSync(stub, '#!/bin/sh\necho "riderflow uses Prisma\'s WebAssembly engines; no native engine is installed" >&2\nexit 1\n', { mode: 0o755 });
  }
  return {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? stub,
    PRISMA_QUERY_ENGINE_LIBRARY: process.env.PRISMA_QUERY_ENGINE_LIBRARY ?? stub,
    CHECKPOINT_DISABLE: '1',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    ...extra,
  };
}

export interface CliResult { code: number; stdout: string; stderr: string }

/** Runs the Prisma CLI of node_modules in the repository root; rejects with its output when it fails. */
export async function runPrismaCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const cli = require.resolve('prisma/build/index.js');
  // The config lives in packages/db, not in the directory the CLI runs in (the repository root,
  // against which relative SQLite URLs resolve), so it is always named.
  if (!args.includes('--config')) args = [...args, '--config', PRISMA_CONFIG];
  return await new Promise((resolve, reject) => {
    const preload = new URL('./unref-long-timers.cjs', import.meta.url).pathname;
    const child = spawn(process.execPath, ['--require', preload, cli, ...args], { cwd: REPO_ROOT, env: engineFreeEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const result = { code: code ?? 1, stdout, stderr };
      if (result.code === 0) resolve(result);
      else reject(new Error(`prisma ${args.join(' ')} failed (${result.code}):\n${stderr}\n${stdout}`));
    });
  });
}
