import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './atomic-file.js';

export const TXN_STATE_FILE = 'txn-state.json';

/** an aborted transaction of one partition: its producer, first offset and the offset of its abort marker */
export interface AbortedTxn {
  producerId: bigint;
  firstOffset: number;
  lastOffset: number;
}

interface Snapshot {
  version: 1;
  /** the log end offset the snapshot covers; batches from here on are replayed from the log */
  offset: number;
  ongoing: { producerId: string; firstOffset: number }[];
  aborted: { producerId: string; firstOffset: number; lastOffset: number }[];
}

/**
 * Transactions as one partition sees them: per producer the first offset of its open transaction,
 * and the aborted transactions (for Fetch's aborted-transactions list). The last stable offset is
 * the first offset of the oldest open transaction (or the log end). Rebuilt on open from a snapshot
 * plus the batches written after it: transactional data batches open a transaction, control
 * batches (commit or abort markers) close one.
 */
export class PartitionTransactions {
  private readonly ongoing = new Map<bigint, number>();
  /** in marker order, so lastOffset ascends */
  private aborted: AbortedTxn[] = [];

  /** a transactional data batch at `offset` */
  onData(producerId: bigint, offset: number): void {
    if (!this.ongoing.has(producerId)) this.ongoing.set(producerId, offset);
  }

  /** a commit or abort marker at `offset`; a marker without an open transaction changes nothing */
  onMarker(producerId: bigint, commit: boolean, offset: number): void {
    const first = this.ongoing.get(producerId);
    if (first === undefined) return;
    this.ongoing.delete(producerId);
    if (!commit) this.aborted.push({ producerId, firstOffset: first, lastOffset: offset });
  }

  lastStableOffset(end: number): number {
    let lso = end;
    for (const first of this.ongoing.values()) if (first < lso) lso = first;
    return lso;
  }

  /** aborted transactions that may hold records in [from, to] (what a read_committed fetch must skip) */
  abortedBetween(from: number, to: number): AbortedTxn[] {
    return this.aborted.filter((a) => a.lastOffset >= from && a.firstOffset <= to);
  }

  /** forget aborted transactions wholly before the log start (retention, DeleteRecords) */
  trimBefore(logStart: number): void {
    if (this.aborted.length > 0 && this.aborted[0].lastOffset < logStart) this.aborted = this.aborted.filter((a) => a.lastOffset >= logStart);
  }

  /** every aborted transaction still listed (the cleaner's view of the partition) */
  get abortedTxns(): readonly AbortedTxn[] {
    return this.aborted;
  }

  /**
   * The cleaner removed the abort marker at `markerOffset` (after the transaction's batches): its
   * entry goes too, or a read_committed client would go on skipping the producer's later batches
   * waiting for a marker that is no longer there (Kafka drops it from the cleaned transaction index).
   * Answers whether an entry went.
   */
  forgetAborted(producerId: bigint, markerOffset: number): boolean {
    const before = this.aborted.length;
    this.aborted = this.aborted.filter((a) => !(a.producerId === producerId && a.lastOffset === markerOffset));
    return this.aborted.length !== before;
  }

  get isEmpty(): boolean {
    return this.ongoing.size === 0 && this.aborted.length === 0;
  }

  save(dir: string, offset: number): void {
    const snapshot: Snapshot = {
      version: 1,
      offset,
      ongoing: [...this.ongoing].map(([id, first]) => ({ producerId: id.toString(), firstOffset: first })),
      aborted: this.aborted.map((a) => ({ producerId: a.producerId.toString(), firstOffset: a.firstOffset, lastOffset: a.lastOffset })),
    };
    writeFileAtomic(path.join(dir, TXN_STATE_FILE), JSON.stringify(snapshot));
  }

  static load(dir: string): { state: PartitionTransactions; replayFrom: number } {
    const state = new PartitionTransactions();
    try {
      const s = JSON.parse(fs.readFileSync(path.join(dir, TXN_STATE_FILE), 'utf8')) as Snapshot;
      if (s.version !== 1) return { state, replayFrom: 0 };
      for (const o of s.ongoing) state.ongoing.set(BigInt(o.producerId), o.firstOffset);
      state.aborted = s.aborted.map((a) => ({ producerId: BigInt(a.producerId), firstOffset: a.firstOffset, lastOffset: a.lastOffset }));
      return { state, replayFrom: s.offset };
    } catch {
      return { state, replayFrom: 0 };
    }
  }
}
