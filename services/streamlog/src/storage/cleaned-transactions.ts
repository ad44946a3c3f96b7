// What one cleaning pass knows about transactions, as Kafka's CleanedTransactionMetadata: walked
// in offset order over every cleanable batch, it says which data batches belong to an aborted
// transaction (they go) and which markers no longer have any batch of their transaction before
// them in the log (they may go once their delete horizon has passed).
import type { AbortedTxn } from './partition-transactions.js';

export class CleanedTransactions {
  /** aborted transactions not reached yet, by first offset */
  private readonly pending: AbortedTxn[];
  /** producers inside an aborted transaction at the scan position → whether a batch of it was met in this pass */
  private readonly inAborted = new Map<bigint, boolean>();
  /** producers inside a committed transaction of which a batch was met in this pass */
  private readonly inCommitted = new Set<bigint>();

  constructor(aborted: readonly AbortedTxn[]) {
    this.pending = [...aborted].sort((a, b) => a.firstOffset - b.firstOffset);
  }

  /** aborted transactions begin at their first offset: from there their producer's batches are aborted */
  private reach(lastOffset: number): void {
    while (this.pending.length > 0 && this.pending[0].firstOffset <= lastOffset) this.inAborted.set(this.pending.shift()!.producerId, false);
  }

  /** a transactional data batch ending at `lastOffset`; true when it belongs to an aborted transaction (remove it) */
  onData(producerId: bigint, lastOffset: number): boolean {
    this.reach(lastOffset);
    if (this.inAborted.has(producerId)) {
      this.inAborted.set(producerId, true);
      return true;
    }
    this.inCommitted.add(producerId);
    return false;
  }

  /**
   * A marker at `offset`: true when no batch of its transaction was met in this pass, so none is
   * left in the log (an aborted one's were removed by an earlier pass, a committed one's were all
   * compacted away). Such a marker tells a reader nothing any more; it goes after its horizon.
   */
  onMarker(producerId: bigint, commit: boolean, offset: number): boolean {
    this.reach(offset);
    if (commit) return !this.inCommitted.delete(producerId);
    const met = this.inAborted.get(producerId);
    this.inAborted.delete(producerId);
    return met !== true;
  }
}
