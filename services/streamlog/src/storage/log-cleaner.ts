// Log compaction's pure part: which records of a sealed segment survive. The partition
// (partition-log.ts) decides when to clean and swaps the rewritten segment in crash-safely.
import { crc32c } from '@node-rs/crc32';
import {
  BATCH_LOG_OVERHEAD,
  BATCH_OFFSET_ATTRIBUTES,
  BATCH_OFFSET_BASE_TIMESTAMP,
  BATCH_OFFSET_CRC,
  BATCH_OFFSET_LAST_OFFSET_DELTA,
  BATCH_OFFSET_LENGTH,
  BATCH_OFFSET_PRODUCER_ID,
  BATCH_OFFSET_RECORD_COUNT,
  CONTROL_FLAG,
  DELETE_HORIZON_FLAG,
  RecordBatchError,
  TRANSACTIONAL_FLAG,
  decodeRecordBatch,
  encodeRecordBatch,
} from '../records/index.js';
import type { CleanedTransactions } from './cleaned-transactions.js';
import { isCommitMarker } from './control-batch.js';

/**
 * Whether the transactional data batch of `producerId` at `baseOffset` belongs to an aborted
 * transaction. Only asked for batches below the last stable offset, whose transactions are decided.
 */
export type AbortedTxnCheck = (producerId: bigint, baseOffset: number) => boolean;

/**
 * Batches whose records never supersede anything: transaction markers; the batches of aborted
 * transactions (an aborted value must not displace a committed one); every transactional batch
 * when the caller cannot say which transactions aborted. A committed transaction's batches are
 * compacted like any other, as in Kafka: a topic written only in transactions would otherwise
 * never shrink.
 */
function keptWhole(buf: Buffer, pos: number, isAborted?: AbortedTxnCheck): boolean {
  const attributes = buf.readInt16BE(pos + BATCH_OFFSET_ATTRIBUTES);
  if ((attributes & CONTROL_FLAG) !== 0) return true;
  if ((attributes & TRANSACTIONAL_FLAG) === 0) return false;
  if (!isAborted) return true;
  return isAborted(buf.readBigInt64BE(pos + BATCH_OFFSET_PRODUCER_ID), Number(buf.readBigInt64BE(pos)));
}

function decodeOrNull(buf: Buffer, pos: number) {
  try {
    return decodeRecordBatch(buf, pos);
  } catch (err) {
    if (err instanceof RecordBatchError) return null;
    throw err;
  }
}

const keyOf = (key: Buffer) => key.toString('latin1');

/** note every keyed record's offset in `latest` (later offsets win); `data` holds whole batches */
export function indexKeys(data: Buffer, latest: Map<string, number>, isAborted?: AbortedTxnCheck): void {
  for (let pos = 0; pos + BATCH_LOG_OVERHEAD <= data.length; pos += BATCH_LOG_OVERHEAD + data.readInt32BE(pos + BATCH_OFFSET_LENGTH)) {
    if (keptWhole(data, pos, isAborted)) continue;
    const batch = decodeOrNull(data, pos);
    if (!batch) continue;
    for (const r of batch.records) if (r.key !== null) latest.set(keyOf(r.key), Number(r.offset));
  }
}

export interface CleanResult {
  /** the segment's new content (whole batches, offsets as written) */
  data: Buffer;
  /** whether anything was dropped or a marker got its horizon (else the segment need not be rewritten) */
  changed: boolean;
  /** records dropped (markers not counted) */
  removed: number;
  /** abort markers removed: their aborted transactions leave the partition's list */
  removedAbortMarkers: { producerId: bigint; offset: number }[];
  /** the earliest delete horizon of a marker kept with one (Infinity: none): a pass is due then */
  nextHorizon: number;
  /**
   * a transactional batch was removed or lost records: its marker may have nothing left now, which
   * only the next pass can see (and stamp), so one is due even if nothing new is written
   */
  markersMayEmpty: boolean;
}

export interface CleanOptions {
  /** drop tombstones (null values) */
  dropTombstones: boolean;
  /** the pass's transaction tracker, fed every batch in offset order across the pass's segments */
  txns: CleanedTransactions;
  now: number;
  deleteRetentionMs: number;
  /**
   * keep the segment's last batch byte for byte (the last segment of the pass): a reader whose
   * offset falls into a gap is answered with the next batch, so a gap must never reach the end of
   * the log — with nothing after it, a client would fetch there for ever and never see the end
   * (Kafka likewise always retains the last batch of a producer)
   */
  keepLastBatch: boolean;
}

/**
 * Keep, of a sealed segment's records, those that are the latest for their key (and records without
 * a key); drop tombstones when `dropTombstones`. A batch that keeps every record is kept byte for
 * byte; one that loses some is rewritten with the survivors at their original offsets
 * (uncompressed, without producer id, since its sequence range no longer matches); an emptied batch
 * goes. As in Kafka's cleaner, an aborted transaction's batches go whole, and a marker whose
 * transaction has no batch left is stamped with a delete horizon (now + delete.retention.ms, KIP-534)
 * and removed by the first pass after it: a consumer that read the transaction's data just before
 * it was cleaned still finds the marker that ends it.
 */
export function cleanSegment(data: Buffer, latest: Map<string, number>, options: CleanOptions): CleanResult {
  const parts: Buffer[] = [];
  const result: CleanResult = { data, changed: false, removed: 0, removedAbortMarkers: [], nextHorizon: Infinity, markersMayEmpty: false };
  for (let pos = 0; pos + BATCH_LOG_OVERHEAD <= data.length; ) {
    const size = BATCH_LOG_OVERHEAD + data.readInt32BE(pos + BATCH_OFFSET_LENGTH);
    const whole = data.subarray(pos, pos + size);
    const at = pos;
    pos += size;
    const last = options.keepLastBatch && pos + BATCH_LOG_OVERHEAD > data.length;
    const attributes = data.readInt16BE(at + BATCH_OFFSET_ATTRIBUTES);
    const producerId = data.readBigInt64BE(at + BATCH_OFFSET_PRODUCER_ID);
    const base = Number(data.readBigInt64BE(at));
    if ((attributes & CONTROL_FLAG) !== 0) {
      const empty = options.txns.onMarker(producerId, isCommitMarker(data, at), base);
      const kept = last ? whole : cleanMarker(whole, empty, options);
      if (kept !== whole) result.changed = true;
      if (kept === null) {
        if (!isCommitMarker(data, at)) result.removedAbortMarkers.push({ producerId, offset: base });
        continue;
      }
      if ((attributes & DELETE_HORIZON_FLAG) !== 0 || kept !== whole) result.nextHorizon = Math.min(result.nextHorizon, Number(kept.readBigInt64BE(BATCH_OFFSET_BASE_TIMESTAMP)));
      parts.push(kept);
      continue;
    }
    const aborted = (attributes & TRANSACTIONAL_FLAG) !== 0 && options.txns.onData(producerId, base + data.readInt32BE(at + BATCH_OFFSET_LAST_OFFSET_DELTA));
    if (last) {
      parts.push(whole);
      continue;
    }
    if (aborted) {
      result.changed = true;
      result.markersMayEmpty = true;
      result.removed += data.readInt32BE(at + BATCH_OFFSET_RECORD_COUNT);
      continue;
    }
    const batch = decodeOrNull(data, at);
    if (!batch) {
      parts.push(whole);
      continue;
    }
    const survivors = batch.records.filter((r) => {
      if (r.key === null) return true;
      if (latest.get(keyOf(r.key)) !== Number(r.offset)) return false;
      return !(options.dropTombstones && r.value === null);
    });
    if (survivors.length === batch.records.length) {
      parts.push(whole);
      continue;
    }
    result.changed = true;
    if ((attributes & TRANSACTIONAL_FLAG) !== 0) result.markersMayEmpty = true;
    result.removed += batch.records.length - survivors.length;
    if (survivors.length === 0) continue;
    const first = Number(survivors[0].offset);
    const rewritten = encodeRecordBatch(
      survivors.map((r) => ({ key: r.key, value: r.value, timestamp: r.timestamp, headers: r.headers })),
      { baseOffset: first, offsetDeltas: survivors.map((r) => Number(r.offset) - first), baseTimestamp: batch.header.baseTimestamp },
    );
    parts.push(rewritten);
  }
  if (result.changed) result.data = Buffer.concat(parts);
  return result;
}

/**
 * A marker as this pass keeps it: itself while its transaction still has batches in the log; once
 * it has none, a copy stamped with its delete horizon, and null (removed) when that has passed.
 */
function cleanMarker(marker: Buffer, empty: boolean, options: CleanOptions): Buffer | null {
  if (!empty) return marker;
  const attributes = marker.readInt16BE(BATCH_OFFSET_ATTRIBUTES);
  if ((attributes & DELETE_HORIZON_FLAG) !== 0) return Number(marker.readBigInt64BE(BATCH_OFFSET_BASE_TIMESTAMP)) <= options.now ? null : marker;
  const stamped = Buffer.from(marker);
  stamped.writeInt16BE(attributes | DELETE_HORIZON_FLAG, BATCH_OFFSET_ATTRIBUTES);
  stamped.writeBigInt64BE(BigInt(options.now + options.deleteRetentionMs), BATCH_OFFSET_BASE_TIMESTAMP);
  stamped.writeUInt32BE(crc32c(stamped.subarray(BATCH_OFFSET_ATTRIBUTES)), BATCH_OFFSET_CRC);
  return stamped;
}
