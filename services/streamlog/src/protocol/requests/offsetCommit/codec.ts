// OffsetCommit v1-v5 (key 8), one parameterised codec; vN.ts files bind a version.
// Request: group_id string, generation_id int32, member_id string, retention_time_ms int64 (v2-v4),
//   topics [name string, partitions [partition_index int32, committed_offset int64,
//     commit_timestamp int64 (v1 only), committed_metadata nullable string]]
// Response: throttle_time_ms int32 (v3), topics [name string, partitions [partition_index int32, error_code int16]]
// (retention and commit timestamps are accepted and ignored: committed offsets are kept until the group is deleted)
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';

export interface OffsetCommitRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  topics: { name: string; partitions: { partitionIndex: number; committedOffset: bigint; committedMetadata: string | null }[] }[];
}
export interface OffsetCommitResponse { throttleTimeMs: number; topics: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[] }

export function decodeOffsetCommitRequest(r: Reader, version: number): OffsetCommitRequest {
  const groupId = r.string();
  const generationId = r.int32();
  const memberId = r.string();
  if (version >= 2 && version <= 4) r.int64(); // retention_time_ms
  const topics = r.array((r) => ({
    name: r.string(),
    partitions: r.array((r) => {
      const partitionIndex = r.int32();
      const committedOffset = r.int64();
      if (version === 1) r.int64(); // commit_timestamp
      return { partitionIndex, committedOffset, committedMetadata: r.nullableString() };
    }),
  }));
  return { groupId, generationId, memberId, topics };
}

export function encodeOffsetCommitResponse(w: Writer, res: OffsetCommitResponse, version: number): void {
  if (version >= 3) w.int32(res.throttleTimeMs);
  w.array(res.topics, (w, t) => {
    w.string(t.name);
    w.array(t.partitions, (w, p) => w.int32(p.partitionIndex).int16(p.errorCode));
  });
}
