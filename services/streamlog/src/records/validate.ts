import { crc32c } from '@node-rs/crc32';
import {
  BATCH_HEADER_SIZE,
  BATCH_LOG_OVERHEAD,
  BATCH_OFFSET_ATTRIBUTES,
  BATCH_OFFSET_CRC,
  BATCH_OFFSET_LAST_OFFSET_DELTA,
  BATCH_OFFSET_LENGTH,
  BATCH_OFFSET_MAGIC,
  BATCH_OFFSET_MAX_TIMESTAMP,
  BATCH_OFFSET_RECORD_COUNT,
  COMPRESSION_MASK,
  MAGIC_V2,
  readInt64AsNumber,
} from './batch-header.js';
import { RecordBatchError } from './errors.js';

/** smallest possible record: length, attributes, tsDelta, offsetDelta, key -1, value -1, 0 headers */
const MIN_RECORD_SIZE = 7;

/**
 * Checks one or more concatenated batches as a producer sends them: magic 2, lengths that add up,
 * CRC-32C, a sane record count and (for uncompressed batches) records that tile the batch exactly.
 * Returns the number of batches; throws RecordBatchError naming the first problem.
 */
export function validateBatches(buf: Buffer): number {
  if (buf.length === 0) throw new RecordBatchError('no record batches');
  let pos = 0;
  let count = 0;
  while (pos < buf.length) {
    const size = validateBatchAt(buf, pos, buf.length);
    pos += size;
    count++;
  }
  return count;
}

/** Whether the batch of `size` bytes at `pos` carries the CRC-32C of its bytes from attributes on. */
export function batchCrcMatches(buf: Buffer, pos: number, size: number): boolean {
  return crc32c(buf.subarray(pos + BATCH_OFFSET_ATTRIBUTES, pos + size)) === buf.readUInt32BE(pos + BATCH_OFFSET_CRC);
}

/** Validates the batch at `pos` (bounded by `limit`) and returns its total size. */
export function validateBatchAt(buf: Buffer, pos: number, limit: number): number {
  if (limit - pos < BATCH_HEADER_SIZE) throw new RecordBatchError(`batch at byte ${pos}: truncated header`);
  const batchLength = buf.readInt32BE(pos + BATCH_OFFSET_LENGTH);
  if (batchLength < BATCH_HEADER_SIZE - BATCH_LOG_OVERHEAD) throw new RecordBatchError(`batch at byte ${pos}: batchLength ${batchLength} too small`);
  const size = BATCH_LOG_OVERHEAD + batchLength;
  if (pos + size > limit) throw new RecordBatchError(`batch at byte ${pos}: batchLength ${batchLength} runs past the data`);
  const magic = buf[pos + BATCH_OFFSET_MAGIC];
  if (magic !== MAGIC_V2) throw new RecordBatchError(`batch at byte ${pos}: magic ${magic}, only 2 is supported`);
  if (!batchCrcMatches(buf, pos, size)) throw new RecordBatchError(`batch at byte ${pos}: CRC mismatch`);
  const recordCount = buf.readInt32BE(pos + BATCH_OFFSET_RECORD_COUNT);
  const lastOffsetDelta = buf.readInt32BE(pos + BATCH_OFFSET_LAST_OFFSET_DELTA);
  if (recordCount <= 0) throw new RecordBatchError(`batch at byte ${pos}: record count ${recordCount}`);
  if (lastOffsetDelta !== recordCount - 1) {
    throw new RecordBatchError(`batch at byte ${pos}: lastOffsetDelta ${lastOffsetDelta} does not match ${recordCount} records`);
  }
  const attributes = buf.readInt16BE(pos + BATCH_OFFSET_ATTRIBUTES);
  if ((attributes & COMPRESSION_MASK) === 0) {
    if (recordCount * MIN_RECORD_SIZE > size - BATCH_HEADER_SIZE) {
      throw new RecordBatchError(`batch at byte ${pos}: ${recordCount} records cannot fit in ${size} bytes`);
    }
    checkRecordFraming(buf, pos + BATCH_HEADER_SIZE, pos + size, recordCount, pos);
  } else if ((attributes & COMPRESSION_MASK) > 4) {
    throw new RecordBatchError(`batch at byte ${pos}: unknown compression codec ${attributes & COMPRESSION_MASK}`);
  }
  return size;
}

/** Walks the record length prefixes: exactly `count` records must tile [start, end). */
function checkRecordFraming(buf: Buffer, start: number, end: number, count: number, batchPos: number): void {
  let p = start;
  for (let i = 0; i < count; i++) {
    // inline zigzag varint read (int32)
    let raw = 0;
    let shift = 0;
    let b: number;
    do {
      if (p >= end || shift > 28) throw new RecordBatchError(`batch at byte ${batchPos}: record ${i} length is malformed`);
      b = buf[p++];
      raw |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    const len = (raw >>> 1) ^ -(raw & 1);
    if (len < MIN_RECORD_SIZE - 1 || p + len > end) throw new RecordBatchError(`batch at byte ${batchPos}: record ${i} length ${len} is invalid`);
    p += len;
  }
  if (p !== end) throw new RecordBatchError(`batch at byte ${batchPos}: ${end - p} bytes after the last record`);
}

/** Header facts the log needs per batch, read without allocation. */
export function batchMaxTimestamp(buf: Buffer, pos: number): number {
  return readInt64AsNumber(buf, pos + BATCH_OFFSET_MAX_TIMESTAMP);
}
