import { readFileSync, readdirSync } from 'node:fs';

// CPU and resident memory of a process (or a process tree) from /proc, sampled by the caller:
// the benchmark measures the processes it started without instrumenting them.

const TICKS_PER_S = 100; // USER_HZ: 100 on every Linux ABI Node supports

interface Raw { ticks: number; rssKb: number }

function readOne(pid: number): (Raw & { ppid: number }) | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // fields after "(comm)", which may itself contain spaces
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rss = /VmRSS:\s+(\d+) kB/.exec(status);
    return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]), rssKb: rss ? Number(rss[1]) : 0 };
  } catch {
    return null; // gone
  }
}

/** the process and all its descendants, summed */
function readTree(pid: number): Raw | null {
  const root = readOne(pid);
  if (!root) return null;
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const p = readOne(Number(name));
    if (!p) continue;
    const list = children.get(p.ppid) ?? [];
    list.push(Number(name));
    children.set(p.ppid, list);
  }
  let ticks = 0;
  let rssKb = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    const r = readOne(p);
    if (r) {
      ticks += r.ticks;
      rssKb += r.rssKb;
    }
    stack.push(...(children.get(p) ?? []));
  }
  return { ticks, rssKb };
}

export interface ProcSample { at: number; cpuPct: number; rssMb: number }

/** Samples one process (tree) over time: CPU % of one core between samples, RSS at each sample. */
export class ProcSampler {
  private last: { at: number; ticks: number } | null = null;
  readonly samples: ProcSample[] = [];

  constructor(readonly name: string, private readonly pid: number, private readonly tree = false) {}

  sample(now = Date.now()): void {
    const r = this.tree ? readTree(this.pid) : readOne(this.pid);
    if (!r) return;
    if (this.last && now > this.last.at) {
      const cpuPct = ((r.ticks - this.last.ticks) / TICKS_PER_S / ((now - this.last.at) / 1000)) * 100;
      this.samples.push({ at: now, cpuPct, rssMb: r.rssKb / 1024 });
    }
    this.last = { at: now, ticks: r.ticks };
  }

  /** drop samples before `from` (the warm-up) */
  since(from: number): ProcSample[] {
    return this.samples.filter((s) => s.at >= from);
  }
}

/** direct children of `parent` whose command name contains `name` */
export function childPidsNamed(parent: number, name: string): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent && comm.includes(name)) out.push(Number(entry));
    } catch {
      // gone
    }
  }
  return out;
}
