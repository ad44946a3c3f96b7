import type { BrokerContext } from '../context.js';
import type { InitProducerIdRequest, InitProducerIdResponse } from '../../protocol/messages/init-producer-id.js';
import { ErrorCode } from '../../protocol/errorCodes.js';
import { errorCodeOf } from '../storageErrors.js';

/** Idempotent producers get an id; transactional ones are refused until transactions exist. */
export function handleInitProducerId(ctx: BrokerContext, req: InitProducerIdRequest): InitProducerIdResponse {
  const fail = (errorCode: number): InitProducerIdResponse => ({ throttleTimeMs: 0, errorCode, producerId: -1n, producerEpoch: -1 });
  if (req.transactionalId !== null) return fail(ErrorCode.INVALID_REQUEST);
  try {
    const { producerId, epoch } = ctx.engine.initProducerId(req.producerId >= 0n ? { producerId: req.producerId, epoch: req.producerEpoch } : undefined);
    ctx.log.info({ producerId: String(producerId), epoch }, 'producer id assigned');
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId, producerEpoch: epoch };
  } catch (err) {
    return fail(errorCodeOf(err, ctx.log, { api: 'InitProducerId' }));
  }
}
