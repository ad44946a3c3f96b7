// ApiVersions v1 (key 18): v0 plus throttle_time_ms; same layout as v2.
// Request: empty body.
// Response: error_code int16, api_keys [api_key int16, min_version int16, max_version int16], throttle_time_ms int32
export { decodeRequest, encodeResponse } from './v2.js';
