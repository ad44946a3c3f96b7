import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './atomic-file.js';
import { StorageError } from './contract.js';
import { PRODUCER_STATE_FILE } from './file-names.js';

/** how many recent batches per producer are remembered for duplicate detection (Kafka keeps 5) */
const REMEMBERED_BATCHES = 5;

interface BatchMeta {
  firstSeq: number;
  lastSeq: number;
  baseOffset: number;
}

interface ProducerEntry {
  epoch: number;
  batches: BatchMeta[];
}

export interface ProducerBatch {
  producerId: bigint;
  epoch: number;
  baseSequence: number;
  recordCount: number;
}

interface Snapshot {
  version: 1;
  /** the log end offset the snapshot covers; batches from here on are replayed from the log */
  offset: number;
  producers: { id: string; epoch: number; batches: BatchMeta[] }[];
}

const nextSeq = (seq: number): number => (seq === 0x7fffffff ? 0 : seq + 1);

/**
 * Idempotent-producer state of one partition: per producer id its epoch and last few batches'
 * sequence ranges. A retried batch is recognised (and answered with its original offset instead of
 * being written twice); a gap is refused with OUT_OF_ORDER_SEQUENCE_NUMBER. The state is rebuilt
 * on open from a snapshot (written at each segment roll and at close) plus the batch headers
 * written after it, which carry producer id, epoch and sequence.
 */
export class ProducerSequences {
  private readonly producers = new Map<bigint, ProducerEntry>();

  /**
   * null: append it; a number: a duplicate of the batch stored at that base offset.
   * Throws StorageError OUT_OF_ORDER_SEQUENCE_NUMBER or INVALID_PRODUCER_EPOCH.
   */
  check(b: ProducerBatch): number | null {
    const entry = this.producers.get(b.producerId);
    const lastSeq = b.baseSequence + b.recordCount - 1;
    if (!entry) {
      if (b.baseSequence !== 0) {
        throw new StorageError('OUT_OF_ORDER_SEQUENCE_NUMBER', `producer ${b.producerId} is unknown here and its first batch has sequence ${b.baseSequence}, not 0`);
      }
      return null;
    }
    if (b.epoch < entry.epoch) throw new StorageError('INVALID_PRODUCER_EPOCH', `producer ${b.producerId} epoch ${b.epoch} is older than ${entry.epoch}`);
    if (b.epoch > entry.epoch) {
      if (b.baseSequence !== 0) throw new StorageError('OUT_OF_ORDER_SEQUENCE_NUMBER', `producer ${b.producerId} new epoch ${b.epoch} must start at sequence 0`);
      return null;
    }
    const dup = entry.batches.find((m) => m.firstSeq === b.baseSequence && m.lastSeq === lastSeq);
    if (dup) return dup.baseOffset;
    const last = entry.batches[entry.batches.length - 1];
    if (last && b.baseSequence !== nextSeq(last.lastSeq)) {
      throw new StorageError('OUT_OF_ORDER_SEQUENCE_NUMBER', `producer ${b.producerId} sent sequence ${b.baseSequence}, expected ${nextSeq(last.lastSeq)}`);
    }
    return null;
  }

  /** note a written batch */
  record(b: ProducerBatch, baseOffset: number): void {
    let entry = this.producers.get(b.producerId);
    if (!entry || b.epoch > entry.epoch) {
      entry = { epoch: b.epoch, batches: [] };
      this.producers.set(b.producerId, entry);
    }
    entry.batches.push({ firstSeq: b.baseSequence, lastSeq: b.baseSequence + b.recordCount - 1, baseOffset });
    if (entry.batches.length > REMEMBERED_BATCHES) entry.batches.shift();
  }

  /**
   * A transaction marker written for this producer at `epoch`: a newer epoch (a fenced or timed-out
   * transaction) replaces the producer's state, so the next batch must start at sequence 0.
   */
  fence(producerId: bigint, epoch: number): void {
    const entry = this.producers.get(producerId);
    if (!entry || epoch > entry.epoch) this.producers.set(producerId, { epoch, batches: [] });
  }

  /** a copy to try a request's batches against without touching the real state */
  clone(): ProducerSequences {
    const c = new ProducerSequences();
    for (const [id, e] of this.producers) c.producers.set(id, { epoch: e.epoch, batches: [...e.batches] });
    return c;
  }

  get size(): number {
    return this.producers.size;
  }

  save(dir: string, offset: number): void {
    const snapshot: Snapshot = {
      version: 1,
      offset,
      producers: [...this.producers].map(([id, e]) => ({ id: id.toString(), epoch: e.epoch, batches: e.batches })),
    };
    writeFileAtomic(path.join(dir, PRODUCER_STATE_FILE), JSON.stringify(snapshot));
  }

  /** the snapshot in `dir` (or an empty state) and the offset from which the log must be replayed */
  static load(dir: string): { state: ProducerSequences; replayFrom: number } {
    const state = new ProducerSequences();
    try {
      const snapshot = JSON.parse(fs.readFileSync(path.join(dir, PRODUCER_STATE_FILE), 'utf8')) as Snapshot;
      if (snapshot.version !== 1 || !Array.isArray(snapshot.producers)) return { state, replayFrom: 0 };
      for (const p of snapshot.producers) state.producers.set(BigInt(p.id), { epoch: p.epoch, batches: p.batches });
      return { state, replayFrom: snapshot.offset };
    } catch {
      return { state, replayFrom: 0 };
    }
  }
}
