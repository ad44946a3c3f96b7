import fs from 'node:fs';
import path from 'node:path';
import type { Durability, LogEngine } from '../storage/contract.js';
import { writeFileAtomicAsync } from '../storage/atomic-file.js';
import { ErrorCode } from '../protocol/error-codes.js';

/** Kafka's transaction.max.timeout.ms default: longer transaction timeouts are refused */
export const MAX_TRANSACTION_TIMEOUT_MS = 15 * 60_000;
const STATE_FILE = 'transactions.json';
const MAX_EPOCH = 32766;

type TxnState = 'Empty' | 'Ongoing' | 'PrepareCommit' | 'PrepareAbort' | 'CompleteCommit' | 'CompleteAbort';

interface PendingOffset {
  group: string;
  topic: string;
  partition: number;
  offset: bigint;
  metadata: string | null;
}

interface Txn {
  transactionalId: string;
  producerId: bigint;
  epoch: number;
  timeoutMs: number;
  state: TxnState;
  /** when the open transaction started (wall clock, so a restart keeps counting) */
  startedMs: number;
  partitions: { topic: string; partition: number }[];
  groups: string[];
  /** TxnOffsetCommit's offsets, applied to the groups only when the transaction commits */
  offsets: PendingOffset[];
}

export interface TransactionCoordinatorOptions {
  engine: LogEngine;
  /** what markers wait for before EndTxn is answered */
  durability: Durability;
  /** how often open transactions are checked against their timeout; default 1 s */
  timeoutCheckMs?: number;
  onEvent?: (event: string, fields: Record<string, unknown>) => void;
}

type Result = { errorCode: number; producerId?: bigint; epoch?: number };

/**
 * Kafka's transaction coordinator for one broker. Each transactional id has a producer id and an
 * epoch; InitProducerId bumps the epoch (fencing the previous holder, whose open transaction is
 * aborted). A transaction's partitions and groups are registered (AddPartitionsToTxn,
 * AddOffsetsToTxn), its offsets held (TxnOffsetCommit), and EndTxn writes a commit or abort marker
 * to every partition and, on commit, applies the offsets. Every state change is persisted
 * (`transactions.json`, replaced atomically, written off the event loop; changes made while a
 * write is under way go together in the next one) before it is answered, so after a SIGKILL a
 * transaction that was preparing to commit or abort is completed, and an open one keeps running
 * until its producer ends it or its timeout aborts it.
 */
export class TransactionCoordinator {
  private readonly txns = new Map<string, Txn>();
  private readonly byProducer = new Map<bigint, Txn>();
  private readonly file: string;
  private readonly timer: NodeJS.Timeout;
  /** EndTxn and timeouts of one transactional id run one at a time */
  private readonly busy = new Set<string>();

  constructor(private readonly options: TransactionCoordinatorOptions) {
    this.file = path.join(options.engine.dataDir, STATE_FILE);
    this.load();
    this.timer = setInterval(() => void this.abortTimedOut(), options.timeoutCheckMs ?? 1000);
    this.timer.unref();
  }

  /** finish what a crash interrupted: prepared transactions are completed */
  async recover(): Promise<void> {
    for (const t of this.txns.values()) {
      if (t.state === 'PrepareCommit' || t.state === 'PrepareAbort') await this.complete(t);
    }
  }

  close(): void {
    clearInterval(this.timer);
  }

  private load(): void {
    let raw: string;
    try {
      raw = fs.readFileSync(this.file, 'utf8');
    } catch {
      return;
    }
    const saved = JSON.parse(raw) as { transactions: (Omit<Txn, 'producerId' | 'offsets'> & { producerId: string; offsets: (Omit<PendingOffset, 'offset'> & { offset: string })[] })[] };
    for (const t of saved.transactions) {
      const txn: Txn = { ...t, producerId: BigInt(t.producerId), offsets: t.offsets.map((o) => ({ ...o, offset: BigInt(o.offset) })) };
      this.txns.set(txn.transactionalId, txn);
      this.byProducer.set(txn.producerId, txn);
    }
  }

  /** A write under way, and the callers waiting for the one after it (which will hold their change). */
  private writing: Promise<void> | null = null;
  private next: { promise: Promise<void>; resolve: () => void; reject: (err: unknown) => void } | null = null;

  /**
   * Resolves once a write that includes every change made before the call is on disk. One write at
   * a time; changes made during a write share the next one (a group commit), so a busy coordinator
   * writes the file once per write's duration, not once per change.
   */
  private persist(): Promise<void> {
    if (!this.next) {
      let resolve!: () => void;
      let reject!: (err: unknown) => void;
      const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
      this.next = { promise, resolve, reject };
    }
    const waiting = this.next.promise;
    if (!this.writing) this.flush();
    return waiting;
  }

  private flush(): void {
    const batch = this.next!;
    this.next = null;
    const transactions = [...this.txns.values()].map((t) => ({ ...t, producerId: t.producerId.toString(), offsets: t.offsets.map((o) => ({ ...o, offset: o.offset.toString() })) }));
    this.writing = writeFileAtomicAsync(this.file, JSON.stringify({ version: 1, transactions }), this.options.durability !== 'none')
      .then(batch.resolve, batch.reject)
      .finally(() => {
        this.writing = null;
        if (this.next) this.flush();
      });
  }

  /** InitProducerId with a transactional id */
  async initProducerId(transactionalId: string, timeoutMs: number, existing: { producerId: bigint; epoch: number } | null): Promise<Result> {
    if (timeoutMs <= 0 || timeoutMs > MAX_TRANSACTION_TIMEOUT_MS) return { errorCode: ErrorCode.INVALID_TRANSACTION_TIMEOUT };
    if (this.busy.has(transactionalId)) return { errorCode: ErrorCode.CONCURRENT_TRANSACTIONS };
    let txn = this.txns.get(transactionalId);
    if (txn && existing && existing.producerId >= 0n && (existing.producerId !== txn.producerId || existing.epoch !== txn.epoch)) {
      return { errorCode: ErrorCode.PRODUCER_FENCED };
    }
    if (!txn) {
      const { producerId } = this.options.engine.initProducerId();
      txn = { transactionalId, producerId, epoch: -1, timeoutMs, state: 'Empty', startedMs: 0, partitions: [], groups: [], offsets: [] };
      this.txns.set(transactionalId, txn);
      this.byProducer.set(producerId, txn);
    }
    this.busy.add(transactionalId);
    try {
      // a new holder of the id fences the old one: its open transaction is aborted at the new epoch
      this.bumpEpoch(txn);
      if (txn.state === 'Ongoing') {
        txn.state = 'PrepareAbort';
        await this.persist();
        await this.complete(txn);
      }
      txn.timeoutMs = timeoutMs;
      txn.state = 'Empty';
      await this.persist();
      this.event('transactional producer initialised', txn);
      return { errorCode: ErrorCode.NONE, producerId: txn.producerId, epoch: txn.epoch };
    } finally {
      this.busy.delete(transactionalId);
    }
  }

  private bumpEpoch(txn: Txn): void {
    if (txn.epoch >= MAX_EPOCH) {
      this.byProducer.delete(txn.producerId);
      txn.producerId = this.options.engine.initProducerId().producerId;
      txn.epoch = 0;
      this.byProducer.set(txn.producerId, txn);
    } else txn.epoch += 1;
  }

  /** the transaction a request names, or the error that refuses it */
  private check(transactionalId: string, producerId: bigint, epoch: number): Txn | number {
    const txn = this.txns.get(transactionalId);
    if (!txn || txn.producerId !== producerId) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    if (epoch < txn.epoch) return ErrorCode.INVALID_PRODUCER_EPOCH;
    if (epoch > txn.epoch) return ErrorCode.INVALID_PRODUCER_EPOCH;
    if (txn.state === 'PrepareCommit' || txn.state === 'PrepareAbort' || this.busy.has(transactionalId)) return ErrorCode.CONCURRENT_TRANSACTIONS;
    return txn;
  }

  private begin(txn: Txn): void {
    if (txn.state !== 'Ongoing') {
      txn.state = 'Ongoing';
      txn.startedMs = Date.now();
      txn.partitions = [];
      txn.groups = [];
      txn.offsets = [];
    }
  }

  /** AddPartitionsToTxn: one error code per partition (every partition gets the request's error if it is refused as a whole) */
  async addPartitions(transactionalId: string, producerId: bigint, epoch: number, partitions: { topic: string; partition: number }[]): Promise<Map<string, number>> {
    const key = (p: { topic: string; partition: number }) => `${p.topic}\u0000${p.partition}`;
    const out = new Map<string, number>();
    const txn = this.check(transactionalId, producerId, epoch);
    if (typeof txn === 'number') {
      for (const p of partitions) out.set(key(p), txn);
      return out;
    }
    const unknown = partitions.filter((p) => !this.options.engine.partition(p.topic, p.partition));
    if (unknown.length > 0) {
      // Kafka adds none when one is unknown: the others are answered OPERATION_NOT_ATTEMPTED
      for (const p of partitions) out.set(key(p), unknown.includes(p) ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.OPERATION_NOT_ATTEMPTED);
      return out;
    }
    this.begin(txn);
    for (const p of partitions) {
      if (!txn.partitions.some((q) => q.topic === p.topic && q.partition === p.partition)) txn.partitions.push({ topic: p.topic, partition: p.partition });
      out.set(key(p), ErrorCode.NONE);
    }
    await this.persist();
    return out;
  }

  /** AddOffsetsToTxn */
  async addOffsets(transactionalId: string, producerId: bigint, epoch: number, group: string): Promise<number> {
    const txn = this.check(transactionalId, producerId, epoch);
    if (typeof txn === 'number') return txn;
    this.begin(txn);
    if (!txn.groups.includes(group)) txn.groups.push(group);
    await this.persist();
    return ErrorCode.NONE;
  }

  /** TxnOffsetCommit: the offsets are held until the transaction commits (and dropped if it aborts) */
  async txnOffsetCommit(transactionalId: string, group: string, producerId: bigint, epoch: number, offsets: Omit<PendingOffset, 'group'>[]): Promise<number> {
    const txn = this.check(transactionalId, producerId, epoch);
    if (typeof txn === 'number') return txn;
    if (txn.state !== 'Ongoing' || !txn.groups.includes(group)) return ErrorCode.INVALID_TXN_STATE;
    for (const o of offsets) {
      txn.offsets = txn.offsets.filter((p) => !(p.group === group && p.topic === o.topic && p.partition === o.partition));
      txn.offsets.push({ ...o, group });
    }
    await this.persist();
    return ErrorCode.NONE;
  }

  /** EndTxn */
  async endTxn(transactionalId: string, producerId: bigint, epoch: number, commit: boolean): Promise<number> {
    const txn = this.check(transactionalId, producerId, epoch);
    if (typeof txn === 'number') return txn;
    if (txn.state !== 'Ongoing') {
      // a retried EndTxn whose first attempt completed is answered as it was; an empty abort is fine
      if ((commit && txn.state === 'CompleteCommit') || (!commit && (txn.state === 'CompleteAbort' || txn.state === 'Empty'))) return ErrorCode.NONE;
      return ErrorCode.INVALID_TXN_STATE;
    }
    this.busy.add(transactionalId);
    try {
      txn.state = commit ? 'PrepareCommit' : 'PrepareAbort';
      await this.persist();
      await this.complete(txn);
      return ErrorCode.NONE;
    } finally {
      this.busy.delete(transactionalId);
    }
  }

  /** write the markers (and, committing, the offsets) of a prepared transaction, then mark it complete */
  private async complete(txn: Txn): Promise<void> {
    const commit = txn.state === 'PrepareCommit';
    for (const p of txn.partitions) {
      const log = this.options.engine.partition(p.topic, p.partition);
      if (log) await log.writeMarker(txn.producerId, txn.epoch, commit, this.options.durability);
    }
    if (commit) {
      for (const group of new Set(txn.offsets.map((o) => o.group))) {
        const entries = txn.offsets.filter((o) => o.group === group).map(({ topic, partition, offset, metadata }) => ({ topic, partition, offset, metadata }));
        await this.options.engine.offsets.commit(group, entries);
      }
    }
    txn.state = commit ? 'CompleteCommit' : 'CompleteAbort';
    this.event(commit ? 'transaction committed' : 'transaction aborted', txn);
    txn.partitions = [];
    txn.groups = [];
    txn.offsets = [];
    await this.persist();
  }

  /** Produce of a transactional batch: the producer must hold the current epoch and have added the partition */
  checkProduce(producerId: bigint, epoch: number, topic: string, partition: number): number {
    const txn = this.byProducer.get(producerId);
    if (!txn) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    if (epoch !== txn.epoch) return ErrorCode.INVALID_PRODUCER_EPOCH;
    if (txn.state !== 'Ongoing' || !txn.partitions.some((p) => p.topic === topic && p.partition === partition)) return ErrorCode.INVALID_TXN_STATE;
    return ErrorCode.NONE;
  }

  /** open transactions past their timeout are aborted at a bumped epoch, so their producer is fenced */
  async abortTimedOut(now = Date.now()): Promise<void> {
    for (const txn of this.txns.values()) {
      if (txn.state !== 'Ongoing' || now - txn.startedMs <= txn.timeoutMs || this.busy.has(txn.transactionalId)) continue;
      this.busy.add(txn.transactionalId);
      try {
        this.bumpEpoch(txn);
        txn.state = 'PrepareAbort';
        await this.persist();
        this.event('transaction timed out', txn);
        await this.complete(txn);
      } catch (err) {
        this.options.onEvent?.('transaction timeout abort failed', { transactionalId: txn.transactionalId, err });
      } finally {
        this.busy.delete(txn.transactionalId);
      }
    }
  }

  /** for DescribeTransactions-like views and tests */
  describe(transactionalId: string): { producerId: bigint; epoch: number; state: TxnState; partitions: number } | undefined {
    const t = this.txns.get(transactionalId);
    return t && { producerId: t.producerId, epoch: t.epoch, state: t.state, partitions: t.partitions.length };
  }

  private event(event: string, txn: Txn): void {
    this.options.onEvent?.(event, { transactionalId: txn.transactionalId, producerId: String(txn.producerId), epoch: txn.epoch, partitions: txn.partitions.length });
  }
}
