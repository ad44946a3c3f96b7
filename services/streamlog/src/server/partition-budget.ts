import fs from 'node:fs';

/**
 * Descriptors one partition holds open: its active segment only. Sealed segments give theirs back
 * and reopen their file for the length of a read; index, snapshot and checkpoint files are opened
 * and closed within one synchronous call, so at most a few are open at a time process-wide (the
 * reserve below covers them).
 */
const FDS_PER_PARTITION = 1;

/** the soft RLIMIT_NOFILE of this process (Linux /proc), or null where it cannot be read */
export function openFileLimit(): number | null {
  try {
    const line = fs.readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    if (!soft || soft === 'unlimited') return null;
    const n = Number(soft);
    return Number.isSafeInteger(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}

/**
 * The most partitions this broker will hold in total: what the file-descriptor limit allows after
 * keeping a quarter of it (at least 64) for connections and the data dir's own files.
 */
export function defaultPartitionBudget(limit = openFileLimit()): number {
  if (limit === null) return 100_000;
  const reserve = Math.max(64, Math.ceil(limit / 4));
  return Math.max(0, Math.floor((limit - reserve) / FDS_PER_PARTITION));
}
