import { gunzipSync } from 'node:zlib';
import {
  BATCH_HEADER_SIZE,
  BATCH_LOG_OVERHEAD,
  COMPRESSION_MASK,
  CompressionCodec,
  readBatchHeader,
  type RecordBatchHeader,
} from './batch-header.js';
import { RecordBatchError } from './errors.js';
import { VarintReader } from './varint.js';

export interface DecodedHeader {
  key: string;
  value: Buffer | null;
}

export interface DecodedRecord {
  offset: bigint;
  timestamp: bigint;
  key: Buffer | null;
  value: Buffer | null;
  headers: DecodedHeader[];
}

export interface DecodedBatch {
  header: RecordBatchHeader;
  records: DecodedRecord[];
}

/** a compressed batch may not inflate beyond this (a gzip bomb must not exhaust memory) */
export const MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

/** The record section of a batch, decompressed where we can (none, gzip). */
function recordsSection(buf: Buffer, pos: number, end: number, header: RecordBatchHeader): Buffer {
  const section = buf.subarray(pos + BATCH_HEADER_SIZE, end);
  const codec = header.attributes & COMPRESSION_MASK;
  if (codec === CompressionCodec.None) return section;
  if (codec === CompressionCodec.Gzip) {
    try {
      return gunzipSync(section, { maxOutputLength: MAX_DECOMPRESSED_BYTES });
    } catch (err) {
      throw new RecordBatchError(`gzip records do not decompress: ${(err as Error).message}`);
    }
  }
  throw new RecordBatchError(`compression codec ${codec} is not supported for decoding (stored as-is)`);
}

/** Decodes the batch starting at `pos`; values are views into `buf` (or the decompressed copy). */
export function decodeRecordBatch(buf: Buffer, pos = 0): DecodedBatch {
  if (buf.length - pos < BATCH_HEADER_SIZE) throw new RecordBatchError('record batch header truncated');
  const header = readBatchHeader(buf, pos);
  const end = pos + BATCH_LOG_OVERHEAD + header.batchLength;
  if (header.magic !== 2) throw new RecordBatchError(`unsupported magic ${header.magic}`);
  if (end > buf.length || header.batchLength < BATCH_HEADER_SIZE - BATCH_LOG_OVERHEAD) {
    throw new RecordBatchError('record batch truncated');
  }
  const section = recordsSection(buf, pos, end, header);
  // every record takes at least 7 bytes: never trust the count further than the bytes allow
  if (header.recordCount < 0 || header.recordCount * 7 > section.length) {
    throw new RecordBatchError(`record count ${header.recordCount} does not fit in ${section.length} bytes`);
  }
  const r = new VarintReader(section, 0, section.length);
  const records: DecodedRecord[] = new Array(header.recordCount);
  try {
    for (let i = 0; i < header.recordCount; i++) {
      const len = r.varint();
      const recordEnd = r.pos + len;
      if (len < 0 || recordEnd > section.length) throw new RecordBatchError(`record ${i} overruns the batch`);
      r.end = recordEnd;
      r.pos++; // attributes
      const tsDelta = r.varlong();
      const offsetDelta = r.varint();
      const key = r.bytes();
      const value = r.bytes();
      const headerCount = r.varint();
      const headers: DecodedHeader[] = [];
      for (let h = 0; h < headerCount; h++) {
        const hk = r.bytes();
        const hv = r.bytes();
        headers.push({ key: hk === null ? '' : hk.toString('utf8'), value: hv });
      }
      if (r.pos !== recordEnd) throw new RecordBatchError(`record ${i} length does not match its fields`);
      r.end = section.length;
      records[i] = {
        offset: header.baseOffset + BigInt(offsetDelta),
        timestamp: header.baseTimestamp + BigInt(tsDelta),
        key,
        value,
        headers,
      };
    }
  } catch (err) {
    if (err instanceof RangeError) throw new RecordBatchError(err.message);
    throw err;
  }
  return { header, records };
}

/** Decodes every complete batch in `buf` (a trailing partial batch, as Fetch may return, is ignored). */
export function decodeRecordBatches(buf: Buffer): DecodedBatch[] {
  const out: DecodedBatch[] = [];
  let pos = 0;
  while (buf.length - pos >= BATCH_HEADER_SIZE) {
    const size = BATCH_LOG_OVERHEAD + buf.readInt32BE(pos + 8);
    if (pos + size > buf.length) break;
    out.push(decodeRecordBatch(buf, pos));
    pos += size;
  }
  return out;
}
