// Produce v3-v7 (key 0), one parameterised codec; vN.ts files bind a version. The request layout is the same for v3-v7.
// Request: transactional_id nullable string, acks int16, timeout_ms int32,
//   topic_data [name string, partition_data [index int32, records nullable bytes (record batches v2)]]
// Response: responses [name string, partition_responses [index int32, error_code int16, base_offset int64,
//   log_append_time_ms int64, log_start_offset int64 (v5)]], throttle_time_ms int32
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';

export interface ProduceRequest {
  transactionalId: string | null;
  acks: number;
  timeoutMs: number;
  topics: { name: string; partitions: { index: number; records: Buffer | null }[] }[];
}
export interface ProducePartitionResponse { index: number; errorCode: number; baseOffset: bigint; logAppendTimeMs: bigint; logStartOffset: bigint }
export interface ProduceResponse { responses: { name: string; partitions: ProducePartitionResponse[] }[]; throttleTimeMs: number }

export function decodeProduceRequest(r: Reader): ProduceRequest {
  const transactionalId = r.nullableString();
  const acks = r.int16();
  const timeoutMs = r.int32();
  const topics = r.array((r) => ({
    name: r.string(),
    partitions: r.array((r) => ({ index: r.int32(), records: r.nullableBytes() })),
  }));
  return { transactionalId, acks, timeoutMs, topics };
}

export function encodeProduceResponse(w: Writer, res: ProduceResponse, version: number): void {
  w.array(res.responses, (w, t) => {
    w.string(t.name);
    w.array(t.partitions, (w, p) => {
      w.int32(p.index).int16(p.errorCode).int64(p.baseOffset).int64(p.logAppendTimeMs);
      if (version >= 5) w.int64(p.logStartOffset);
    });
  });
  w.int32(res.throttleTimeMs);
}
