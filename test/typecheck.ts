import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// `npm run typecheck`: the four TypeScript projects (the Node code, contracts' browser-safe build,
// the dashboard server and the Next.js app, each with its own lib and module settings) checked
// side by side rather than one after another. tsc uses one core; on the 2-core CI machine this
// halves the minute the sequential chain took. Each project's output is printed whole, under its
// name, once it ends; the exit code is non-zero if any project fails.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// the longest first, so the last to start is a short one
const PROJECTS = ['tsconfig.json', 'apps/dashboard/server/tsconfig.json', 'apps/dashboard/tsconfig.json', 'packages/contracts/tsconfig.json'];
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');

function check(project: string): Promise<{ project: string; code: number; output: string; seconds: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsc, '-p', project, '--noEmit'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d));
    child.stderr.on('data', (d: Buffer) => (output += d));
    child.on('error', (err) => resolve({ project, code: 1, output: `${output}cannot run tsc: ${err.message}\n`, seconds: 0 }));
    child.on('close', (code) => resolve({ project, code: code ?? 1, output, seconds: (Date.now() - started) / 1000 }));
  });
}

const width = Math.max(1, Math.min(PROJECTS.length, os.availableParallelism()));
const queue = [...PROJECTS];
let failed = 0;
await Promise.all(
  Array.from({ length: width }, async () => {
    for (let project = queue.shift(); project !== undefined; project = queue.shift()) {
      const r = await check(project);
      if (r.code !== 0) failed++;
      process.stdout.write(`typecheck ${r.project}: ${r.code === 0 ? 'ok' : 'FAILED'} (${r.seconds.toFixed(1)} s)\n${r.output}`);
    }
  }),
);
if (failed > 0) {
  process.stderr.write(`typecheck: ${failed} of ${PROJECTS.length} projects failed\n`);
  process.exit(1);
}
