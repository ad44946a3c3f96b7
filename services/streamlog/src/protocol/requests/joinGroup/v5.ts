// JoinGroup v5 (key 11). v4+ clients joining with an empty member_id get MEMBER_ID_REQUIRED and the
// id to rejoin with.
// Request: group_id string, session_timeout_ms int32, rebalance_timeout_ms int32, member_id string,
//   group_instance_id nullable string, protocol_type string, protocols [name string, metadata bytes]
// Response: throttle_time_ms int32, error_code int16, generation_id int32, protocol_name string, leader string,
//   member_id string, members [member_id string, group_instance_id nullable string, metadata bytes]
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';

export interface JoinGroupRequest {
  groupId: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  memberId: string;
  groupInstanceId: string | null;
  protocolType: string;
  protocols: { name: string; metadata: Buffer }[];
}
export interface JoinGroupResponse {
  throttleTimeMs: number;
  errorCode: number;
  generationId: number;
  protocolName: string;
  leader: string;
  memberId: string;
  members: { memberId: string; groupInstanceId: string | null; metadata: Buffer }[];
}

export function decodeRequest(r: Reader): JoinGroupRequest {
  return {
    groupId: r.string(),
    sessionTimeoutMs: r.int32(),
    rebalanceTimeoutMs: r.int32(),
    memberId: r.string(),
    groupInstanceId: r.nullableString(),
    protocolType: r.string(),
    // copied: the group keeps member metadata after the request frame is gone
    protocols: r.array((r) => ({ name: r.string(), metadata: Buffer.from(r.bytes()) })),
  };
}

export function encodeResponse(w: Writer, res: JoinGroupResponse): void {
  w.int32(res.throttleTimeMs).int16(res.errorCode).int32(res.generationId).string(res.protocolName).string(res.leader).string(res.memberId);
  w.array(res.members, (w, m) => w.string(m.memberId).nullableString(m.groupInstanceId).bytes(m.metadata));
}
