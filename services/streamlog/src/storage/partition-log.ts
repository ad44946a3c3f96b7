import fs from 'node:fs';
import path from 'node:path';
import {
  BATCH_HEADER_SIZE,
  BATCH_LOG_OVERHEAD,
  BATCH_OFFSET_ATTRIBUTES,
  BATCH_OFFSET_LAST_OFFSET_DELTA,
  BATCH_OFFSET_LEADER_EPOCH,
  BATCH_OFFSET_LENGTH,
  BATCH_OFFSET_MAX_TIMESTAMP,
  BATCH_OFFSET_PRODUCER_ID,
  BATCH_OFFSET_PRODUCER_EPOCH,
  BATCH_OFFSET_BASE_SEQUENCE,
  BATCH_OFFSET_RECORD_COUNT,
  COMPRESSION_MASK,
  CONTROL_FLAG,
  CompressionCodec,
  TRANSACTIONAL_FLAG,
  RecordBatchError,
  decodeRecordBatch,
  encodeRecordBatch,
  readInt64AsNumber,
  validateBatches,
  writeInt64FromNumber,
} from '../records/index.js';
import { fsyncDir, writeFileAtomic } from './atomic-file.js';
import {
  StorageError,
  type AppendResult,
  type Durability,
  type LogRecord,
  type PartitionLog,
  type ReadResult,
  type StoredRecord,
  type TopicConfig,
} from './contract.js';
import { GroupCommit } from './group-commit.js';
import { segmentsToDelete } from './retention.js';
import { LOCATE_CHUNK, Segment } from './segment.js';
import { ProducerSequences, type ProducerBatch } from './producer-sequences.js';
import { PartitionTransactions, type AbortedTxn } from './partition-transactions.js';
import { controlBatch, isCommitMarker } from './control-batch.js';
import { cleanSegment, indexKeys, type CleanResult } from './log-cleaner.js';
import { CleanedGroup } from './cleaned-group.js';
import { CLEANED_SUFFIX, completeSwap, recoverSwaps, writeSwapFile } from './segment-swap.js';
import { CleanedTransactions } from './cleaned-transactions.js';
import { LOG_START_FILE, parseSegmentBaseOffsets } from './file-names.js';

/**
 * per partition: the offset below which the cleaner has compacted and the earliest delete horizon of
 * a marker it kept (or -1), "offset horizon", written after each pass
 */
const CLEANER_CHECKPOINT_FILE = 'cleaner-checkpoint';

export const INDEX_INTERVAL_BYTES = 4096;
/** relative offsets in the index are int32; roll before a segment would exceed them */
const MAX_RELATIVE_OFFSET = 0x7fffffff;
const EMPTY = Buffer.alloc(0);

interface Waiter {
  offset: number;
  resolve: () => void;
}

/** One topic partition: an ordered list of segments, the last one active. */
export class PartitionLogImpl implements PartitionLog {
  private segments: Segment[];
  private active: Segment;
  private readonly syncer: GroupCommit;
  private waiters: Waiter[] = [];
  private closed = false;
  private readonly scratch = Buffer.allocUnsafe(LOCATE_CHUNK);
  /** DeleteRecords moves the start inside a segment; kept in LOG_START_FILE so it survives restarts */
  private deletedBefore = 0;
  private producers = new ProducerSequences();
  private txns = new PartitionTransactions();
  /** compaction: everything below this offset has been cleaned */
  private cleanedUpTo = 0;
  /** the earliest delete horizon of a cleaned marker still in the log: a pass is due then, dirty or not */
  private nextHorizon = Infinity;
  /** wall-clock time the active segment got its first batch (segment.ms rolls it) */
  private activeSince = Date.now();
  private cleaning = false;

  private constructor(
    readonly topic: string,
    readonly partition: number,
    readonly dir: string,
    private readonly config: () => TopicConfig,
    segments: Segment[],
  ) {
    this.segments = segments;
    this.active = segments[segments.length - 1];
    this.syncer = new GroupCommit(() => this.active.fd);
  }

  /** Opens (or creates) the partition directory; `cleanShutdown` lets recovery trust the indexes. */
  static open(topic: string, partition: number, dir: string, config: () => TopicConfig, cleanShutdown: boolean): PartitionLogImpl {
    fs.mkdirSync(dir, { recursive: true });
    // an index rewrite cut short by a crash leaves its temp file behind
    // and a cleaned file not yet complete (the originals are still complete)
    let files = fs.readdirSync(dir);
    for (const f of files) if (f.endsWith('.tmp') || f.endsWith(CLEANED_SUFFIX)) fs.rmSync(`${dir}/${f}`, { force: true });
    // a complete cleaned group whose swap a crash interrupted replaces its segments now
    if (recoverSwaps(dir, files)) files = fs.readdirSync(dir);
    const bases = parseSegmentBaseOffsets(files);
    const segments: Segment[] = [];
    for (let i = 0; i < bases.length; i++) {
      const isLast = i === bases.length - 1;
      const seg = Segment.open(dir, bases[i], INDEX_INTERVAL_BYTES, { trustIndexes: cleanShutdown, isLast });
      // a sealed segment ends where the next begins; if a damaged one lost its tail, the offsets
      // in between are a gap that reads skip (as after compaction), and later segments are kept
      if (!isLast) {
        seg.nextOffset = bases[i + 1];
        seg.release(); // sealed: read through sealedReadHandles, so the partition holds one descriptor of its own
      }
      segments.push(seg);
    }
    if (segments.length === 0) {
      segments.push(Segment.create(dir, 0, INDEX_INTERVAL_BYTES));
      try {
        fsyncDir(dir);
      } catch (err) {
        // e.g. EMFILE on the directory: the segment's descriptor must not leak
        for (const seg of segments) seg.close();
        throw err;
      }
    }
    const log = new PartitionLogImpl(topic, partition, dir, config, segments);
    log.deletedBefore = readLogStart(dir);
    const checkpoint = readCleanerCheckpoint(dir);
    log.cleanedUpTo = checkpoint.offset;
    log.nextHorizon = checkpoint.horizon;
    const { state, replayFrom } = ProducerSequences.load(dir);
    log.producers = state;
    const txns = PartitionTransactions.load(dir);
    log.txns = txns.state;
    log.replayProducerBatches(replayFrom, txns.replayFrom);
    log.forgetCleanedAborts();
    return log;
  }

  /**
   * Rebuild idempotent-producer and transaction state from the batch headers written after the
   * last snapshots (each state has its own snapshot offset).
   */
  private replayProducerBatches(producersFrom: number, txnsFrom: number): void {
    const from = Math.min(producersFrom, txnsFrom);
    const header = Buffer.allocUnsafe(BATCH_HEADER_SIZE);
    for (const seg of this.segments) {
      if (seg.nextOffset <= from) continue;
      let pos = 0;
      while (pos + BATCH_HEADER_SIZE <= seg.size) {
        if (seg.readInto(header, 0, BATCH_HEADER_SIZE, pos) < BATCH_HEADER_SIZE) break;
        const base = readInt64AsNumber(header, 0);
        const size = BATCH_LOG_OVERHEAD + header.readInt32BE(BATCH_OFFSET_LENGTH);
        if (base >= from && header.readInt32BE(BATCH_OFFSET_PRODUCER_ID) >= 0) {
          const attributes = header.readInt16BE(BATCH_OFFSET_ATTRIBUTES);
          if (attributes & CONTROL_FLAG) {
            const whole = Buffer.allocUnsafe(size);
            seg.readInto(whole, 0, size, pos);
            const pid = header.readBigInt64BE(BATCH_OFFSET_PRODUCER_ID);
            if (base >= producersFrom) this.producers.fence(pid, header.readInt16BE(BATCH_OFFSET_PRODUCER_EPOCH));
            if (base >= txnsFrom) this.txns.onMarker(pid, isCommitMarker(whole, 0), base);
          } else {
            if (base >= producersFrom) this.producers.record(producerBatchAt(header, 0), base);
            if (base >= txnsFrom && attributes & TRANSACTIONAL_FLAG) this.txns.onData(header.readBigInt64BE(BATCH_OFFSET_PRODUCER_ID), base);
          }
        }
        pos += size;
      }
    }
  }

  /**
   * A SIGKILL between the cleaner's removal of an abort marker (a fsynced segment swap) and the next
   * snapshot of the transaction state leaves the aborted transaction listed without its marker:
   * drop such entries (a marker inside the log whose offset no batch starts at any more).
   */
  private forgetCleanedAborts(): void {
    const end = this.active.nextOffset;
    const gone = this.txns.abortedTxns.filter((a) => a.lastOffset >= this.startOffset && a.lastOffset < end && !this.markerAt(a.lastOffset));
    for (const a of gone) this.txns.forgetAborted(a.producerId, a.lastOffset);
  }

  /** whether a control batch starts at `offset` */
  private markerAt(offset: number): boolean {
    const data = this.readAt(offset, BATCH_HEADER_SIZE);
    return data.length >= BATCH_HEADER_SIZE && readInt64AsNumber(data, 0) === offset && (data.readInt16BE(BATCH_OFFSET_ATTRIBUTES) & CONTROL_FLAG) !== 0;
  }

  /** the first offset of the oldest open transaction, or the log end: what read_committed consumers may read up to */
  get lastStableOffset(): bigint {
    return BigInt(this.txns.lastStableOffset(this.active.nextOffset));
  }

  /** aborted transactions with records possibly in [from, to] */
  abortedTransactions(from: bigint, to: bigint): AbortedTxn[] {
    return this.txns.abortedBetween(Number(from), Number(to));
  }

  /**
   * Write a transaction marker (a control batch) for `producerId` at `epoch`: it closes the
   * producer's open transaction in this partition, committing or aborting it.
   */
  writeMarker(producerId: bigint, epoch: number, commit: boolean, durability: Durability): Promise<AppendResult> {
    try {
      return this.appendNow(controlBatch(producerId, epoch, commit), durability, true);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** the first offset still readable: the oldest segment's base, or later after DeleteRecords */
  private get startOffset(): number {
    return Math.max(this.segments[0].baseOffset, Math.min(this.deletedBefore, this.active.nextOffset));
  }

  get logStartOffset(): bigint {
    return BigInt(this.startOffset);
  }

  /**
   * DeleteRecords: records before `offset` become unreadable at once (the start offset is persisted
   * first), and the sealed segments wholly before it are deleted. Answers the new log start offset.
   */
  deleteRecordsBefore(offset: bigint): bigint {
    if (this.closed) throw new StorageError('KAFKA_STORAGE_ERROR', `partition ${this.topic}-${this.partition} is closed`);
    const end = this.active.nextOffset;
    const target = offset === -1n ? end : Number(offset);
    if (target < 0 || target > end) {
      throw new StorageError('OFFSET_OUT_OF_RANGE', `offset ${offset} is beyond the end (${end}) of ${this.topic}-${this.partition}`);
    }
    if (target <= this.startOffset) return BigInt(this.startOffset);
    writeLogStart(this.dir, target);
    this.deletedBefore = target;
    this.txns.trimBefore(target);
    let n = 0;
    while (n < this.segments.length - 1 && this.segments[n + 1].baseOffset <= target) n++;
    if (n > 0) {
      for (const s of this.segments.splice(0, n)) s.deleteFiles();
      fsyncDir(this.dir);
    }
    return BigInt(this.startOffset);
  }

  get highWatermark(): bigint {
    return BigInt(this.active.nextOffset);
  }

  /** the log end offset as a number (internal fast path) */
  get endOffset(): number {
    return this.active.nextOffset;
  }

  appendBatches(batches: Buffer, durability: Durability): Promise<AppendResult> {
    try {
      return this.appendNow(batches, durability);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  // Everything up to the fsync wait is synchronous, so appends are serialized by the event loop:
  // offsets are dense and in the order the writes hit the file.
  private appendNow(batches: Buffer, durability: Durability, markers = false): Promise<AppendResult> {
    if (this.closed) throw new StorageError('KAFKA_STORAGE_ERROR', `partition ${this.topic}-${this.partition} is closed`);
    try {
      validateBatches(batches);
    } catch (err) {
      if (err instanceof RecordBatchError) throw new StorageError('CORRUPT_MESSAGE', err.message);
      throw err;
    }
    // idempotent producers (producer id >= 0): a retried batch is answered with its first offset,
    // a sequence gap refused; plain batches skip this with one int32 read each. Control batches
    // (transaction markers) are written by the coordinator only, never accepted from a client.
    let idempotent: ProducerBatch[] | null = null;
    let transactional = markers;
    for (let pos = 0; pos < batches.length; pos += BATCH_LOG_OVERHEAD + batches.readInt32BE(pos + BATCH_OFFSET_LENGTH)) {
      const attributes = batches.readInt16BE(pos + BATCH_OFFSET_ATTRIBUTES);
      if (!markers && attributes & CONTROL_FLAG) throw new StorageError('INVALID_RECORD', 'control batches are written by the transaction coordinator, not by producers');
      if (attributes & TRANSACTIONAL_FLAG) transactional = true;
      if (!markers && batches.readInt32BE(pos + BATCH_OFFSET_PRODUCER_ID) >= 0) (idempotent ??= []).push(producerBatchAt(batches, pos));
    }
    if (idempotent) {
      const duplicateOf = this.checkSequences(idempotent);
      if (duplicateOf !== null) {
        const result: AppendResult = { baseOffset: BigInt(duplicateOf), nextOffset: BigInt(this.active.nextOffset) };
        return durability === 'fsync' ? this.syncer.sync().then(() => result) : Promise.resolve(result);
      }
    }
    const baseOffset = this.active.nextOffset;
    const segmentBytes = this.config().segmentBytes;
    let next = baseOffset;
    let chunkStart = 0;
    let pos = 0;
    // assign offsets; write contiguous runs of batches that belong to the same segment in one call
    while (pos < batches.length) {
      const size = BATCH_LOG_OVERHEAD + batches.readInt32BE(pos + BATCH_OFFSET_LENGTH);
      const lastDelta = batches.readInt32BE(pos + BATCH_OFFSET_LAST_OFFSET_DELTA);
      const pendingBytes = pos - chunkStart;
      const seg = this.active;
      const segSize = seg.size + pendingBytes;
      if (segSize > 0 && (segSize + size > segmentBytes || next + lastDelta - seg.baseOffset > MAX_RELATIVE_OFFSET)) {
        this.writeRun(batches, chunkStart, pos);
        this.roll(next);
        chunkStart = pos;
      }
      writeInt64FromNumber(batches, pos, next);
      batches.writeInt32BE(0, pos + BATCH_OFFSET_LEADER_EPOCH);
      next += lastDelta + 1;
      pos += size;
    }
    this.writeRun(batches, chunkStart, pos);
    if (idempotent) {
      for (let p = 0, i = 0; p < batches.length; p += BATCH_LOG_OVERHEAD + batches.readInt32BE(p + BATCH_OFFSET_LENGTH)) {
        if (batches.readInt32BE(p + BATCH_OFFSET_PRODUCER_ID) >= 0) this.producers.record(idempotent[i++], readInt64AsNumber(batches, p));
      }
    }
    if (transactional) this.noteTransactional(batches);
    this.wakeWaiters();
    const result: AppendResult = { baseOffset: BigInt(baseOffset), nextOffset: BigInt(next) };
    if (durability === 'fsync') return this.syncer.sync().then(() => result);
    return Promise.resolve(result);
  }

  /** transaction state after a write: data batches open a producer's transaction here, markers close it */
  private noteTransactional(batches: Buffer): void {
    for (let p = 0; p < batches.length; p += BATCH_LOG_OVERHEAD + batches.readInt32BE(p + BATCH_OFFSET_LENGTH)) {
      const attributes = batches.readInt16BE(p + BATCH_OFFSET_ATTRIBUTES);
      const pid = batches.readBigInt64BE(p + BATCH_OFFSET_PRODUCER_ID);
      const offset = readInt64AsNumber(batches, p);
      if (attributes & CONTROL_FLAG) {
        this.producers.fence(pid, batches.readInt16BE(p + BATCH_OFFSET_PRODUCER_EPOCH));
        this.txns.onMarker(pid, isCommitMarker(batches, p), offset);
      } else if (attributes & TRANSACTIONAL_FLAG) this.txns.onData(pid, offset);
    }
  }

  /**
   * The batches of one request, in order: all new and in sequence (null), or all retries of stored
   * batches (the first one's offset). A mix is refused as DUPLICATE_SEQUENCE_NUMBER.
   */
  private checkSequences(batches: ProducerBatch[]): number | null {
    if (batches.length === 1) return this.producers.check(batches[0]);
    const trial = this.producers.clone();
    const outcomes = batches.map((b) => {
      const dup = trial.check(b);
      if (dup === null) trial.record(b, -1);
      return dup;
    });
    if (outcomes.every((o) => o === null)) return null;
    if (outcomes.every((o) => o !== null)) return outcomes[0];
    throw new StorageError('DUPLICATE_SEQUENCE_NUMBER', 'a request mixed retried and new batches of one producer');
  }

  /** writes already-validated, offset-assigned batches [start,end) to the active segment */
  private writeRun(buf: Buffer, start: number, end: number): void {
    if (end <= start) return;
    const seg = this.active;
    if (seg.size === 0) this.activeSince = Date.now();
    const position = seg.size;
    seg.write(buf, start, end);
    this.syncer.noteWrite();
    let pos = start;
    while (pos < end) {
      const size = BATCH_LOG_OVERHEAD + buf.readInt32BE(pos + BATCH_OFFSET_LENGTH);
      const batchBase = readInt64AsNumber(buf, pos);
      const lastOffset = batchBase + buf.readInt32BE(pos + BATCH_OFFSET_LAST_OFFSET_DELTA);
      seg.onBatchAppended(position + (pos - start), batchBase, lastOffset, readInt64AsNumber(buf, pos + BATCH_OFFSET_MAX_TIMESTAMP), size);
      pos += size;
    }
  }

  /** seal the active segment (durable data and indexes) and start a new one at `baseOffset` */
  private roll(baseOffset: number): void {
    const old = this.active;
    old.fsync();
    old.writeIndexes(true);
    old.release();
    this.syncer.markAllSynced();
    const seg = Segment.create(this.dir, baseOffset, INDEX_INTERVAL_BYTES);
    fsyncDir(this.dir);
    this.segments.push(seg);
    this.active = seg;
    // after a crash only the batches of the new active segment need replaying
    if (this.producers.size > 0) this.producers.save(this.dir, baseOffset);
    if (!this.txns.isEmpty || this.producers.size > 0) this.txns.save(this.dir, baseOffset);
  }

  append(records: LogRecord[], durability: Durability = 'none'): Promise<AppendResult> {
    let batch: Buffer;
    try {
      batch = encodeRecordBatch(records);
    } catch (err) {
      return Promise.reject(new StorageError('INVALID_RECORD', (err as Error).message));
    }
    return this.appendBatches(batch, durability);
  }

  read(offset: bigint, maxBytes: number): ReadResult {
    const o = Number(offset);
    const start = this.startOffset;
    const end = this.active.nextOffset;
    if (o < start || o > end) {
      throw new StorageError('OFFSET_OUT_OF_RANGE', `offset ${offset} is outside [${start}, ${end}] of ${this.topic}-${this.partition}`);
    }
    return { data: this.readAt(o, maxBytes), highWatermark: BigInt(end), logStartOffset: BigInt(start) };
  }

  /** whole batches from the one containing `offset`, at most `maxBytes` unless the first is bigger */
  private readAt(offset: number, maxBytes: number): Buffer {
    if (offset >= this.active.nextOffset) return EMPTY;
    for (let i = this.segmentIndexFor(offset); i < this.segments.length; i++) {
      const seg = this.segments[i];
      const pos = seg.findBatchPosition(offset, this.scratch);
      if (pos < 0) continue;
      seg.readInto(this.scratch, 0, BATCH_LOG_OVERHEAD, pos);
      const firstSize = BATCH_LOG_OVERHEAD + this.scratch.readInt32BE(BATCH_OFFSET_LENGTH);
      const want = Math.max(firstSize, Math.min(maxBytes, seg.size - pos));
      const buf = Buffer.allocUnsafe(want);
      const n = seg.readInto(buf, 0, want, pos);
      let p = 0;
      while (p + BATCH_LOG_OVERHEAD <= n) {
        const size = BATCH_LOG_OVERHEAD + buf.readInt32BE(p + BATCH_OFFSET_LENGTH);
        if (p + size > n) break;
        p += size;
      }
      return p === buf.length ? buf : buf.subarray(0, p);
    }
    return EMPTY;
  }

  /** index of the segment whose base offset is the largest one <= offset */
  private segmentIndexFor(offset: number): number {
    let lo = 0;
    let hi = this.segments.length - 1;
    let found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.segments[mid].baseOffset <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  readRecords(offset: bigint, maxRecords: number): StoredRecord[] {
    const out: StoredRecord[] = [];
    let o = Number(offset);
    const first = this.read(offset, 1 << 20);
    let data = first.data;
    while (out.length < maxRecords && data.length > 0) {
      let p = 0;
      while (p < data.length && out.length < maxRecords) {
        const size = BATCH_LOG_OVERHEAD + data.readInt32BE(p + BATCH_OFFSET_LENGTH);
        // transaction markers are the log's bookkeeping, not records (Kafka's consumers skip them too)
        const batch = data.readInt16BE(p + BATCH_OFFSET_ATTRIBUTES) & CONTROL_FLAG ? { records: [] } : decodeBatchForRead(data, p);
        for (const r of batch.records) {
          if (r.offset < BigInt(o)) continue;
          if (out.length >= maxRecords) break;
          out.push({ offset: r.offset, timestamp: r.timestamp, key: r.key, value: r.value, headers: r.headers });
        }
        o = readInt64AsNumber(data, p) + data.readInt32BE(p + BATCH_OFFSET_LAST_OFFSET_DELTA) + 1;
        p += size;
      }
      if (out.length >= maxRecords || o >= this.active.nextOffset) break;
      data = this.readAt(o, 1 << 20);
    }
    return out;
  }

  offsetForTimestamp(ts: bigint): bigint | null {
    return this.findByTimestamp(ts)?.offset ?? null;
  }

  findByTimestamp(ts: bigint): { offset: bigint; timestamp: bigint } | null {
    const target = Number(ts);
    const header = Buffer.allocUnsafe(BATCH_HEADER_SIZE);
    for (const seg of this.segments) {
      if (!(seg.maxTimestamp >= target)) continue;
      // every batch up to the time-index entry below the target is older: start there
      const rel = seg.timeIndex.lastBelow(target);
      let pos = seg.offsetIndex.floorPosition(rel < 0 ? 0 : rel);
      while (pos + BATCH_HEADER_SIZE <= seg.size) {
        seg.readInto(header, 0, BATCH_HEADER_SIZE, pos);
        const size = BATCH_LOG_OVERHEAD + header.readInt32BE(BATCH_OFFSET_LENGTH);
        if (readInt64AsNumber(header, BATCH_OFFSET_MAX_TIMESTAMP) >= target) {
          const found = this.firstRecordAtOrAfter(seg, pos, size, header, target);
          if (found !== null) return found;
        }
        pos += size;
      }
    }
    return null;
  }

  /** within the batch at `pos`: the first record with timestamp >= target */
  private firstRecordAtOrAfter(seg: Segment, pos: number, size: number, header: Buffer, target: number): { offset: bigint; timestamp: bigint } | null {
    const batchLevel = { offset: header.readBigInt64BE(0), timestamp: header.readBigInt64BE(BATCH_OFFSET_MAX_TIMESTAMP) };
    const codec = header.readInt16BE(BATCH_OFFSET_ATTRIBUTES) & COMPRESSION_MASK;
    if (codec !== CompressionCodec.None && codec !== CompressionCodec.Gzip) return batchLevel; // cannot look inside
    const buf = Buffer.allocUnsafe(size);
    seg.readInto(buf, 0, size, pos);
    let batch;
    try {
      batch = decodeRecordBatch(buf, 0);
    } catch (err) {
      if (err instanceof RecordBatchError) return batchLevel; // stored but undecodable
      throw err;
    }
    const targetBig = BigInt(target);
    for (const r of batch.records) if (r.timestamp >= targetBig) return { offset: r.offset, timestamp: r.timestamp };
    return null;
  }

  sizeBytes(): number {
    let total = 0;
    for (const s of this.segments) total += s.size;
    return total;
  }

  waitForData(offset: bigint, signal: AbortSignal): Promise<void> {
    const o = Number(offset);
    if (this.closed || signal.aborted || this.active.nextOffset > o) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const waiter: Waiter = {
        offset: o,
        resolve: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        resolve();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private wakeWaiters(): void {
    if (this.waiters.length === 0) return;
    const end = this.active.nextOffset;
    const keep: Waiter[] = [];
    const wake: Waiter[] = [];
    for (const w of this.waiters) (end > w.offset ? wake : keep).push(w);
    this.waiters = keep;
    for (const w of wake) w.resolve();
  }

  /** Deletes expired whole segments (never the active one); returns how many went. */
  enforceRetention(now: number): number {
    if (this.closed) return 0;
    const cfg = this.config();
    if (cfg.cleanupPolicy === 'compact') return 0; // compacted topics keep every key's latest record for ever
    // like Kafka's segment.ms: an active segment whose every record has expired is rolled so it
    // can go too; otherwise a slowly written partition would keep its data forever
    const active = this.active;
    if (cfg.retentionMs >= 0 && active.size > 0 && now - active.maxTimestamp > cfg.retentionMs) this.roll(active.nextOffset);
    const sealed = this.segments.slice(0, -1).map((s) => ({
      sizeBytes: s.size,
      maxTimestamp: Number.isFinite(s.maxTimestamp) && s.maxTimestamp >= 0 ? s.maxTimestamp : s.lastModifiedMs(),
    }));
    const n = segmentsToDelete(sealed, this.sizeBytes(), cfg, now);
    if (n === 0) return 0;
    const gone = this.segments.splice(0, n);
    for (const s of gone) s.deleteFiles();
    fsyncDir(this.dir);
    this.txns.trimBefore(this.startOffset);
    return n;
  }

  /** the share of the sealed segments' bytes not cleaned yet (what min.cleanable.dirty.ratio compares) */
  dirtyRatio(): number {
    let total = 0;
    let dirty = 0;
    for (const s of this.segments.slice(0, -1)) {
      total += s.size;
      if (s.nextOffset > this.cleanedUpTo) dirty += s.size;
    }
    return total === 0 ? 0 : dirty / total;
  }

  /**
   * Log compaction (cleanup.policy compact): roll the active segment after segment.ms, then, once
   * the dirty ratio reaches min.cleanable.dirty.ratio (or a cleaned marker's delete horizon has
   * passed), keep only the latest record per key in the sealed segments below the last stable
   * offset, remove aborted transactions' batches and, after their horizon, markers whose
   * transaction has nothing left. One segment is cleaned per event-loop turn, so appends and reads
   * go on in between. Adjacent cleaned segments are grouped up to segment.bytes (cleaned-group.ts)
   * and each group is written as one file named by its first base offset (segment-swap.ts: a
   * complete `.swap` file is the commit point, and open finishes a swap a crash interrupted), so
   * a crash leaves either the originals or the cleaned group, both complete. A segment cleaning
   * emptied is deleted instead, except the log's first, whose base offset is the log start offset.
   * Answers the number of records removed.
   */
  async compact(now = Date.now()): Promise<number> {
    const cfg = this.config();
    if (this.closed || this.cleaning || !cfg.cleanupPolicy.startsWith('compact')) return 0;
    if (this.active.size > 0 && now - this.activeSince >= cfg.segmentMs) this.roll(this.active.nextOffset);
    const limit = Math.min(this.active.baseOffset, this.txns.lastStableOffset(this.active.nextOffset));
    const cleanable = this.segments.filter((s) => s !== this.active && s.nextOffset <= limit);
    if (cleanable.length === 0) return 0;
    const horizonDue = this.nextHorizon <= now;
    const dirty = cleanable.some((s) => s.nextOffset > this.cleanedUpTo) && this.dirtyRatio() >= cfg.minCleanableDirtyRatio;
    if (!dirty && !horizonDue) return 0;
    this.cleaning = true;
    try {
      const latest = new Map<string, number>();
      // every transaction below `limit` (≤ the last stable offset) is decided: committed unless listed as aborted
      const isAborted = (producerId: bigint, offset: number) => this.txns.abortedBetween(offset, offset).some((a) => a.producerId === producerId);
      for (const s of cleanable) indexKeys(this.readSegment(s), latest, isAborted);
      const txns = new CleanedTransactions(this.txns.abortedTxns);
      let removed = 0;
      let nextHorizon = Infinity;
      let group = new CleanedGroup();
      for (const s of cleanable) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (this.closed) return removed;
        const i = this.segments.indexOf(s);
        if (i < 0 || this.segments[i] === this.active) continue; // deleted meanwhile (retention, DeleteRecords)
        // tombstones go once their segment (by its last write) is older than delete.retention.ms
        const mtimeMs = s.lastModifiedMs();
        const result = cleanSegment(this.readSegment(s), latest, {
          dropTombstones: now - mtimeMs > cfg.deleteRetentionMs,
          txns,
          now,
          deleteRetentionMs: cfg.deleteRetentionMs,
          keepLastBatch: s === cleanable[cleanable.length - 1],
        });
        nextHorizon = Math.min(nextHorizon, result.nextHorizon, result.markersMayEmpty ? now : Infinity);
        if (result.data.length === 0 && i > 0) {
          removed += this.dropEmptied(s, result);
          continue;
        }
        const member = { segment: s, result, mtimeMs };
        if (!group.fits(member, cfg.segmentBytes)) {
          removed += this.swapGroup(group);
          group = new CleanedGroup();
        }
        group.add(member);
      }
      removed += this.swapGroup(group);
      this.cleanedUpTo = limit;
      this.nextHorizon = nextHorizon;
      writeFileAtomic(path.join(this.dir, CLEANER_CHECKPOINT_FILE), `${limit} ${Number.isFinite(nextHorizon) ? nextHorizon : -1}\n`);
      return removed;
    } finally {
      this.cleaning = false;
    }
  }

  /**
   * A sealed segment cleaning emptied (every key written again later): it simply goes, as Kafka's
   * groups leave no empty file. Reads are unchanged (a fetch in the gap is answered from the next
   * segment, as for any gap compaction leaves); deleting it is one unlink of a file whose every
   * record a later one supersedes, so a crash on either side of it leaves a valid log.
   */
  private dropEmptied(s: Segment, result: CleanResult): number {
    this.segments.splice(this.segments.indexOf(s), 1);
    s.deleteFiles();
    fsyncDir(this.dir);
    for (const m of result.removedAbortMarkers) this.txns.forgetAborted(m.producerId, m.offset);
    return result.removed;
  }

  /**
   * Replace a group's segments by one file of their cleaned batches at the first one's base offset
   * (a lone segment cleaning did not change stays as it is). Members deleted since they were cleaned
   * (DeleteRecords, retention: always a prefix of the log) are left out. Answers the records removed.
   */
  private swapGroup(group: CleanedGroup): number {
    const live = group.members.filter((m) => this.segments.includes(m.segment));
    if (live.length === 0 || (live.length === 1 && !live[0].result.changed)) return 0;
    const first = this.segments.indexOf(live[0].segment);
    if (live.some((m, k) => this.segments[first + k] !== m.segment)) return 0; // not adjacent: never expected; cleaned next pass
    const base = live[0].segment.baseOffset;
    writeSwapFile(this.dir, base, live.map((m) => m.result.data), Math.max(...live.map((m) => m.mtimeMs)));
    // committed: from here a crash is finished by open (recoverSwaps)
    for (const m of live) m.segment.close(); // and their cached read descriptors
    completeSwap(this.dir, base, live.slice(1).map((m) => m.segment.baseOffset));
    const seg = Segment.open(this.dir, base, INDEX_INTERVAL_BYTES, { trustIndexes: false, isLast: false });
    seg.nextOffset = live[live.length - 1].segment.nextOffset;
    seg.release();
    this.segments.splice(first, live.length, seg);
    let removed = 0;
    for (const m of live) {
      // only now that no marker is left for them (the swap is durable) do their entries go
      for (const a of m.result.removedAbortMarkers) this.txns.forgetAborted(a.producerId, a.offset);
      removed += m.result.removed;
    }
    return removed;
  }

  private readSegment(s: Segment): Buffer {
    const buf = Buffer.allocUnsafe(s.size);
    const n = s.readInto(buf, 0, s.size, 0);
    return n === buf.length ? buf : buf.subarray(0, n);
  }

  /** make everything durable and release files; pending waiters are released */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.active.fsync();
    this.active.writeIndexes(true);
    this.syncer.markAllSynced();
    if (this.producers.size > 0) this.producers.save(this.dir, this.active.nextOffset);
    if (!this.txns.isEmpty || this.producers.size > 0) this.txns.save(this.dir, this.active.nextOffset);
    for (const s of this.segments) s.close();
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.resolve();
  }

  /** close without flushing and remove the directory (topic deletion) */
  destroy(): void {
    if (!this.closed) {
      this.closed = true;
      this.syncer.markAllSynced();
      for (const s of this.segments) s.close();
      const waiters = this.waiters;
      this.waiters = [];
      for (const w of waiters) w.resolve();
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

function producerBatchAt(buf: Buffer, pos: number): ProducerBatch {
  return {
    producerId: buf.readBigInt64BE(pos + BATCH_OFFSET_PRODUCER_ID),
    epoch: buf.readInt16BE(pos + BATCH_OFFSET_PRODUCER_EPOCH),
    baseSequence: buf.readInt32BE(pos + BATCH_OFFSET_BASE_SEQUENCE),
    recordCount: buf.readInt32BE(pos + BATCH_OFFSET_RECORD_COUNT),
  };
}

/** the cleaner's checkpoint; an unreadable one means "clean everything again", which is always safe */
function readCleanerCheckpoint(dir: string): { offset: number; horizon: number } {
  try {
    const [offset, horizon] = fs.readFileSync(path.join(dir, CLEANER_CHECKPOINT_FILE), 'utf8').trim().split(/\s+/).map(Number);
    return {
      offset: Number.isSafeInteger(offset) && offset >= 0 ? offset : 0,
      // a checkpoint from before horizons were kept: one pass after start finds them again
      horizon: horizon === undefined ? 0 : Number.isSafeInteger(horizon) && horizon >= 0 ? horizon : Infinity,
    };
  } catch {
    return { offset: 0, horizon: Infinity };
  }
}

function readLogStart(dir: string): number {
  try {
    const v = Number(fs.readFileSync(path.join(dir, LOG_START_FILE), 'utf8').trim());
    return Number.isSafeInteger(v) && v >= 0 ? v : 0;
  } catch {
    return 0;
  }
}

function writeLogStart(dir: string, offset: number): void {
  writeFileAtomic(path.join(dir, LOG_START_FILE), `${offset}\n`);
}

function decodeBatchForRead(data: Buffer, pos: number) {
  try {
    return decodeRecordBatch(data, pos);
  } catch (err) {
    if (err instanceof RecordBatchError) throw new StorageError('CORRUPT_MESSAGE', err.message);
    throw err;
  }
}
