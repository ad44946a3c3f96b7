import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brokenLink } from '../src/supervisor/launch-chain.js';
import { readProcStat } from '../src/supervisor/proc-stat.js';
import { within } from './process-helpers.js';

// The supervisor's one watch on the processes that launched it (src/supervisor/launch-chain.ts),
// on a stand-in for the supervisor (fixtures/launch-chain-watch.ts) under a stand-in for
// `npm start`: a shell whose argv[0] is "npm" (as npm's is), then two shells (npm's `sh -c` and
// tsx's wrapper), then the watcher. The whole-platform runs of the same kills are in
// platform-lifecycle.test.ts; these take seconds, not minutes.

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const FIXTURE = 'services/platform/test/fixtures/launch-chain-watch.ts';
const WATCHER = `${process.execPath} --import tsx ${FIXTURE}`;

interface Chain { proc: ChildProcess; lines: string[]; links: number[] }
const started: ChildProcess[] = [];

function env(npm: boolean): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, WATCH_INTERVAL_MS: '50' };
  // vitest run by `npm test` inherits npm's variables: the stand-in sets its own or none
  delete e.npm_lifecycle_event;
  if (npm) e.npm_lifecycle_event = 'start';
  return e;
}

/** `cmd args` in its own process group, its output (and its descendants') read line by line */
async function launch(cmd: string, args: string[], options: { argv0?: string; npm: boolean }): Promise<Chain> {
  const proc = spawn(cmd, args, { cwd: rootDir, env: env(options.npm), argv0: options.argv0, detached: true, stdio: ['ignore', 'pipe', 'inherit'] });
  started.push(proc);
  const chain: Chain = { proc, lines: [], links: [] };
  createInterface({ input: proc.stdout! }).on('line', (l) => chain.lines.push(l));
  await within(() => chain.lines.some((l) => l.startsWith('watching ')), 60_000, () => `the watcher started; it printed: ${chain.lines.join(' | ')}`);
  chain.links = JSON.parse(chain.lines.find((l) => l.startsWith('watching '))!.slice('watching '.length)) as number[];
  return chain;
}

/** npm → sh -c → sh -c → the watcher, as `npm start` runs the supervisor */
const npmChain = () => launch('sh', ['-c', `sh -c "sh -c '${WATCHER}; :'; :"; :`], { argv0: 'npm', npm: true });

const gone = (chain: Chain) => chain.lines.find((l) => l.startsWith('gone: '));
const beats = (chain: Chain) => chain.lines.filter((l) => l === 'beat').length;

afterEach(() => {
  for (const p of started.splice(0)) {
    try {
      process.kill(-p.pid!, 'SIGKILL');
    } catch {
      // group gone
    }
  }
});

describe('the supervisor stops when a process that launched it is gone', () => {
  it('SIGKILL of npm (the PID `npm start` shows) is seen, naming npm', async () => {
    const chain = await npmChain();
    expect(chain.links).toHaveLength(3);
    expect(chain.links[2]).toBe(chain.proc.pid);
    process.kill(chain.proc.pid!, 'SIGKILL');
    await within(() => gone(chain) !== undefined, 30_000, 'the watcher saw npm gone');
    expect(gone(chain)).toBe(`gone: npm start (PID ${chain.proc.pid}) exited`);
  }, 120_000);

  it('SIGKILL of a shell between npm and the supervisor is seen', async () => {
    // an npm that outlives its script's shell, so the shell is what the watcher sees gone
    const chain = await launch('sh', ['-c', `sh -c "sh -c '${WATCHER}; :'; :"; sleep 600`], { argv0: 'npm', npm: true });
    const [, middle] = chain.links;
    process.kill(middle!, 'SIGKILL');
    await within(() => gone(chain) !== undefined, 30_000, 'the watcher saw the shell gone');
    expect(gone(chain)).toBe(`gone: sh (PID ${middle}, between npm start and the platform) exited`);
  }, 120_000);

  it('SIGKILL of the supervisor\'s own parent is seen, with or without npm', async () => {
    const chain = await launch('sh', ['-c', `${WATCHER}; :`], { npm: false });
    expect(chain.links).toEqual([]);
    process.kill(chain.proc.pid!, 'SIGKILL');
    await within(() => gone(chain) !== undefined, 30_000, 'the watcher saw its parent gone');
    expect(gone(chain)).toBe(`gone: the process that started the platform (PID ${chain.proc.pid}) exited`);
  }, 120_000);

  it('`nohup npm start &` survives the terminal that started it: npm re-parented is not npm gone', async () => {
    // a terminal (bash) that started npm in the background, then is closed (killed)
    const chain = await launch('bash', ['-c', `(exec -a npm sh -c "sh -c \\"sh -c '${WATCHER}; :'; :\\"; :") & wait`], { npm: true });
    const npm = chain.links[2]!;
    expect(readProcStat(npm)?.ppid).toBe(chain.proc.pid);
    process.kill(chain.proc.pid!, 'SIGKILL');
    await within(() => readProcStat(npm)?.ppid !== chain.proc.pid, 30_000, 'npm re-parented');
    // the watcher checks every 50 ms, as often as it beats: ten beats after, it has looked
    const from = beats(chain);
    await within(() => beats(chain) >= from + 10, 30_000, 'ten more beats');
    expect(gone(chain)).toBeUndefined();
    process.kill(npm, 'SIGKILL');
    await within(() => gone(chain) !== undefined, 30_000, 'the watcher saw npm gone');
    expect(gone(chain)).toBe(`gone: npm start (PID ${npm}) exited`);
  }, 120_000);

  it('a PID now naming another process (another start time) counts as gone; a live link as whole', () => {
    const me = readProcStat(process.pid)!;
    const link = { pid: process.pid, ppid: me.ppid, startTicks: me.startTicks, top: false, name: 'node' };
    expect(brokenLink([link])).toBeNull();
    expect(brokenLink([{ ...link, top: true, name: 'npm start', startTicks: String(Number(me.startTicks) - 1) }])).toBe(`npm start (PID ${process.pid}) exited`);
    expect(brokenLink([{ ...link, ppid: me.ppid + 1 }])).toBe(`the process above node (PID ${process.pid}, between npm start and the platform) exited`);
    // npm's own parent may change (nohup): only its existence counts
    expect(brokenLink([{ ...link, top: true, ppid: me.ppid + 1 }])).toBeNull();
    expect(readFileSync(`/proc/${process.pid}/stat`, 'utf8')).toContain(`(${readFileSync(`/proc/${process.pid}/comm`, 'utf8').trim()})`);
  });
});
