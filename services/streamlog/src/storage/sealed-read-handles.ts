import fs from 'node:fs';

/**
 * Read descriptors of sealed segments, shared by every partition of the process, least recently used
 * evicted first. A sealed segment holds no descriptor of its own (so the partition budget counts one
 * per partition), but opening and closing its file on every read made a consumer catching up on
 * sealed segments pay an open and a close per fetch; a consumer reading the same few segments now
 * reuses their descriptors. The capacity is small and fixed against the open-file limit (see
 * readHandleCapacity), so the cache can never push the broker past it. Process-wide because the
 * descriptor limit is.
 */
export class SealedReadHandles {
  /** in least-recently-used order: a hit is deleted and set again, so it moves to the end */
  private readonly open = new Map<object, number>();

  constructor(public capacity: number) {}

  /** the cached descriptor for `owner`, or one opened now with `openFile` and cached */
  fdFor(owner: object, openFile: () => number): number {
    const cached = this.open.get(owner);
    if (cached !== undefined) {
      this.open.delete(owner);
      this.open.set(owner, cached);
      return cached;
    }
    const fd = openFile();
    if (this.capacity <= 0) return fd; // caller closes: see isCached
    this.open.set(owner, fd);
    while (this.open.size > this.capacity) {
      const [oldest, oldFd] = this.open.entries().next().value as [object, number];
      this.open.delete(oldest);
      closeQuietly(oldFd);
    }
    return fd;
  }

  /** whether `owner`'s descriptor stays open after the read (false: the caller must close it) */
  isCached(owner: object): boolean {
    return this.open.has(owner);
  }

  /** close `owner`'s cached descriptor: its segment is closed, deleted or replaced by a cleaned file */
  evict(owner: object): void {
    const fd = this.open.get(owner);
    if (fd === undefined) return;
    this.open.delete(owner);
    closeQuietly(fd);
  }

  get size(): number {
    return this.open.size;
  }
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // already closed
  }
}

/**
 * How many sealed-segment descriptors stay open: a quarter of the descriptors the partition budget
 * keeps in reserve (a quarter of the limit, at least 64), at most 64. With the common soft limit of
 * 1,024 that is 64; with a limit of 400 it is 25, leaving 75 of the reserve for connections.
 */
export function readHandleCapacity(openFileLimit: number | null): number {
  if (openFileLimit === null) return 64;
  const reserve = Math.max(64, Math.ceil(openFileLimit / 4));
  return Math.min(64, Math.floor(reserve / 4));
}

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

export const sealedReadHandles = new SealedReadHandles(readHandleCapacity(openFileLimit()));
