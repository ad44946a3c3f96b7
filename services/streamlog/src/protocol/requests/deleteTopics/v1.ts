// DeleteTopics v1 (key 20).
// Request: topic_names [string], timeout_ms int32
// Response: throttle_time_ms int32, responses [name string, error_code int16]
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';

export interface DeleteTopicsRequest { topicNames: string[]; timeoutMs: number }
export interface DeleteTopicsResponse { throttleTimeMs: number; responses: { name: string; errorCode: number }[] }

export function decodeRequest(r: Reader): DeleteTopicsRequest {
  const topicNames = r.array((r) => r.string());
  const timeoutMs = r.int32();
  return { topicNames, timeoutMs };
}

export function encodeResponse(w: Writer, res: DeleteTopicsResponse): void {
  w.int32(res.throttleTimeMs);
  w.array(res.responses, (w, t) => w.string(t.name).int16(t.errorCode));
}
