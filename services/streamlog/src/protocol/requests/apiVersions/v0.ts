// ApiVersions v0 (key 18). Request: empty body.
// Response: error_code int16, api_keys [api_key int16, min_version int16, max_version int16]
// Also the layout of the answer to an ApiVersions version we do not implement: Kafka answers
// UNSUPPORTED_VERSION in v0 (which every client can parse) listing what it supports. librdkafka
// sends v3 first, cannot parse that v0 answer as v3, and retries with v0; kafkajs starts at v2.
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';
import type { ApiVersionRange, ApiVersionsRequest } from './v2.js';

export interface ApiVersionsResponseV0 { errorCode: number; apiKeys: ApiVersionRange[] }

export function decodeRequest(_r: Reader): ApiVersionsRequest {
  return {};
}

export function encodeResponse(w: Writer, res: ApiVersionsResponseV0): void {
  w.int16(res.errorCode);
  w.array(res.apiKeys, (w, a) => w.int16(a.apiKey).int16(a.minVersion).int16(a.maxVersion));
}
