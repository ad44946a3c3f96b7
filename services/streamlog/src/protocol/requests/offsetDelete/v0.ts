// OffsetDelete v0 (key 47).
// Request: group_id string, topics [name string, partitions [partition_index int32]]
// Response: error_code int16, throttle_time_ms int32, topics [name string, partitions [partition_index int32, error_code int16]]
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';

export interface OffsetDeleteRequest { groupId: string; topics: { name: string; partitions: number[] }[] }
export interface OffsetDeleteResponse {
  errorCode: number;
  throttleTimeMs: number;
  topics: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[];
}

export function decodeRequest(r: Reader): OffsetDeleteRequest {
  const groupId = r.string();
  const topics = r.array((r) => ({ name: r.string(), partitions: r.array((r) => r.int32()) }));
  return { groupId, topics };
}

export function encodeResponse(w: Writer, res: OffsetDeleteResponse): void {
  w.int16(res.errorCode).int32(res.throttleTimeMs);
  w.array(res.topics, (w, t) => {
    w.string(t.name);
    w.array(t.partitions, (w, p) => w.int32(p.partitionIndex).int16(p.errorCode));
  });
}
