// ApiVersions v0 (key 18). Used only to answer a request whose version we do not implement: Kafka
// answers UNSUPPORTED_VERSION in the v0 layout (which every client can parse) listing what it supports,
// so the client can retry with a version from that list (librdkafka starts with v3).
// Response: error_code int16, api_keys [api_key int16, min_version int16, max_version int16]
import type { Writer } from '../../primitives/writer.js';
import type { ApiVersionRange } from './v2.js';

export function encodeResponse(w: Writer, res: { errorCode: number; apiKeys: ApiVersionRange[] }): void {
  w.int16(res.errorCode);
  w.array(res.apiKeys, (w, a) => w.int16(a.apiKey).int16(a.minVersion).int16(a.maxVersion));
}
