import { readdirSync, readFileSync } from 'node:fs';

/** The processes whose parent is `pid` and whose command line runs the lab CLI (read from /proc). */
export function labChildrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid && readFileSync(`/proc/${d}/cmdline`, 'utf8').includes('apps/lab/src/main.ts')) out.push(Number(d));
    } catch { /* gone meanwhile */ }
  }
  return out;
}
