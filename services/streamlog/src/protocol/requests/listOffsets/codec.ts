// ListOffsets v1-v3 (key 2), one parameterised codec; vN.ts files bind a version.
// Request: replica_id int32, isolation_level int8 (v2), topics [name string, partitions [partition_index int32, timestamp int64]]
//   (timestamp -1 = latest, -2 = earliest)
// Response: throttle_time_ms int32 (v2), topics [name string, partitions [partition_index int32, error_code int16, timestamp int64, offset int64]]
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';

export interface ListOffsetsRequest {
  replicaId: number;
  isolationLevel: number;
  topics: { name: string; partitions: { partitionIndex: number; timestamp: bigint }[] }[];
}
export interface ListOffsetsPartitionResponse { partitionIndex: number; errorCode: number; timestamp: bigint; offset: bigint }
export interface ListOffsetsResponse { throttleTimeMs: number; topics: { name: string; partitions: ListOffsetsPartitionResponse[] }[] }

export function decodeListOffsetsRequest(r: Reader, version: number): ListOffsetsRequest {
  const replicaId = r.int32();
  const isolationLevel = version >= 2 ? r.int8() : 0;
  const topics = r.array((r) => ({
    name: r.string(),
    partitions: r.array((r) => ({ partitionIndex: r.int32(), timestamp: r.int64() })),
  }));
  return { replicaId, isolationLevel, topics };
}

export function encodeListOffsetsResponse(w: Writer, res: ListOffsetsResponse, version: number): void {
  if (version >= 2) w.int32(res.throttleTimeMs);
  w.array(res.topics, (w, t) => {
    w.string(t.name);
    w.array(t.partitions, (w, p) => w.int32(p.partitionIndex).int16(p.errorCode).int64(p.timestamp).int64(p.offset));
  });
}
