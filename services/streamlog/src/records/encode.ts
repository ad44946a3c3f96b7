import { crc32c } from '@node-rs/crc32';
import {
  BATCH_HEADER_SIZE,
  BATCH_LOG_OVERHEAD,
  BATCH_OFFSET_ATTRIBUTES,
  BATCH_OFFSET_CRC,
  COMPRESSION_MASK,
  MAGIC_V2,
  writeInt64FromNumber,
} from './batch-header.js';
import { sizeOfVarint, sizeOfVarlong, writeVarint, writeVarlong } from './varint.js';

export interface RecordHeaderInput {
  key: string;
  value: Buffer | null;
}

export interface RecordInput {
  key: Buffer | null;
  value: Buffer | null;
  /** ms since epoch; defaults to the batch's base timestamp */
  timestamp?: bigint | number;
  headers?: RecordHeaderInput[];
}

export interface EncodeBatchOptions {
  baseOffset?: bigint | number;
  partitionLeaderEpoch?: number;
  /** defaults to the first record's timestamp, else Date.now() */
  baseTimestamp?: bigint | number;
  producerId?: bigint | number;
  producerEpoch?: number;
  baseSequence?: number;
  /** extra attribute bits (transactional, control); compression is not supported by the encoder */
  attributes?: number;
  /** per record, its offset minus the base offset (ascending); default 0, 1, 2, … — compaction keeps offsets with gaps */
  offsetDeltas?: number[];
}

function headersSize(headers: RecordHeaderInput[] | undefined): number {
  if (!headers || headers.length === 0) return 1;
  let size = sizeOfVarint(headers.length);
  for (const h of headers) {
    const k = Buffer.byteLength(h.key);
    size += sizeOfVarint(k) + k;
    size += h.value === null ? 1 : sizeOfVarint(h.value.length) + h.value.length;
  }
  return size;
}

/** Encodes records into one uncompressed record batch (magic 2) with a correct CRC-32C. */
export function encodeRecordBatch(records: RecordInput[], options: EncodeBatchOptions = {}): Buffer {
  if (records.length === 0) throw new RangeError('a record batch needs at least one record');
  if (options.attributes !== undefined && (options.attributes & COMPRESSION_MASK) !== 0) {
    throw new RangeError('encodeRecordBatch writes uncompressed batches only');
  }
  const firstTs = records[0].timestamp;
  const baseTimestamp = Number(options.baseTimestamp ?? firstTs ?? Date.now());
  let maxTimestamp = -Infinity;
  const bodySizes = new Array<number>(records.length);
  const deltas = new Array<number>(records.length);
  let total = BATCH_HEADER_SIZE;
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    const ts = r.timestamp === undefined ? baseTimestamp : Number(r.timestamp);
    if (ts > maxTimestamp) maxTimestamp = ts;
    deltas[i] = ts - baseTimestamp;
    const keyLen = r.key === null ? -1 : r.key.length;
    const valueLen = r.value === null ? -1 : r.value.length;
    const body =
      1 +
      sizeOfVarlong(deltas[i]) +
      sizeOfVarint(options.offsetDeltas?.[i] ?? i) +
      sizeOfVarint(keyLen) +
      (keyLen > 0 ? keyLen : 0) +
      sizeOfVarint(valueLen) +
      (valueLen > 0 ? valueLen : 0) +
      headersSize(r.headers);
    bodySizes[i] = body;
    total += sizeOfVarint(body) + body;
  }

  const buf = Buffer.allocUnsafe(total);
  writeInt64FromNumber(buf, 0, Number(options.baseOffset ?? 0));
  buf.writeInt32BE(total - BATCH_LOG_OVERHEAD, 8);
  buf.writeInt32BE(options.partitionLeaderEpoch ?? 0, 12);
  buf.writeInt8(MAGIC_V2, 16);
  buf.writeInt16BE(options.attributes ?? 0, BATCH_OFFSET_ATTRIBUTES);
  buf.writeInt32BE(options.offsetDeltas?.[records.length - 1] ?? records.length - 1, 23);
  writeInt64FromNumber(buf, 27, baseTimestamp);
  writeInt64FromNumber(buf, 35, maxTimestamp);
  writeInt64FromNumber(buf, 43, Number(options.producerId ?? -1));
  buf.writeInt16BE(options.producerEpoch ?? -1, 51);
  buf.writeInt32BE(options.baseSequence ?? -1, 53);
  buf.writeInt32BE(records.length, 57);

  let pos = BATCH_HEADER_SIZE;
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    pos = writeVarint(buf, pos, bodySizes[i]);
    buf[pos++] = 0; // record attributes: unused
    pos = writeVarlong(buf, pos, deltas[i]);
    pos = writeVarint(buf, pos, options.offsetDeltas?.[i] ?? i);
    if (r.key === null) pos = writeVarint(buf, pos, -1);
    else {
      pos = writeVarint(buf, pos, r.key.length);
      buf.set(r.key, pos); // TypedArray.set: cheaper than Buffer#copy for small fields
      pos += r.key.length;
    }
    if (r.value === null) pos = writeVarint(buf, pos, -1);
    else {
      pos = writeVarint(buf, pos, r.value.length);
      buf.set(r.value, pos);
      pos += r.value.length;
    }
    const headers = r.headers ?? [];
    pos = writeVarint(buf, pos, headers.length);
    for (const h of headers) {
      const k = Buffer.byteLength(h.key);
      pos = writeVarint(buf, pos, k);
      pos += buf.write(h.key, pos, 'utf8');
      if (h.value === null) pos = writeVarint(buf, pos, -1);
      else {
        pos = writeVarint(buf, pos, h.value.length);
        buf.set(h.value, pos);
        pos += h.value.length;
      }
    }
  }
  buf.writeUInt32BE(crc32c(buf.subarray(BATCH_OFFSET_ATTRIBUTES)), BATCH_OFFSET_CRC);
  return buf;
}
