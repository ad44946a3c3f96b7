import type { BrokerContext } from '../context.js';
import type { FindCoordinatorRequest, FindCoordinatorResponse } from '../../protocol/messages/find-coordinator.js';
import { ErrorCode } from '../../protocol/error-codes.js';

const GROUP = 0;
const TRANSACTION = 1;

/** This single broker coordinates every group and every transactional id. */
export function handleFindCoordinator(ctx: BrokerContext, req: FindCoordinatorRequest): FindCoordinatorResponse {
  if (req.keyType !== GROUP && req.keyType !== TRANSACTION) {
    return { throttleTimeMs: 0, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `unknown coordinator key type ${req.keyType}`, nodeId: -1, host: '', port: -1 };
  }
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, nodeId: ctx.config.nodeId, host: ctx.config.advertisedHost, port: ctx.config.advertisedPort };
}
