import { readFileSync } from 'node:fs';
import { readProcStat } from './proc-stat.js';

// `npm start` runs the supervisor three processes down: npm → sh -c → tsx's wrapper → node. A
// SIGKILL of npm (the PID a terminal, `ps` or a process manager shows for `npm start`) kills none of
// them: sh and the wrapper are re-parented and keep running, the supervisor's own parent is
// unchanged, and the whole platform is left behind holding its ports. So the supervisor watches
// every link of the chain up to the npm process: a link that is gone, or whose parent changed,
// means the chain above it died. npm's own parent is not watched: `nohup npm start &` from a
// terminal that is then closed re-parents npm, and the platform should keep running then.

/** One process of the chain as first seen: a PID reused by a later process has another start time. */
interface Link {
  pid: number;
  ppid: number;
  startTicks: string;
  /** npm itself: only its existence is watched, not its parent */
  top: boolean;
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
    links.push({ pid, ppid: s.ppid, startTicks: s.startTicks, top });
    if (top) return links;
    pid = s.ppid;
  }
  return [];
}

/** Which link broke, in words, or null while the chain is whole. */
export function brokenLink(links: readonly Link[]): string | null {
  for (const link of links) {
    const now = readProcStat(link.pid);
    if (!now || now.startTicks !== link.startTicks) return `${link.top ? 'npm' : 'process'} ${link.pid} is gone`;
    if (!link.top && now.ppid !== link.ppid) return `the parent of process ${link.pid} (${link.ppid}) is gone`;
  }
  return null;
}

/** Calls `onGone` once when a process of the `npm start` chain above this one dies. */
export function watchNpmLaunchChain(onGone: (why: string) => void, intervalMs = 500): boolean {
  const links = npmLaunchChain();
  if (links.length === 0) return false;
  const timer = setInterval(() => {
    const why = brokenLink(links);
    if (why === null) return;
    clearInterval(timer);
    onGone(why);
  }, intervalMs);
  timer.unref();
  return true;
}
