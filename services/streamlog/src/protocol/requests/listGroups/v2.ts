// ListGroups v2 (key 16).
// Request: empty body.
// Response: throttle_time_ms int32, error_code int16, groups [group_id string, protocol_type string]
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';

export type ListGroupsRequest = Record<string, never>;
export interface ListGroupsResponse { throttleTimeMs: number; errorCode: number; groups: { groupId: string; protocolType: string }[] }

export function decodeRequest(_r: Reader): ListGroupsRequest {
  return {};
}

export function encodeResponse(w: Writer, res: ListGroupsResponse): void {
  w.int32(res.throttleTimeMs).int16(res.errorCode);
  w.array(res.groups, (w, g) => w.string(g.groupId).string(g.protocolType));
}
