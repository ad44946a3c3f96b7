// OffsetFetch v1-v4 (key 9), one parameterised codec; vN.ts files bind a version.
// Request: group_id string, topics [name string, partition_indexes [int32]] (nullable from v2: null = every committed partition)
// Response: throttle_time_ms int32 (v3), topics [name string, partitions [partition_index int32, committed_offset int64,
//   metadata nullable string, error_code int16]], error_code int16 (v2)
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';

export interface OffsetFetchRequest { groupId: string; topics: { name: string; partitionIndexes: number[] }[] | null }
export interface OffsetFetchPartition { partitionIndex: number; committedOffset: bigint; metadata: string | null; errorCode: number }
export interface OffsetFetchResponse { throttleTimeMs: number; topics: { name: string; partitions: OffsetFetchPartition[] }[]; errorCode: number }

export function decodeOffsetFetchRequest(r: Reader, version: number): OffsetFetchRequest {
  const groupId = r.string();
  const topic = (r: Reader) => ({ name: r.string(), partitionIndexes: r.int32Array() });
  return { groupId, topics: version >= 2 ? r.nullableArray(topic) : r.array(topic) };
}

export function encodeOffsetFetchResponse(w: Writer, res: OffsetFetchResponse, version: number): void {
  if (version >= 3) w.int32(res.throttleTimeMs);
  w.array(res.topics, (w, t) => {
    w.string(t.name);
    w.array(t.partitions, (w, p) => w.int32(p.partitionIndex).int64(p.committedOffset).nullableString(p.metadata).int16(p.errorCode));
  });
  if (version >= 2) w.int16(res.errorCode);
}
