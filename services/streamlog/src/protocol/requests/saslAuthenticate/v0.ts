// SaslAuthenticate v0 (key 36): v1 without session_lifetime_ms (librdkafka's "SaslAuthReq" feature needs v0).
// Request: auth_bytes bytes
// Response: error_code int16, error_message nullable string, auth_bytes bytes
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';
import type { SaslAuthenticateRequest, SaslAuthenticateResponse } from './v1.js';

export function decodeRequest(r: Reader): SaslAuthenticateRequest {
  return { authBytes: r.bytes() };
}

export function encodeResponse(w: Writer, res: SaslAuthenticateResponse): void {
  w.int16(res.errorCode).nullableString(res.errorMessage).bytes(res.authBytes);
}
