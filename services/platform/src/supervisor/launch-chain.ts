import { readFileSync } from 'node:fs';
import { hasExited, readProcStat } from './proc-stat.js';

// The supervisor's one watch on the processes that launched it, so that nothing it started
// outlives them being killed. The rule: **the platform stops when a process that launched it is
// gone**: its parent, and, when `npm start` started it, every process up to npm (npm → tsx's
// wrapper → the supervisor, since the start script execs tsx; a script without exec adds npm's
// `sh -c`). A SIGKILL of npm (the PID a terminal, `ps` or a process manager shows for `npm start`)
// kills none of the others by itself: the wrapper (and a shell) are re-parented
// and would keep the platform running, holding its ports. A process counts as gone when it exited,
// when its PID now names another process (another start time: a reused PID), or, below npm, when
// its parent changed (the link above it died). npm's own parent is not watched: `nohup npm start &`
// from a terminal that is then closed re-parents npm, and the platform keeps running then.

/** One process of the chain as first seen: a PID reused by a later process has another start time. */
export interface Link {
  pid: number;
  ppid: number;
  startTicks: string;
  /** npm itself: only its existence is watched, not its parent */
  top: boolean;
  /** what it was, for the line that says why the platform stops ("npm start", "sh", "node") */
  name: string;
}

function commandName(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return 'process';
  }
}

function isNpm(pid: number): boolean {
  try {
    // npm renames itself ("npm start", one word with spaces); node running npm-cli.js before that
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return argv.slice(0, 2).some((a) => /(^|\/)npm(-cli\.js)?( |$)/.test(a));
  } catch {
    return false;
  }
}

/**
 * The processes between this one and the `npm` that started it (both ends: this process's parent
 * up to npm), or [] when this process was not started by `npm run`/`npm start` within `maxDepth`
 * links or /proc cannot tell.
 */
export function npmLaunchChain(maxDepth = 5): Link[] {
  if (!process.env.npm_lifecycle_event) return [];
  const links: Link[] = [];
  let pid = process.ppid;
  for (let depth = 0; depth < maxDepth && pid > 1; depth++) {
    const s = readProcStat(pid);
    if (!s) return [];
    const top = isNpm(pid);
    links.push({ pid, ppid: s.ppid, startTicks: s.startTicks, top, name: top ? 'npm start' : commandName(pid) });
    if (top) return links;
    pid = s.ppid;
  }
  return [];
}

/** Which link broke, in words ("npm start (PID 123) exited"), or null while the chain is whole. */
export function brokenLink(links: readonly Link[]): string | null {
  // from npm down: the highest link that broke is what was killed (below it, links are re-parented)
  for (const link of [...links].reverse()) {
    const now = readProcStat(link.pid);
    const what = link.top ? `${link.name} (PID ${link.pid})` : `${link.name} (PID ${link.pid}, between npm start and the platform)`;
    // a zombie has exited too; a PID that now names a later process (another start time) is gone
    if (!now || hasExited(now) || now.startTicks !== link.startTicks) return `${what} exited`;
    if (!link.top && now.ppid !== link.ppid) return `the process above ${what} exited`;
  }
  return null;
}

/**
 * Calls `onGone` once, with why in words, when a process that launched this one is gone (the rule
 * above). The parent is also checked by `process.ppid`, which needs no /proc: where /proc cannot
 * tell (not Linux), the rule is the parent's alone.
 */
export function watchLaunchChain(onGone: (why: string) => void, intervalMs = 500): { stop(): void } {
  const parent = process.ppid;
  const links = npmLaunchChain();
  const timer = setInterval(() => {
    const why = process.ppid !== parent ? `the process that started the platform (PID ${parent}) exited` : brokenLink(links);
    if (why === null) return;
    clearInterval(timer);
    onGone(why);
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
