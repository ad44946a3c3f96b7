// OffsetCommit v5 (key 8). (v5 dropped retention_time_ms; committed_leader_epoch arrives in v6.)
// Request: group_id string, generation_id int32, member_id string,
//   topics [name string, partitions [partition_index int32, committed_offset int64, committed_metadata nullable string]]
// Response: throttle_time_ms int32, topics [name string, partitions [partition_index int32, error_code int16]]
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';

export interface OffsetCommitRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  topics: { name: string; partitions: { partitionIndex: number; committedOffset: bigint; committedMetadata: string | null }[] }[];
}
export interface OffsetCommitResponse { throttleTimeMs: number; topics: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[] }

export function decodeRequest(r: Reader): OffsetCommitRequest {
  return {
    groupId: r.string(),
    generationId: r.int32(),
    memberId: r.string(),
    topics: r.array((r) => ({
      name: r.string(),
      partitions: r.array((r) => ({ partitionIndex: r.int32(), committedOffset: r.int64(), committedMetadata: r.nullableString() })),
    })),
  };
}

export function encodeResponse(w: Writer, res: OffsetCommitResponse): void {
  w.int32(res.throttleTimeMs);
  w.array(res.topics, (w, t) => {
    w.string(t.name);
    w.array(t.partitions, (w, p) => w.int32(p.partitionIndex).int16(p.errorCode));
  });
}
