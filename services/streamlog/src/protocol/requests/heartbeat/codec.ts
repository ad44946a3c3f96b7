// Heartbeat v0-v3 (key 12), one parameterised codec; vN.ts files bind a version.
// Request: group_id string, generation_id int32, member_id string, group_instance_id nullable string (v3)
// Response: throttle_time_ms int32 (v1), error_code int16
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';

export interface HeartbeatRequest { groupId: string; generationId: number; memberId: string; groupInstanceId: string | null }
export interface HeartbeatResponse { throttleTimeMs: number; errorCode: number }

export function decodeHeartbeatRequest(r: Reader, version: number): HeartbeatRequest {
  return { groupId: r.string(), generationId: r.int32(), memberId: r.string(), groupInstanceId: version >= 3 ? r.nullableString() : null };
}

export function encodeHeartbeatResponse(w: Writer, res: HeartbeatResponse, version: number): void {
  if (version >= 1) w.int32(res.throttleTimeMs);
  w.int16(res.errorCode);
}
