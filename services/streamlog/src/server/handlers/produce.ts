import type { BrokerContext } from '../context.js';
import type { ProducePartitionResponse, ProduceRequest, ProduceResponse } from '../../protocol/messages/produce.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import { errorCodeOf } from '../storage-errors.js';
import { BATCH_HEADER_SIZE, BATCH_OFFSET_ATTRIBUTES, BATCH_OFFSET_PRODUCER_EPOCH, BATCH_OFFSET_PRODUCER_ID, TRANSACTIONAL_FLAG } from '../../records/batch-header.js';

/** a transactional batch must come from the transaction's current epoch, for a partition added to it */
function transactionError(ctx: BrokerContext, records: Buffer, topic: string, partition: number): number {
  if (records.length < BATCH_HEADER_SIZE || (records.readInt16BE(BATCH_OFFSET_ATTRIBUTES) & TRANSACTIONAL_FLAG) === 0) return ErrorCode.NONE;
  return ctx.transactions.checkProduce(records.readBigInt64BE(BATCH_OFFSET_PRODUCER_ID), records.readInt16BE(BATCH_OFFSET_PRODUCER_EPOCH), topic, partition);
}

/** records in a buffer of v2 batches (for metrics only; the engine validates the batches) */
function countRecords(batches: Buffer): number {
  let n = 0;
  let pos = 0;
  while (pos + 61 <= batches.length) {
    n += batches.readInt32BE(pos + 57);
    pos += 12 + batches.readInt32BE(pos + 8);
  }
  return n;
}

/**
 * Produce: acks=0 gets no response (null); acks=1 is answered once written; acks=-1 once durable as
 * configured. Every partition's append is started synchronously in request order, so a client that
 * pipelines produce requests on one connection gets offsets in the order it sent them.
 */
export async function handleProduce(ctx: BrokerContext, req: ProduceRequest): Promise<ProduceResponse | null> {
  const failed = (index: number, errorCode: number): ProducePartitionResponse => ({ index, errorCode, baseOffset: -1n, logAppendTimeMs: -1n, logStartOffset: -1n });
  const validAcks = req.acks === 0 || req.acks === 1 || req.acks === -1;
  const durability = req.acks === -1 ? ctx.config.durability : 'none';

  const pending = req.topics.map((t) => ({
    name: t.name,
    partitions: t.partitions.map(async (p): Promise<ProducePartitionResponse> => {
      if (!validAcks) return failed(p.index, ErrorCode.INVALID_REQUIRED_ACKS);
      const log = ctx.engine.partition(t.name, p.index);
      if (!log) return failed(p.index, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
      if (p.records === null || p.records.length === 0) return failed(p.index, ErrorCode.CORRUPT_MESSAGE);
      const records = p.records;
      const txnError = transactionError(ctx, records, t.name, p.index);
      if (txnError !== ErrorCode.NONE) return failed(p.index, txnError);
      try {
        const result = await log.appendBatches(records, durability);
        ctx.metrics.recordsProduced.inc(countRecords(records));
        return { index: p.index, errorCode: ErrorCode.NONE, baseOffset: result.baseOffset, logAppendTimeMs: -1n, logStartOffset: log.logStartOffset };
      } catch (err) {
        const errorCode = errorCodeOf(err, ctx.log, { topic: t.name, partition: p.index });
        if (errorCode === ErrorCode.CORRUPT_MESSAGE || errorCode === ErrorCode.INVALID_RECORD) {
          ctx.log.warn({ topic: t.name, partition: p.index, reason: err instanceof Error ? err.message : String(err) }, 'produce rejected');
        }
        return failed(p.index, errorCode);
      }
    }),
  }));
  const responses = await Promise.all(pending.map(async (t) => ({ name: t.name, partitions: await Promise.all(t.partitions) })));
  if (req.acks === 0) return null;
  return { responses, throttleTimeMs: 0 };
}
