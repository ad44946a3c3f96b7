import type { BrokerContext } from '../context.js';
import type {
  AddOffsetsToTxnRequest,
  AddPartitionsToTxnRequest,
  AddPartitionsToTxnResponse,
  EndTxnRequest,
  TxnErrorResponse,
  TxnOffsetCommitRequest,
  TxnOffsetCommitResponse,
} from '../../protocol/messages/transactions.js';
import { errorCodeOf } from '../storage-errors.js';
import { ErrorCode } from '../../protocol/error-codes.js';

// Thin adapters from the wire form to the transaction coordinator (src/txn).

/** A coordinator call whose state could not be written answers the storage error, as EndTxn does. */
async function orStorageError<T>(ctx: BrokerContext, api: string, transactionalId: string, call: () => Promise<T>, onError: (code: number) => T): Promise<T> {
  try {
    return await call();
  } catch (err) {
    return onError(errorCodeOf(err, ctx.log, { api, transactionalId }));
  }
}

export async function handleAddPartitionsToTxn(ctx: BrokerContext, req: AddPartitionsToTxnRequest): Promise<AddPartitionsToTxnResponse> {
  const wanted = req.topics.flatMap((t) => t.partitions.map((partition) => ({ topic: t.name, partition })));
  const errors = await orStorageError(ctx, 'AddPartitionsToTxn', req.transactionalId,
    () => ctx.transactions.addPartitions(req.transactionalId, req.producerId, req.producerEpoch, wanted),
    (code) => new Map(wanted.map((p) => [`${p.topic}\u0000${p.partition}`, code])));
  return {
    throttleTimeMs: 0,
    results: req.topics.map((t) => ({
      name: t.name,
      results: t.partitions.map((partitionIndex) => ({ partitionIndex, errorCode: errors.get(`${t.name}\u0000${partitionIndex}`) ?? ErrorCode.UNKNOWN_SERVER_ERROR })),
    })),
  };
}

export async function handleAddOffsetsToTxn(ctx: BrokerContext, req: AddOffsetsToTxnRequest): Promise<TxnErrorResponse> {
  const errorCode = await orStorageError(ctx, 'AddOffsetsToTxn', req.transactionalId, () => ctx.transactions.addOffsets(req.transactionalId, req.producerId, req.producerEpoch, req.groupId), (code) => code);
  return { throttleTimeMs: 0, errorCode };
}

export async function handleTxnOffsetCommit(ctx: BrokerContext, req: TxnOffsetCommitRequest): Promise<TxnOffsetCommitResponse> {
  const offsets = req.topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, offset: p.committedOffset, metadata: p.committedMetadata })));
  const errorCode = await orStorageError(ctx, 'TxnOffsetCommit', req.transactionalId, () => ctx.transactions.txnOffsetCommit(req.transactionalId, req.groupId, req.producerId, req.producerEpoch, offsets), (code) => code);
  return { throttleTimeMs: 0, topics: req.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })) })) };
}

export async function handleEndTxn(ctx: BrokerContext, req: EndTxnRequest, apiVersion: number): Promise<TxnErrorResponse> {
  let errorCode: number;
  try {
    errorCode = await ctx.transactions.endTxn(req.transactionalId, req.producerId, req.producerEpoch, req.committed);
  } catch (err) {
    errorCode = errorCodeOf(err, ctx.log, { api: 'EndTxn', transactionalId: req.transactionalId });
  }
  // EndTxn v2+ may answer PRODUCER_FENCED (KIP-588); a fenced producer of older versions hears INVALID_PRODUCER_EPOCH
  if (errorCode === ErrorCode.INVALID_PRODUCER_EPOCH && apiVersion >= 2) errorCode = ErrorCode.PRODUCER_FENCED;
  return { throttleTimeMs: 0, errorCode };
}
