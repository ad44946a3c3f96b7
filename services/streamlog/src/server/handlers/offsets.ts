import type { BrokerContext } from '../context.js';
import type { OffsetCommitRequest, OffsetCommitResponse } from '../../protocol/messages/offset-commit.js';
import type { OffsetFetchPartition, OffsetFetchRequest, OffsetFetchResponse } from '../../protocol/messages/offset-fetch.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import { errorCodeOf } from '../storage-errors.js';

export async function handleOffsetCommit(ctx: BrokerContext, req: OffsetCommitRequest): Promise<OffsetCommitResponse> {
  const entries = req.topics.flatMap((t) =>
    t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, offset: p.committedOffset, metadata: p.committedMetadata })),
  );
  let errorCode: number;
  try {
    errorCode = await ctx.coordinator.commit(req.groupId, req.generationId, req.memberId, entries);
  } catch (err) {
    errorCode = errorCodeOf(err, ctx.log, { group: req.groupId });
  }
  return {
    throttleTimeMs: 0,
    topics: req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })) })),
  };
}

export function handleOffsetFetch(ctx: BrokerContext, req: OffsetFetchRequest): OffsetFetchResponse {
  const offsets = ctx.engine.offsets;
  const byTopic = new Map<string, OffsetFetchPartition[]>();
  const add = (topic: string, p: OffsetFetchPartition) => {
    const list = byTopic.get(topic) ?? [];
    list.push(p);
    byTopic.set(topic, list);
  };
  if (req.topics === null) {
    for (const c of offsets.list(req.groupId)) {
      add(c.topic, { partitionIndex: c.partition, committedOffset: c.committed.offset, metadata: c.committed.metadata, errorCode: ErrorCode.NONE });
    }
  } else {
    for (const t of req.topics) {
      for (const partition of t.partitionIndexes) {
        const c = offsets.fetch(req.groupId, t.name, partition);
        // no commit yet: offset -1, and the consumer applies its reset policy
        add(t.name, { partitionIndex: partition, committedOffset: c?.offset ?? -1n, metadata: c?.metadata ?? '', errorCode: ErrorCode.NONE });
      }
      if (t.partitionIndexes.length === 0) byTopic.set(t.name, byTopic.get(t.name) ?? []);
    }
  }
  return { throttleTimeMs: 0, topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })), errorCode: ErrorCode.NONE };
}
