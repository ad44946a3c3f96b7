import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Debian's Python, where python3-kafka and python3-confluent-kafka live (.ci/run installs them) */
export const PYTHON = '/usr/bin/python3';
const clientsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../clients');

export function hasPythonModule(module: string): boolean {
  if (!fs.existsSync(PYTHON)) return false;
  try {
    execFileSync(PYTHON, ['-c', `import ${module}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** run test/clients/<script> with args; resolves with its stdout parsed as JSON, rejects with its stderr */
export function runPythonClient<T>(script: string, args: string[], timeoutMs = 90_000): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile(PYTHON, [path.join(clientsDir, script), ...args], { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${script} failed: ${err.message}\n${stderr.slice(-4000)}`));
      try {
        resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '') as T);
      } catch {
        reject(new Error(`${script} printed no JSON:\n${stdout.slice(-2000)}\n${stderr.slice(-2000)}`));
      }
    });
  });
}
