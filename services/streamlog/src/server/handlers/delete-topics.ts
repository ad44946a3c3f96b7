import type { BrokerContext } from '../context.js';
import type { DeleteTopicsRequest, DeleteTopicsResponse } from '../../protocol/messages/delete-topics.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import { errorCodeOf } from '../storage-errors.js';

export async function handleDeleteTopics(ctx: BrokerContext, req: DeleteTopicsRequest): Promise<DeleteTopicsResponse> {
  const responses = [];
  for (const name of req.topicNames) {
    if (!ctx.engine.topic(name)) {
      responses.push({ name, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION });
      continue;
    }
    try {
      await ctx.engine.deleteTopic(name);
      ctx.log.info({ topic: name }, 'topic deleted');
      responses.push({ name, errorCode: ErrorCode.NONE });
    } catch (err) {
      responses.push({ name, errorCode: errorCodeOf(err, ctx.log, { topic: name }) });
    }
  }
  return { throttleTimeMs: 0, responses };
}
