import type { BrokerContext } from '../context.js';
import type { DeleteGroupsRequest, DeleteGroupsResponse } from '../../protocol/messages/delete-groups.js';
import type { OffsetDeleteRequest, OffsetDeleteResponse } from '../../protocol/messages/offset-delete.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import { errorCodeOf } from '../storage-errors.js';

export async function handleDeleteGroups(ctx: BrokerContext, req: DeleteGroupsRequest): Promise<DeleteGroupsResponse> {
  const results: DeleteGroupsResponse['results'] = [];
  for (const groupId of req.groupsNames) {
    let errorCode: number;
    try {
      errorCode = await ctx.coordinator.deleteGroup(groupId);
    } catch (err) {
      errorCode = errorCodeOf(err, ctx.log, { group: groupId });
    }
    results.push({ groupId, errorCode });
  }
  return { throttleTimeMs: 0, results };
}

export async function handleOffsetDelete(ctx: BrokerContext, req: OffsetDeleteRequest): Promise<OffsetDeleteResponse> {
  // partitions that do not exist are answered per partition and never reach the coordinator
  const known = req.topics.flatMap((t) => t.partitions.filter((p) => ctx.engine.partition(t.name, p.partitionIndex)).map((p) => ({ topic: t.name, partition: p.partitionIndex })));
  let outcome: { errorCode: number; partitionErrors: number[] };
  try {
    outcome = await ctx.coordinator.deleteOffsets(req.groupId, known);
  } catch (err) {
    outcome = { errorCode: errorCodeOf(err, ctx.log, { group: req.groupId }), partitionErrors: [] };
  }
  const errors = new Map(known.map((k, i) => [`${k.topic}\u0000${k.partition}`, outcome.partitionErrors[i] ?? ErrorCode.NONE]));
  if (outcome.errorCode !== ErrorCode.NONE) return { errorCode: outcome.errorCode, throttleTimeMs: 0, topics: [] };
  return {
    errorCode: ErrorCode.NONE,
    throttleTimeMs: 0,
    topics: req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map(({ partitionIndex }) => ({ partitionIndex, errorCode: errors.get(`${t.name}\u0000${partitionIndex}`) ?? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION })),
    })),
  };
}
