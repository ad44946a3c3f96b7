import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import readline from 'node:readline';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../../../..');
export const mainScript = path.resolve(here, '../../src/main.ts');

export interface ChildBroker {
  child: ChildProcess;
  port: number;
  httpPort?: number;
  brokers: string;
  /** stdout lines seen so far (pino JSON) */
  lines: string[];
  exited: Promise<number | null>;
}

/**
 * Run `src/main.ts` in its own node process (node --import tsx, not npx, so a signal reaches the
 * broker itself) and wait for its "streamlog listening" log line to learn the bound port.
 */
export async function startChildBroker(args: string[], timeoutMs = 90_000, fdLimit?: number): Promise<ChildBroker> {
  const nodeArgs = ['--import', 'tsx', mainScript, '--port', '0', ...args];
  // with a file-descriptor limit, a shell lowers it and then becomes the broker (exec), so signals still reach it
  const [cmd, argv] = fdLimit
    ? ['/bin/sh', ['-c', `ulimit -n ${fdLimit} && exec "$0" "$@"`, process.execPath, ...nodeArgs]]
    : [process.execPath, nodeArgs];
  const child = spawn(cmd, argv as string[], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'info' },
  });
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const rl = readline.createInterface({ input: child.stdout! });
  return new Promise<ChildBroker>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`broker did not start: ${stderr}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`broker exited with ${code}: ${stderr}`));
    });
    rl.on('line', (line) => {
      lines.push(line);
      try {
        const msg = JSON.parse(line) as { msg?: string; brokers?: string; port?: number; httpPort?: number };
        if (msg.msg === 'ready' && msg.brokers) {
          clearTimeout(timer);
          const port = Number(msg.brokers.split(':').pop());
          resolve({ child, port, httpPort: msg.httpPort, brokers: msg.brokers, lines, exited });
        }
      } catch {
        // not JSON: ignore
      }
    });
  });
}
