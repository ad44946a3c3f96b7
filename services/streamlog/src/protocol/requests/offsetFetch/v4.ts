// OffsetFetch v4 (key 9).
// Request: group_id string, topics nullable [name string, partition_indexes [int32]] (null = every committed partition)
// Response: throttle_time_ms int32, topics [name string, partitions [partition_index int32, committed_offset int64,
//   metadata nullable string, error_code int16]], error_code int16
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';

export interface OffsetFetchRequest { groupId: string; topics: { name: string; partitionIndexes: number[] }[] | null }
export interface OffsetFetchPartition { partitionIndex: number; committedOffset: bigint; metadata: string | null; errorCode: number }
export interface OffsetFetchResponse { throttleTimeMs: number; topics: { name: string; partitions: OffsetFetchPartition[] }[]; errorCode: number }

export function decodeRequest(r: Reader): OffsetFetchRequest {
  return { groupId: r.string(), topics: r.nullableArray((r) => ({ name: r.string(), partitionIndexes: r.int32Array() })) };
}

export function encodeResponse(w: Writer, res: OffsetFetchResponse): void {
  w.int32(res.throttleTimeMs);
  w.array(res.topics, (w, t) => {
    w.string(t.name);
    w.array(t.partitions, (w, p) => w.int32(p.partitionIndex).int64(p.committedOffset).nullableString(p.metadata).int16(p.errorCode));
  });
  w.int16(res.errorCode);
}
