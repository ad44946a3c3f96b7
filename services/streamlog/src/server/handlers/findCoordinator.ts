import type { BrokerContext } from '../context.js';
import type { FindCoordinatorRequest, FindCoordinatorResponse } from '../../protocol/messages/find-coordinator.js';
import { ErrorCode } from '../../protocol/errorCodes.js';

const GROUP = 0;

/** This single broker coordinates every group; transactions are not implemented. */
export function handleFindCoordinator(ctx: BrokerContext, req: FindCoordinatorRequest): FindCoordinatorResponse {
  if (req.keyType !== GROUP) {
    return { throttleTimeMs: 0, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, errorMessage: 'transactions are not supported', nodeId: -1, host: '', port: -1 };
  }
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, nodeId: ctx.config.nodeId, host: ctx.config.advertisedHost, port: ctx.config.advertisedPort };
}
