// FindCoordinator v0-v2 (key 10), one parameterised codec; vN.ts files bind a version.
// Request: key string, key_type int8 (v1; 0 = group, 1 = transaction)
// Response: throttle_time_ms int32 (v1), error_code int16, error_message nullable string (v1), node_id int32, host string, port int32
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';

export interface FindCoordinatorRequest { key: string; keyType: number }
export interface FindCoordinatorResponse { throttleTimeMs: number; errorCode: number; errorMessage: string | null; nodeId: number; host: string; port: number }

export function decodeFindCoordinatorRequest(r: Reader, version: number): FindCoordinatorRequest {
  return { key: r.string(), keyType: version >= 1 ? r.int8() : 0 };
}

export function encodeFindCoordinatorResponse(w: Writer, res: FindCoordinatorResponse, version: number): void {
  if (version >= 1) w.int32(res.throttleTimeMs);
  w.int16(res.errorCode);
  if (version >= 1) w.nullableString(res.errorMessage);
  w.int32(res.nodeId).string(res.host).int32(res.port);
}
