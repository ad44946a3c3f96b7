// SaslAuthenticate v1 (key 36).
// Request: auth_bytes bytes
// Response: error_code int16, error_message nullable string, auth_bytes bytes, session_lifetime_ms int64
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';

export interface SaslAuthenticateRequest { authBytes: Buffer }
export interface SaslAuthenticateResponse { errorCode: number; errorMessage: string | null; authBytes: Buffer; sessionLifetimeMs: bigint }

export function decodeRequest(r: Reader): SaslAuthenticateRequest {
  return { authBytes: r.bytes() };
}

export function encodeResponse(w: Writer, res: SaslAuthenticateResponse): void {
  w.int16(res.errorCode).nullableString(res.errorMessage).bytes(res.authBytes).int64(res.sessionLifetimeMs);
}
