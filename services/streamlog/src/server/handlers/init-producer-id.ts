import type { BrokerContext } from '../context.js';
import type { InitProducerIdRequest, InitProducerIdResponse } from '../../protocol/messages/init-producer-id.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import { errorCodeOf } from '../storage-errors.js';

/** Idempotent producers get an id from the engine; transactional ones from the transaction coordinator (which fences the id's previous holder). */
export async function handleInitProducerId(ctx: BrokerContext, req: InitProducerIdRequest, apiVersion: number): Promise<InitProducerIdResponse> {
  const fail = (errorCode: number): InitProducerIdResponse => ({ throttleTimeMs: 0, errorCode, producerId: -1n, producerEpoch: -1 });
  try {
    if (req.transactionalId !== null) {
      const existing = req.producerId >= 0n ? { producerId: req.producerId, epoch: req.producerEpoch } : null;
      const r = await ctx.transactions.initProducerId(req.transactionalId, req.transactionTimeoutMs, existing);
      // PRODUCER_FENCED exists from v4 (KIP-588); older clients know it as INVALID_PRODUCER_EPOCH
      if (r.errorCode === ErrorCode.PRODUCER_FENCED && apiVersion < 4) return fail(ErrorCode.INVALID_PRODUCER_EPOCH);
      if (r.errorCode !== ErrorCode.NONE) return fail(r.errorCode);
      return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId: r.producerId!, producerEpoch: r.epoch! };
    }
    const { producerId, epoch } = ctx.engine.initProducerId(req.producerId >= 0n ? { producerId: req.producerId, epoch: req.producerEpoch } : undefined);
    ctx.log.info({ producerId: String(producerId), epoch }, 'producer id assigned');
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId, producerEpoch: epoch };
  } catch (err) {
    return fail(errorCodeOf(err, ctx.log, { api: 'InitProducerId' }));
  }
}
