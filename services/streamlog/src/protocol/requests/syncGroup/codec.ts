// SyncGroup v0-v3 (key 14), one parameterised codec; vN.ts files bind a version.
// Request: group_id string, generation_id int32, member_id string, group_instance_id nullable string (v3),
//   assignments [member_id string, assignment bytes]
// Response: throttle_time_ms int32 (v1), error_code int16, assignment bytes
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

export function decodeSyncGroupRequest(r: Reader, version: number): SyncGroupRequest {
  return {
    groupId: r.string(),
    generationId: r.int32(),
    memberId: r.string(),
    groupInstanceId: version >= 3 ? r.nullableString() : null,
    assignments: r.array((r) => ({ memberId: r.string(), assignment: Buffer.from(r.bytes()) })),
  };
}

export function encodeSyncGroupResponse(w: Writer, res: SyncGroupResponse, version: number): void {
  if (version >= 1) w.int32(res.throttleTimeMs);
  w.int16(res.errorCode).bytes(res.assignment);
}
