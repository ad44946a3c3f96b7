// SaslHandshake v1 (key 17). v1 means the SASL tokens then travel in SaslAuthenticate requests.
// Request: mechanism string
// Response: error_code int16, mechanisms [string]
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';

export interface SaslHandshakeRequest { mechanism: string }
export interface SaslHandshakeResponse { errorCode: number; mechanisms: string[] }

export function decodeRequest(r: Reader): SaslHandshakeRequest {
  return { mechanism: r.string() };
}

export function encodeResponse(w: Writer, res: SaslHandshakeResponse): void {
  w.int16(res.errorCode).array(res.mechanisms, (w, m) => w.string(m));
}
