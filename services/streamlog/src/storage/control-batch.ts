// Transaction markers as Kafka writes them: a control batch (attributes transactional + control,
// base sequence -1) holding one record whose key is [version int16 = 0, type int16: 0 abort, 1 commit]
// and whose value is [version int16 = 0, coordinator epoch int32].
import { BATCH_HEADER_SIZE, CONTROL_FLAG, TRANSACTIONAL_FLAG } from '../records/batch-header.js';
import { encodeRecordBatch } from '../records/encode.js';
import { VarintReader } from '../records/varint.js';

const ABORT = 0;
const COMMIT = 1;

export function controlBatch(producerId: bigint, epoch: number, commit: boolean): Buffer {
  const key = Buffer.alloc(4);
  key.writeInt16BE(commit ? COMMIT : ABORT, 2);
  const value = Buffer.alloc(6); // version 0, coordinator epoch 0 (a single broker never moves its coordinator)
  return encodeRecordBatch([{ key, value, timestamp: Date.now() }], {
    producerId,
    producerEpoch: epoch,
    baseSequence: -1,
    attributes: TRANSACTIONAL_FLAG | CONTROL_FLAG,
  });
}

/** whether the control batch at `pos` is a commit marker (its first record's key type is 1) */
export function isCommitMarker(buf: Buffer, pos: number): boolean {
  const size = 12 + buf.readInt32BE(pos + 8);
  try {
    const r = new VarintReader(buf, pos + BATCH_HEADER_SIZE, pos + size);
    r.varint(); // record length
    r.pos += 1; // record attributes
    r.varlong(); // timestamp delta
    r.varint(); // offset delta
    const key = r.bytes();
    return key !== null && key.length >= 4 && key.readInt16BE(2) === COMMIT;
  } catch {
    return false;
  }
}
