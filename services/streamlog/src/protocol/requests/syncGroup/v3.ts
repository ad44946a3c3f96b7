// SyncGroup v3 (key 14).
// Request: group_id string, generation_id int32, member_id string, group_instance_id nullable string,
//   assignments [member_id string, assignment bytes]
// Response: throttle_time_ms int32, error_code int16, assignment bytes
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';

export interface SyncGroupRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  assignments: { memberId: string; assignment: Buffer }[];
}
export interface SyncGroupResponse { throttleTimeMs: number; errorCode: number; assignment: Buffer }

export function decodeRequest(r: Reader): SyncGroupRequest {
  return {
    groupId: r.string(),
    generationId: r.int32(),
    memberId: r.string(),
    groupInstanceId: r.nullableString(),
    assignments: r.array((r) => ({ memberId: r.string(), assignment: Buffer.from(r.bytes()) })),
  };
}

export function encodeResponse(w: Writer, res: SyncGroupResponse): void {
  w.int32(res.throttleTimeMs).int16(res.errorCode).bytes(res.assignment);
}
