import type { BrokerContext } from '../context.js';
import type { CreatableTopic, CreateTopicsRequest, CreateTopicsResponse } from '../../protocol/messages/create-topics.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import type { TopicConfig } from '../../storage/contract.js';
import { errorCodeOf } from '../storage-errors.js';
import { uuidBytes } from '../../protocol/schema/uuid.js';

import { topicConfigs } from '../topic-configs.js';
// Topic configs we apply are in ../topic-configs.ts; other well-known Kafka configs are accepted and ignored so standard tools work.

/** one directory and a few open files per partition: a hostile count must not exhaust the disk */
const MAX_PARTITIONS = 10_000;

type Outcome = { errorCode: number; errorMessage: string | null; config?: Partial<TopicConfig> };

function validate(ctx: BrokerContext, t: CreatableTopic): Outcome {
  const fail = (errorCode: number, errorMessage: string): Outcome => ({ errorCode, errorMessage });
  if (t.replicationFactor !== -1 && t.replicationFactor !== 1) {
    return fail(ErrorCode.INVALID_REPLICATION_FACTOR, `replication factor ${t.replicationFactor}: this single-node broker keeps exactly one replica`);
  }
  let partitions = t.numPartitions === -1 ? ctx.config.defaultPartitions : t.numPartitions;
  if (t.assignments.length > 0) {
    if (t.numPartitions !== -1) return fail(ErrorCode.INVALID_REQUEST, 'give either num_partitions or assignments, not both');
    if (t.assignments.some((a) => a.brokerIds.length !== 1 || a.brokerIds[0] !== ctx.config.nodeId)) {
      return fail(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `replicas must be exactly [${ctx.config.nodeId}]`);
    }
    partitions = t.assignments.length;
  }
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > MAX_PARTITIONS) {
    return fail(ErrorCode.INVALID_PARTITIONS, `partition count must be 1..${MAX_PARTITIONS}, got ${partitions}`);
  }
  const config: Partial<TopicConfig> = { partitions };
  for (const c of t.configs) {
    const def = topicConfigs[c.name];
    if (!def || c.value === null) continue;
    const value = def.parse(c.value);
    if (typeof value === 'object') return fail(ErrorCode.INVALID_CONFIG, value.refused);
    (config as Record<string, unknown>)[def.key] = value;
  }
  return { errorCode: ErrorCode.NONE, errorMessage: null, config };
}

export async function handleCreateTopics(ctx: BrokerContext, req: CreateTopicsRequest): Promise<CreateTopicsResponse> {
  const topics = await Promise.all(
    req.topics.map(async (t) => {
      const outcome = validate(ctx, t);
      if (outcome.errorCode !== ErrorCode.NONE) return { name: t.name, errorCode: outcome.errorCode, errorMessage: outcome.errorMessage };
      if (ctx.engine.topic(t.name)) return { name: t.name, errorCode: ErrorCode.TOPIC_ALREADY_EXISTS, errorMessage: `topic '${t.name}' already exists` };
      const config = { ...outcome.config, partitions: outcome.config!.partitions! };
      if (req.validateOnly) {
        const refusal = ctx.topics.checkBudget(config.partitions);
        if (refusal) return { name: t.name, errorCode: ErrorCode.POLICY_VIOLATION, errorMessage: refusal };
        return { name: t.name, errorCode: ErrorCode.NONE, errorMessage: null };
      }
      try {
        const created = await ctx.topics.create(t.name, config);
        ctx.log.info({ topic: t.name, config }, 'topic created');
        return { name: t.name, topicId: uuidBytes(created.id), errorCode: ErrorCode.NONE, errorMessage: null, numPartitions: config.partitions, replicationFactor: 1 };
      } catch (err) {
        const errorCode = errorCodeOf(err, ctx.log, { topic: t.name });
        // engine messages never name a path (see storage/engine.ts); anything unexpected is not echoed
        return { name: t.name, errorCode, errorMessage: errorCode === ErrorCode.UNKNOWN_SERVER_ERROR ? 'unexpected failure; see the broker log' : (err as Error).message };
      }
    }),
  );
  return { throttleTimeMs: 0, topics };
}
