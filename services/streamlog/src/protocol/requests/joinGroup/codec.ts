// JoinGroup v0-v5 (key 11), one parameterised codec; vN.ts files bind a version. From v4 a member
// joining with an empty member_id first gets MEMBER_ID_REQUIRED and the id to rejoin with.
// Request: group_id string, session_timeout_ms int32, rebalance_timeout_ms int32 (v1), member_id string,
//   group_instance_id nullable string (v5), protocol_type string, protocols [name string, metadata bytes]
// Response: throttle_time_ms int32 (v2), error_code int16, generation_id int32, protocol_name string, leader string,
//   member_id string, members [member_id string, group_instance_id nullable string (v5), metadata bytes]
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

export function decodeJoinGroupRequest(r: Reader, version: number): JoinGroupRequest {
  const groupId = r.string();
  const sessionTimeoutMs = r.int32();
  // before v1 the session timeout doubled as the rebalance timeout, as in Kafka
  const rebalanceTimeoutMs = version >= 1 ? r.int32() : sessionTimeoutMs;
  return {
    groupId,
    sessionTimeoutMs,
    rebalanceTimeoutMs,
    memberId: r.string(),
    groupInstanceId: version >= 5 ? r.nullableString() : null,
    protocolType: r.string(),
    // copied: the group keeps member metadata after the request frame is gone
    protocols: r.array((r) => ({ name: r.string(), metadata: Buffer.from(r.bytes()) })),
  };
}

export function encodeJoinGroupResponse(w: Writer, res: JoinGroupResponse, version: number): void {
  if (version >= 2) w.int32(res.throttleTimeMs);
  w.int16(res.errorCode).int32(res.generationId).string(res.protocolName).string(res.leader).string(res.memberId);
  w.array(res.members, (w, m) => {
    w.string(m.memberId);
    if (version >= 5) w.nullableString(m.groupInstanceId);
    w.bytes(m.metadata);
  });
}
