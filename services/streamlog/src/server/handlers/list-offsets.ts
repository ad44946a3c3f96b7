import type { BrokerContext } from '../context.js';
import type { ListOffsetsPartitionResponse, ListOffsetsRequest, ListOffsetsResponse } from '../../protocol/messages/list-offsets.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import { errorCodeOf } from '../storage-errors.js';

const LATEST = -1n;
const EARLIEST = -2n;
const READ_COMMITTED = 1;

export function handleListOffsets(ctx: BrokerContext, req: ListOffsetsRequest): ListOffsetsResponse {
  const topics = req.topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p): ListOffsetsPartitionResponse => {
      const log = ctx.engine.partition(t.name, p.partitionIndex);
      if (!log) return { partitionIndex: p.partitionIndex, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, timestamp: -1n, offset: -1n };
      const ok = (offset: bigint, timestamp = -1n) => ({ partitionIndex: p.partitionIndex, errorCode: ErrorCode.NONE, timestamp, offset });
      // read_committed consumers start from the last stable offset, never inside an open transaction
      if (p.timestamp === LATEST) return ok(req.isolationLevel === READ_COMMITTED ? log.lastStableOffset : log.highWatermark);
      if (p.timestamp === EARLIEST) return ok(log.logStartOffset);
      if (p.timestamp < 0n) return { partitionIndex: p.partitionIndex, errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, timestamp: -1n, offset: -1n };
      try {
        const found = log.findByTimestamp(p.timestamp);
        // no record at or after the timestamp: Kafka answers offset -1 and the client falls back to "latest"
        if (found === null) return ok(-1n);
        return ok(found.offset, found.timestamp);
      } catch (err) {
        return { partitionIndex: p.partitionIndex, errorCode: errorCodeOf(err, ctx.log, { topic: t.name, partition: p.partitionIndex }), timestamp: -1n, offset: -1n };
      }
    }),
  }));
  return { throttleTimeMs: 0, topics };
}
