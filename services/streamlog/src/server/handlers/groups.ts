import type { BrokerContext, ConnectionInfo, RequestMeta } from '../context.js';
import type { JoinGroupRequest, JoinGroupResponse } from '../../protocol/messages/join-group.js';
import type { SyncGroupRequest, SyncGroupResponse } from '../../protocol/messages/sync-group.js';
import type { HeartbeatRequest, HeartbeatResponse } from '../../protocol/messages/heartbeat.js';
import type { LeaveGroupRequest, LeaveGroupResponse } from '../../protocol/messages/leave-group.js';
import type { DescribeGroupsRequest, DescribeGroupsResponse } from '../../protocol/messages/describe-groups.js';
import type { ListGroupsResponse } from '../../protocol/messages/list-groups.js';
import { ErrorCode } from '../../protocol/error-codes.js';

export async function handleJoinGroup(ctx: BrokerContext, conn: ConnectionInfo, meta: RequestMeta, req: JoinGroupRequest): Promise<JoinGroupResponse> {
  const outcome = await ctx.coordinator.join({
    groupId: req.groupId,
    memberId: req.memberId,
    groupInstanceId: req.groupInstanceId,
    sessionTimeoutMs: req.sessionTimeoutMs,
    rebalanceTimeoutMs: req.rebalanceTimeoutMs,
    protocolType: req.protocolType,
    protocols: req.protocols,
    clientId: meta.clientId ?? '',
    clientHost: conn.clientHost,
    requireKnownMemberId: meta.apiVersion >= 4,
  });
  return { throttleTimeMs: 0, ...outcome };
}

export async function handleSyncGroup(ctx: BrokerContext, req: SyncGroupRequest): Promise<SyncGroupResponse> {
  const outcome = await ctx.coordinator.sync(req.groupId, req.generationId, req.memberId, req.assignments);
  return { throttleTimeMs: 0, ...outcome };
}

export function handleHeartbeat(ctx: BrokerContext, req: HeartbeatRequest): HeartbeatResponse {
  return { throttleTimeMs: 0, errorCode: ctx.coordinator.heartbeat(req.groupId, req.generationId, req.memberId) };
}

export function handleLeaveGroup(ctx: BrokerContext, req: LeaveGroupRequest): LeaveGroupResponse {
  const results = ctx.coordinator.leave(req.groupId, req.members.map((m) => m.memberId));
  return {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    members: results.map((r, i) => ({ memberId: r.memberId, groupInstanceId: req.members[i].groupInstanceId, errorCode: r.errorCode })),
  };
}

export function handleDescribeGroups(ctx: BrokerContext, req: DescribeGroupsRequest): DescribeGroupsResponse {
  return {
    throttleTimeMs: 0,
    groups: req.groups.map((groupId) => {
      const d = ctx.coordinator.describe(groupId);
      return {
        errorCode: ErrorCode.NONE,
        groupId,
        groupState: d.state,
        protocolType: d.protocolType,
        protocolData: d.protocolName,
        members: d.members.map((m) => ({ memberId: m.memberId, clientId: m.clientId, clientHost: m.clientHost, memberMetadata: m.metadata, memberAssignment: m.assignment })),
      };
    }),
  };
}

/** every group (or those in the given states, ListGroups v4), with its state */
export function handleListGroups(ctx: BrokerContext, statesFilter: string[] = []): ListGroupsResponse {
  const wanted = new Set(statesFilter.map((s) => s.toLowerCase()));
  const groups = ctx.coordinator
    .list()
    .map((g) => ({ ...g, groupState: ctx.coordinator.describe(g.groupId).state }))
    .filter((g) => wanted.size === 0 || wanted.has(g.groupState.toLowerCase()));
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, groups };
}
