import type { BrokerContext } from '../context.js';
import type { DeleteRecordsRequest, DeleteRecordsResponse } from '../../protocol/messages/delete-records.js';
import type { CreatePartitionsRequest, CreatePartitionsResponse } from '../../protocol/messages/create-partitions.js';
import type { DescribeClusterResponse } from '../../protocol/messages/describe-cluster.js';
import type { DescribeLogDirsRequest, DescribeLogDirsResponse } from '../../protocol/messages/describe-log-dirs.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import { errorCodeOf } from '../storage-errors.js';

export function handleDeleteRecords(ctx: BrokerContext, req: DeleteRecordsRequest): DeleteRecordsResponse {
  return {
    throttleTimeMs: 0,
    topics: req.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => {
        const log = ctx.engine.partition(t.name, p.partitionIndex);
        if (!log) return { partitionIndex: p.partitionIndex, lowWatermark: -1n, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
        try {
          const lowWatermark = log.deleteRecordsBefore(p.offset);
          ctx.log.info({ topic: t.name, partition: p.partitionIndex, lowWatermark: String(lowWatermark) }, 'records deleted');
          return { partitionIndex: p.partitionIndex, lowWatermark, errorCode: ErrorCode.NONE };
        } catch (err) {
          return { partitionIndex: p.partitionIndex, lowWatermark: -1n, errorCode: errorCodeOf(err, ctx.log, { topic: t.name, partition: p.partitionIndex }) };
        }
      }),
    })),
  };
}

export async function handleCreatePartitions(ctx: BrokerContext, req: CreatePartitionsRequest): Promise<CreatePartitionsResponse> {
  const results = [];
  for (const t of req.topics) {
    const fail = (errorCode: number, errorMessage: string) => ({ name: t.name, errorCode, errorMessage });
    if (t.assignments?.some((a) => a.brokerIds.length !== 1 || a.brokerIds[0] !== ctx.config.nodeId)) {
      results.push(fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `replicas must be exactly [${ctx.config.nodeId}]`));
      continue;
    }
    const budget = ctx.topics.checkBudget(t.count - (ctx.engine.topic(t.name)?.config.partitions ?? t.count));
    if (budget) {
      results.push(fail(ErrorCode.POLICY_VIOLATION, budget));
      continue;
    }
    try {
      await ctx.engine.addPartitions(t.name, t.count, req.validateOnly);
      if (!req.validateOnly) ctx.log.info({ topic: t.name, partitions: t.count }, 'partitions added');
      results.push({ name: t.name, errorCode: ErrorCode.NONE, errorMessage: null });
    } catch (err) {
      const errorCode = errorCodeOf(err, ctx.log, { topic: t.name });
      results.push(fail(errorCode, errorCode === ErrorCode.UNKNOWN_SERVER_ERROR ? 'unexpected failure' : (err as Error).message));
    }
  }
  return { throttleTimeMs: 0, results };
}

export function handleDescribeCluster(ctx: BrokerContext): DescribeClusterResponse {
  const { config } = ctx;
  return {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    endpointType: 1,
    clusterId: config.clusterId,
    controllerId: config.nodeId,
    brokers: [{ brokerId: config.nodeId, host: config.advertisedHost, port: config.advertisedPort, rack: null }],
    clusterAuthorizedOperations: -2147483648,
  };
}

/** one log dir (the data dir), named as the operator configured it, like Kafka's log.dirs */
export function handleDescribeLogDirs(ctx: BrokerContext, req: DescribeLogDirsRequest): DescribeLogDirsResponse {
  const wanted = req.topics === null ? ctx.engine.listTopics().map((t) => ({ topic: t.name, partitions: Array.from({ length: t.config.partitions }, (_, i) => i) })) : req.topics;
  const topics = wanted
    .map((t) => ({
      name: t.topic,
      partitions: t.partitions.flatMap((p) => {
        const log = ctx.engine.partition(t.topic, p);
        return log ? [{ partitionIndex: p, partitionSize: BigInt(log.sizeBytes()), offsetLag: 0n, isFutureKey: false }] : [];
      }),
    }))
    .filter((t) => t.partitions.length > 0);
  return {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    results: [{ errorCode: ErrorCode.NONE, logDir: ctx.engine.dataDir, topics, totalBytes: -1n, usableBytes: -1n }],
  };
}
