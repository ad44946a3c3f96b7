// Log compaction's pure part: which records of a sealed segment survive. The partition
// (partition-log.ts) decides when to clean and swaps the rewritten segment in crash-safely.
import {
  BATCH_LOG_OVERHEAD,
  BATCH_OFFSET_ATTRIBUTES,
  BATCH_OFFSET_LENGTH,
  BATCH_OFFSET_PRODUCER_ID,
  CONTROL_FLAG,
  RecordBatchError,
  TRANSACTIONAL_FLAG,
  decodeRecordBatch,
  encodeRecordBatch,
} from '../records/index.js';

/**
 * Whether the transactional data batch of `producerId` at `baseOffset` belongs to an aborted
 * transaction. Only asked for batches below the last stable offset, whose transactions are decided.
 */
export type AbortedTxnCheck = (producerId: bigint, baseOffset: number) => boolean;

/**
 * Batches kept whole, never compacted and never superseding anything: transaction markers; the
 * batches of aborted transactions (an aborted value must not displace a committed one); every
 * transactional batch when the caller cannot say which transactions aborted; and batches the
 * engine cannot decode (snappy, lz4, zstd). A committed transaction's batches are compacted like
 * any other, as in Kafka: a topic written only in transactions would otherwise never shrink.
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
  /** whether anything was dropped (else the segment need not be rewritten) */
  changed: boolean;
  /** records dropped */
  removed: number;
}

/**
 * Keep, of a sealed segment's records, those that are the latest for their key (and records without
 * a key); drop tombstones (null values) when `dropTombstones`. A batch that keeps every record is
 * kept byte for byte; one that loses some is rewritten with the survivors at their original offsets
 * (uncompressed, without producer id, since its sequence range no longer matches); an emptied batch
 * goes.
 */
export function cleanSegment(data: Buffer, latest: Map<string, number>, dropTombstones: boolean, isAborted?: AbortedTxnCheck): CleanResult {
  const parts: Buffer[] = [];
  let changed = false;
  let removed = 0;
  for (let pos = 0; pos + BATCH_LOG_OVERHEAD <= data.length; ) {
    const size = BATCH_LOG_OVERHEAD + data.readInt32BE(pos + BATCH_OFFSET_LENGTH);
    const whole = data.subarray(pos, pos + size);
    const batch = keptWhole(data, pos, isAborted) ? null : decodeOrNull(data, pos);
    pos += size;
    if (!batch) {
      parts.push(whole);
      continue;
    }
    const survivors = batch.records.filter((r) => {
      if (r.key === null) return true;
      if (latest.get(keyOf(r.key)) !== Number(r.offset)) return false;
      return !(dropTombstones && r.value === null);
    });
    if (survivors.length === batch.records.length) {
      parts.push(whole);
      continue;
    }
    changed = true;
    removed += batch.records.length - survivors.length;
    if (survivors.length === 0) continue;
    const base = Number(survivors[0].offset);
    const rewritten = encodeRecordBatch(
      survivors.map((r) => ({ key: r.key, value: r.value, timestamp: r.timestamp, headers: r.headers })),
      { baseOffset: base, offsetDeltas: survivors.map((r) => Number(r.offset) - base), baseTimestamp: batch.header.baseTimestamp },
    );
    parts.push(rewritten);
  }
  return { data: changed ? Buffer.concat(parts) : data, changed, removed };
}

