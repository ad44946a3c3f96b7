// LeaveGroup v3 (key 13).
// Request: group_id string, members [member_id string, group_instance_id nullable string]
// Response: throttle_time_ms int32, error_code int16, members [member_id string, group_instance_id nullable string, error_code int16]
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';

export interface LeaveGroupRequest { groupId: string; members: { memberId: string; groupInstanceId: string | null }[] }
export interface LeaveGroupResponse {
  throttleTimeMs: number;
  errorCode: number;
  members: { memberId: string; groupInstanceId: string | null; errorCode: number }[];
}

export function decodeRequest(r: Reader): LeaveGroupRequest {
  return { groupId: r.string(), members: r.array((r) => ({ memberId: r.string(), groupInstanceId: r.nullableString() })) };
}

export function encodeResponse(w: Writer, res: LeaveGroupResponse): void {
  w.int32(res.throttleTimeMs).int16(res.errorCode);
  w.array(res.members, (w, m) => w.string(m.memberId).nullableString(m.groupInstanceId).int16(m.errorCode));
}
