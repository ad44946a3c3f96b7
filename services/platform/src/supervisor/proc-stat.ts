import { readFileSync } from 'node:fs';

/** What the supervisor reads of a process from /proc/<pid>/stat. */
export interface ProcStat {
  /** R, S, D, Z (zombie), X (dead), ... */
  state: string;
  ppid: number;
  /** process group: each service is the leader of its own (spawned detached) */
  pgrp: number;
  /** start time since boot, in clock ticks: tells a reused PID from the process first seen */
  startTicks: string;
}

/** null when the process has exited, or there is no /proc (not Linux). */
export function readProcStat(pid: number): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // after "pid (comm) " (comm may hold spaces and parentheses): state ppid ...; starttime is field 22
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0]!, ppid: Number(fields[1]), pgrp: Number(fields[2]), startTicks: fields[19]! };
  } catch {
    return null;
  }
}

/** A zombie (Z) or dead (X) process has exited: it runs nothing and holds nothing. */
export function hasExited(stat: ProcStat): boolean {
  return stat.state === 'Z' || stat.state === 'X';
}
