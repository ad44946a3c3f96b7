// DeleteGroups v0-v1 (key 42), one parameterised codec; vN.ts files bind a version.
// Request: groups_names [string]
// Response: throttle_time_ms int32, results [group_id string, error_code int16]
// (v1 only changes when the client applies throttling; the bytes are the same)
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';

export interface DeleteGroupsRequest { groupsNames: string[] }
export interface DeleteGroupsResponse { throttleTimeMs: number; results: { groupId: string; errorCode: number }[] }

export function decodeDeleteGroupsRequest(r: Reader): DeleteGroupsRequest {
  return { groupsNames: r.array((r) => r.string()) };
}

export function encodeDeleteGroupsResponse(w: Writer, res: DeleteGroupsResponse): void {
  w.int32(res.throttleTimeMs);
  w.array(res.results, (w, g) => w.string(g.groupId).int16(g.errorCode));
}
