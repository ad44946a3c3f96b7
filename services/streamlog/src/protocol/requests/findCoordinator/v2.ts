// FindCoordinator v2 (key 10).
// Request: key string, key_type int8 (0 = group, 1 = transaction)
// Response: throttle_time_ms int32, error_code int16, error_message nullable string, node_id int32, host string, port int32
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';

export interface FindCoordinatorRequest { key: string; keyType: number }
export interface FindCoordinatorResponse { throttleTimeMs: number; errorCode: number; errorMessage: string | null; nodeId: number; host: string; port: number }

export function decodeRequest(r: Reader): FindCoordinatorRequest {
  return { key: r.string(), keyType: r.int8() };
}

export function encodeResponse(w: Writer, res: FindCoordinatorResponse): void {
  w.int32(res.throttleTimeMs).int16(res.errorCode).nullableString(res.errorMessage).int32(res.nodeId).string(res.host).int32(res.port);
}
