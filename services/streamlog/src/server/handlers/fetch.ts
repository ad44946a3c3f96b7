import { setMaxListeners } from 'node:events';
import type { BrokerContext, ConnectionInfo } from '../context.js';
import type { FetchPartitionResponse, FetchRequest, FetchResponse } from '../../protocol/messages/fetch.js';
import { ErrorCode } from '../../protocol/error-codes.js';
import type { PartitionLog } from '../../storage/contract.js';
import { errorCodeOf } from '../storage-errors.js';

const EMPTY = Buffer.alloc(0);
const READ_COMMITTED = 1;

/** the whole batches of `data` that start before `limit`, and the last offset they cover */
function batchesBefore(data: Buffer, limit: bigint): { data: Buffer; lastOffset: bigint } {
  let p = 0;
  let lastOffset = -1n;
  while (p + 61 <= data.length) {
    const base = data.readBigInt64BE(p);
    if (base >= limit) break;
    lastOffset = base + BigInt(data.readInt32BE(p + 23));
    p += 12 + data.readInt32BE(p + 8);
  }
  return { data: p === data.length ? data : data.subarray(0, p), lastOffset };
}

interface Collected {
  response: FetchResponse;
  bytes: number;
  hasError: boolean;
  /** valid partitions, each with the offset whose arrival would add data to this response */
  waitable: { log: PartitionLog; offset: bigint }[];
}

/**
 * One pass over the requested partitions. The response budget is max_bytes; the first partition with
 * data may exceed it by one batch (KIP-74, so a big record never blocks a consumer), later ones may not.
 */
function collect(ctx: BrokerContext, req: FetchRequest): Collected {
  let budget = req.maxBytes > 0 ? req.maxBytes : Number.MAX_SAFE_INTEGER;
  let bytes = 0;
  let hasError = false;
  const waitable: Collected['waitable'] = [];
  const responses = req.topics.map((t) => ({
    topic: t.topic,
    partitions: t.partitions.map((p): FetchPartitionResponse => {
      const out: FetchPartitionResponse = {
        partitionIndex: p.partition,
        errorCode: ErrorCode.NONE,
        highWatermark: -1n,
        lastStableOffset: -1n,
        logStartOffset: -1n,
        abortedTransactions: null,
        preferredReadReplica: -1,
        records: EMPTY,
      };
      const log = ctx.engine.partition(t.topic, p.partition);
      if (!log) {
        hasError = true;
        out.errorCode = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        return out;
      }
      const hw = log.highWatermark;
      out.highWatermark = hw;
      // single node: everything below the high watermark is replicated; open transactions hold the stable offset back
      const lso = log.lastStableOffset;
      const readCommitted = req.isolationLevel === READ_COMMITTED;
      out.lastStableOffset = lso;
      if (readCommitted) out.abortedTransactions = [];
      out.logStartOffset = log.logStartOffset;
      if (p.fetchOffset < log.logStartOffset || p.fetchOffset > hw) {
        hasError = true;
        out.errorCode = ErrorCode.OFFSET_OUT_OF_RANGE;
        return out;
      }
      waitable.push({ log, offset: hw });
      if (p.fetchOffset === hw || (readCommitted && p.fetchOffset >= lso)) return out;
      if (budget <= 0 || p.partitionMaxBytes <= 0) return out;
      try {
        const read = log.read(p.fetchOffset, Math.min(p.partitionMaxBytes, budget));
        if (bytes > 0 && read.data.length > budget) return out;
        out.records = read.data;
        out.highWatermark = read.highWatermark;
        out.logStartOffset = read.logStartOffset;
        if (readCommitted) {
          // read_committed: only batches below the last stable offset, with the aborted transactions
          // among them so the client drops their records (as Kafka's consumers do)
          const stable = batchesBefore(read.data, lso);
          out.records = stable.data;
          out.abortedTransactions = stable.lastOffset < 0n ? [] : log.abortedTransactions(p.fetchOffset, stable.lastOffset).map((a) => ({ producerId: a.producerId, firstOffset: BigInt(a.firstOffset) }));
        }
        bytes += out.records.length;
        budget -= out.records.length;
      } catch (err) {
        hasError = true;
        out.errorCode = errorCodeOf(err, ctx.log, { topic: t.topic, partition: p.partition });
      }
      return out;
    }),
  }));
  return { response: { throttleTimeMs: 0, errorCode: ErrorCode.NONE, sessionId: 0, responses }, bytes, hasError, waitable };
}

/**
 * Fetch with long poll: answer as soon as min_bytes are available, an error is to report or max_wait
 * has passed; meanwhile wait for any requested partition to grow. Sessionless (session_id 0), so
 * clients send full fetch requests.
 */
export async function handleFetch(ctx: BrokerContext, conn: ConnectionInfo, req: FetchRequest): Promise<FetchResponse> {
  const deadline = Date.now() + Math.max(0, req.maxWaitMs);
  for (;;) {
    const c = collect(ctx, req);
    const left = deadline - Date.now();
    if (c.bytes >= req.minBytes || c.hasError || left <= 0 || conn.closed.aborted || c.waitable.length === 0) {
      ctx.metrics.recordsFetchedBytes.inc(c.bytes);
      return c.response;
    }
    const wake = new AbortController();
    // One listener per waiting partition is expected, not a leak: lift Node's default cap of 10.
    setMaxListeners(c.waitable.length + 1, wake.signal);
    const onClose = () => wake.abort();
    conn.closed.addEventListener('abort', onClose, { once: true });
    const timer = setTimeout(() => wake.abort(), left);
    try {
      await Promise.race(c.waitable.map((w) => w.log.waitForData(w.offset, wake.signal)));
    } finally {
      clearTimeout(timer);
      wake.abort();
      conn.closed.removeEventListener('abort', onClose);
    }
  }
}
