// Fixed 61-byte header of a Kafka record batch (magic 2). Field positions from the protocol spec:
// baseOffset int64 | batchLength int32 | partitionLeaderEpoch int32 | magic int8 | crc uint32 |
// attributes int16 | lastOffsetDelta int32 | baseTimestamp int64 | maxTimestamp int64 |
// producerId int64 | producerEpoch int16 | baseSequence int32 | recordCount int32 | records...
// batchLength counts the bytes after itself; the CRC-32C covers attributes through the end.

export const BATCH_OFFSET_BASE_OFFSET = 0;
export const BATCH_OFFSET_LENGTH = 8;
export const BATCH_OFFSET_LEADER_EPOCH = 12;
export const BATCH_OFFSET_MAGIC = 16;
export const BATCH_OFFSET_CRC = 17;
export const BATCH_OFFSET_ATTRIBUTES = 21;
export const BATCH_OFFSET_LAST_OFFSET_DELTA = 23;
export const BATCH_OFFSET_BASE_TIMESTAMP = 27;
export const BATCH_OFFSET_MAX_TIMESTAMP = 35;
export const BATCH_OFFSET_PRODUCER_ID = 43;
export const BATCH_OFFSET_PRODUCER_EPOCH = 51;
export const BATCH_OFFSET_BASE_SEQUENCE = 53;
export const BATCH_OFFSET_RECORD_COUNT = 57;
export const BATCH_HEADER_SIZE = 61;
/** bytes before batchLength's coverage starts (baseOffset + batchLength) */
export const BATCH_LOG_OVERHEAD = 12;
export const MAGIC_V2 = 2;

export const CompressionCodec = { None: 0, Gzip: 1, Snappy: 2, Lz4: 3, Zstd: 4 } as const;
export const COMPRESSION_MASK = 0x07;
export const TIMESTAMP_TYPE_LOG_APPEND = 0x08;
export const TRANSACTIONAL_FLAG = 0x10;
export const CONTROL_FLAG = 0x20;
/** KIP-534: the batch's base timestamp is the time after which the cleaner may remove it (set on cleaned markers) */
export const DELETE_HORIZON_FLAG = 0x40;

export interface RecordBatchHeader {
  baseOffset: bigint;
  batchLength: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  baseTimestamp: bigint;
  maxTimestamp: bigint;
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
}

export function readBatchHeader(buf: Buffer, pos = 0): RecordBatchHeader {
  if (buf.length - pos < BATCH_HEADER_SIZE) throw new RangeError('record batch header truncated');
  return {
    baseOffset: buf.readBigInt64BE(pos + BATCH_OFFSET_BASE_OFFSET),
    batchLength: buf.readInt32BE(pos + BATCH_OFFSET_LENGTH),
    partitionLeaderEpoch: buf.readInt32BE(pos + BATCH_OFFSET_LEADER_EPOCH),
    magic: buf.readInt8(pos + BATCH_OFFSET_MAGIC),
    crc: buf.readUInt32BE(pos + BATCH_OFFSET_CRC),
    attributes: buf.readInt16BE(pos + BATCH_OFFSET_ATTRIBUTES),
    lastOffsetDelta: buf.readInt32BE(pos + BATCH_OFFSET_LAST_OFFSET_DELTA),
    baseTimestamp: buf.readBigInt64BE(pos + BATCH_OFFSET_BASE_TIMESTAMP),
    maxTimestamp: buf.readBigInt64BE(pos + BATCH_OFFSET_MAX_TIMESTAMP),
    producerId: buf.readBigInt64BE(pos + BATCH_OFFSET_PRODUCER_ID),
    producerEpoch: buf.readInt16BE(pos + BATCH_OFFSET_PRODUCER_EPOCH),
    baseSequence: buf.readInt32BE(pos + BATCH_OFFSET_BASE_SEQUENCE),
    recordCount: buf.readInt32BE(pos + BATCH_OFFSET_RECORD_COUNT),
  };
}

// Hot-path accessors: int64 fields as JS numbers (exact below 2^53) without allocating BigInts.

export function readInt64AsNumber(buf: Buffer, pos: number): number {
  return buf.readInt32BE(pos) * 0x100000000 + buf.readUInt32BE(pos + 4);
}

export function writeInt64FromNumber(buf: Buffer, pos: number, value: number): void {
  const hi = Math.floor(value / 0x100000000);
  buf.writeInt32BE(hi, pos);
  buf.writeUInt32BE(value - hi * 0x100000000, pos + 4);
}
