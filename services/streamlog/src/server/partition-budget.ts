import { openFileLimit } from '../storage/sealed-read-handles.js';

/**
 * Descriptors one partition holds open: its active segment only. Sealed segments give theirs back;
 * reads reuse a small process-wide cache of sealed-segment descriptors (sealed-read-handles.ts, a
 * quarter of the reserve below); index, snapshot and checkpoint files are opened and closed within
 * one synchronous call, so at most a few are open at a time process-wide (the reserve covers them).
 */
const FDS_PER_PARTITION = 1;

/**
 * The most partitions this broker will hold in total: what the file-descriptor limit allows after
 * keeping a quarter of it (at least 64) for connections, the data dir's own files and the cached
 * sealed-segment read descriptors (at most a quarter of that reserve, see readHandleCapacity).
 */
export function defaultPartitionBudget(limit = openFileLimit()): number {
  if (limit === null) return 100_000;
  const reserve = Math.max(64, Math.ceil(limit / 4));
  return Math.max(0, Math.floor((limit - reserve) / FDS_PER_PARTITION));
}
