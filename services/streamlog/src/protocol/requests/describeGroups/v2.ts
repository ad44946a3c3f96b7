// DescribeGroups v2 (key 15).
// Request: groups [string]
// Response: throttle_time_ms int32, groups [error_code int16, group_id string, group_state string, protocol_type string,
//   protocol_data string, members [member_id string, client_id string, client_host string, member_metadata bytes, member_assignment bytes]]
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';

export interface DescribedGroupMember { memberId: string; clientId: string; clientHost: string; memberMetadata: Buffer; memberAssignment: Buffer }
export interface DescribedGroup { errorCode: number; groupId: string; groupState: string; protocolType: string; protocolData: string; members: DescribedGroupMember[] }
export interface DescribeGroupsRequest { groups: string[] }
export interface DescribeGroupsResponse { throttleTimeMs: number; groups: DescribedGroup[] }

export function decodeRequest(r: Reader): DescribeGroupsRequest {
  return { groups: r.array((r) => r.string()) };
}

export function encodeResponse(w: Writer, res: DescribeGroupsResponse): void {
  w.int32(res.throttleTimeMs);
  w.array(res.groups, (w, g) => {
    w.int16(g.errorCode).string(g.groupId).string(g.groupState).string(g.protocolType).string(g.protocolData);
    w.array(g.members, (w, m) => w.string(m.memberId).string(m.clientId).string(m.clientHost).bytes(m.memberMetadata).bytes(m.memberAssignment));
  });
}
