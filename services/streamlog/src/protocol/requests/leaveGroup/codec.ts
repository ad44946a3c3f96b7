// LeaveGroup v0-v3 (key 13), one parameterised codec; vN.ts files bind a version. Before v3 one
// member leaves per request and the response carries just its error.
// Request: group_id string, member_id string (v0-v2) | members [member_id string, group_instance_id nullable string] (v3)
// Response: throttle_time_ms int32 (v1), error_code int16, members [member_id string, group_instance_id nullable string, error_code int16] (v3)
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';

export interface LeaveGroupRequest { groupId: string; members: { memberId: string; groupInstanceId: string | null }[] }
export interface LeaveGroupResponse {
  throttleTimeMs: number;
  errorCode: number;
  members: { memberId: string; groupInstanceId: string | null; errorCode: number }[];
}

export function decodeLeaveGroupRequest(r: Reader, version: number): LeaveGroupRequest {
  const groupId = r.string();
  if (version < 3) return { groupId, members: [{ memberId: r.string(), groupInstanceId: null }] };
  return { groupId, members: r.array((r) => ({ memberId: r.string(), groupInstanceId: r.nullableString() })) };
}

export function encodeLeaveGroupResponse(w: Writer, res: LeaveGroupResponse, version: number): void {
  if (version >= 1) w.int32(res.throttleTimeMs);
  if (version < 3) {
    // the single member's outcome is the response's error
    w.int16(res.errorCode !== 0 ? res.errorCode : res.members[0]?.errorCode ?? 0);
    return;
  }
  w.int16(res.errorCode);
  w.array(res.members, (w, m) => w.string(m.memberId).nullableString(m.groupInstanceId).int16(m.errorCode));
}
