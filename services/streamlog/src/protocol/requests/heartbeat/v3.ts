// Heartbeat v3 (key 12).
// Request: group_id string, generation_id int32, member_id string, group_instance_id nullable string
// Response: throttle_time_ms int32, error_code int16
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';

export interface HeartbeatRequest { groupId: string; generationId: number; memberId: string; groupInstanceId: string | null }
export interface HeartbeatResponse { throttleTimeMs: number; errorCode: number }

export function decodeRequest(r: Reader): HeartbeatRequest {
  return { groupId: r.string(), generationId: r.int32(), memberId: r.string(), groupInstanceId: r.nullableString() };
}

export function encodeResponse(w: Writer, res: HeartbeatResponse): void {
  w.int32(res.throttleTimeMs).int16(res.errorCode);
}
