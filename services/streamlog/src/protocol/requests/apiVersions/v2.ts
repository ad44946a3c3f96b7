// ApiVersions v2 (key 18). Request: empty body.
// Response: error_code int16, api_keys [api_key int16, min_version int16, max_version int16], throttle_time_ms int32
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';

export interface ApiVersionRange { apiKey: number; minVersion: number; maxVersion: number }
export type ApiVersionsRequest = Record<string, never>;
export interface ApiVersionsResponse { errorCode: number; apiKeys: ApiVersionRange[]; throttleTimeMs: number }

export function decodeRequest(_r: Reader): ApiVersionsRequest {
  return {};
}

export function encodeResponse(w: Writer, res: ApiVersionsResponse): void {
  w.int16(res.errorCode);
  w.array(res.apiKeys, (w, a) => w.int16(a.apiKey).int16(a.minVersion).int16(a.maxVersion));
  w.int32(res.throttleTimeMs);
}
