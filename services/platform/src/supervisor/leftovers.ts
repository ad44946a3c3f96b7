import { readdirSync } from 'node:fs';
import { hasExited, readProcStat } from './proc-stat.js';

// What is still running of a run after it stopped, so the last line can say "nothing is left
// running" only when it is true. Each service runs in its own process group (spawned detached),
// with whatever it started itself (esbuild's helper, a Python client): a group with a live
// process left is something of this run still running. A zombie holds nothing and does not count
// (where PID 1 does not reap, orphans stay zombies for good).

/** PIDs of live processes in the given process groups (read from /proc; [] where there is none) */
export function liveInGroups(groups: ReadonlySet<number>): number[] {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  const live: number[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const s = readProcStat(Number(name));
    if (s && groups.has(s.pgrp) && !hasExited(s)) live.push(Number(name));
  }
  return live.sort((a, b) => a - b);
}

/** polls until no process of `groups` is alive or `ms` passed; what is still alive then */
export async function waitForGroupsGone(groups: ReadonlySet<number>, ms: number): Promise<number[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const live = liveInGroups(groups);
    if (live.length === 0 || Date.now() >= deadline) return live;
    await new Promise((r) => setTimeout(r, 50));
  }
}
