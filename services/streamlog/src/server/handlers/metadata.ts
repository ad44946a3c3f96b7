import type { BrokerContext } from '../context.js';
import type { MetadataRequest, MetadataResponse, MetadataTopic } from '../../protocol/messages/metadata.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import type { TopicInfo } from '../../storage/contract.js';
import { errorCodeOf } from '../storage-errors.js';
import { uuidBytes } from '../../protocol/schema/uuid.js';

export async function handleMetadata(ctx: BrokerContext, req: MetadataRequest): Promise<MetadataResponse> {
  const { config, engine } = ctx;
  const describe = (t: TopicInfo): MetadataTopic => ({
    errorCode: ErrorCode.NONE,
    name: t.name,
    topicId: uuidBytes(t.id),
    isInternal: false,
    partitions: Array.from({ length: t.config.partitions }, (_, i) => ({
      errorCode: ErrorCode.NONE,
      partitionIndex: i,
      leaderId: config.nodeId,
      replicaNodes: [config.nodeId],
      isrNodes: [config.nodeId],
      offlineReplicas: [],
    })),
  });
  const failed = (name: string, errorCode: number): MetadataTopic => ({ errorCode, name, isInternal: false, partitions: [] });

  let topics: MetadataTopic[];
  if (req.topics === null) {
    topics = engine.listTopics().map(describe);
  } else {
    topics = await Promise.all(
      [...new Set(req.topics)].map(async (name) => {
        const existing = engine.topic(name);
        if (existing) return describe(existing);
        if (!config.autoCreateTopics || !req.allowAutoTopicCreation) return failed(name, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        try {
          const created = await ctx.topics.ensure(name, { partitions: config.defaultPartitions });
          ctx.log.info({ topic: name, partitions: created.config.partitions }, 'topic auto-created');
          return describe(created);
        } catch (err) {
          return failed(name, errorCodeOf(err, ctx.log, { topic: name }));
        }
      }),
    );
  }
  return {
    throttleTimeMs: 0,
    brokers: [{ nodeId: config.nodeId, host: config.advertisedHost, port: config.advertisedPort, rack: null }],
    clusterId: config.clusterId,
    controllerId: config.nodeId,
    topics,
  };
}
