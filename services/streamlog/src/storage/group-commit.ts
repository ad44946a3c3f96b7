import fs from 'node:fs';
import { StorageError } from './contract.js';

interface Waiter {
  seq: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * Group commit for one file: callers note each write, then wait for durability. One fdatasync
 * covers every write noted before it started; writes that arrive while it runs share the next one.
 */
export class GroupCommit {
  private writtenSeq = 0;
  private syncedSeq = 0;
  private inFlight = false;
  private waiters: Waiter[] = [];

  /** @param currentFd the fd to sync (may change when a segment rolls) */
  constructor(private readonly currentFd: () => number) {}

  noteWrite(): void {
    this.writtenSeq++;
  }

  /** resolves once every write noted so far is on disk */
  sync(): Promise<void> {
    const seq = this.writtenSeq;
    if (seq <= this.syncedSeq) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ seq, resolve, reject });
      if (!this.inFlight) this.start();
    });
  }

  /** the caller has just made every noted write durable by other means (e.g. fsync on roll/close) */
  markAllSynced(): void {
    this.complete(this.writtenSeq, null);
  }

  private start(): void {
    this.inFlight = true;
    const target = this.writtenSeq;
    let fd: number;
    try {
      fd = this.currentFd();
    } catch (err) {
      this.inFlight = false;
      this.complete(target, err as Error);
      return;
    }
    fs.fdatasync(fd, (err) => {
      this.inFlight = false;
      this.complete(target, err);
      if (this.waiters.length > 0) this.start();
    });
  }

  private complete(target: number, err: Error | null): void {
    if (!err && target > this.syncedSeq) this.syncedSeq = target;
    if (this.waiters.length === 0) return;
    const remaining: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.seq <= this.syncedSeq) w.resolve();
      else if (err && w.seq <= target) w.reject(new StorageError('KAFKA_STORAGE_ERROR', `fsync failed: ${err.message}`));
      else remaining.push(w);
    }
    this.waiters = remaining;
  }
}
