// Fetch v4-v11 (key 1), one parameterised codec; vN.ts files bind a version. Fields and the version that adds them:
// Request: replica_id int32, max_wait_ms int32, min_bytes int32, max_bytes int32, isolation_level int8 (v4),
//   session_id int32 (v7), session_epoch int32 (v7),
//   topics [topic string, partitions [partition int32, current_leader_epoch int32 (v9), fetch_offset int64,
//     log_start_offset int64 (v5), partition_max_bytes int32]],
//   forgotten_topics_data [topic string, partitions [int32]] (v7), rack_id string (v11)
// Response: throttle_time_ms int32, error_code int16 (v7), session_id int32 (v7),
//   responses [topic string, partitions [partition_index int32, error_code int16, high_watermark int64,
//     last_stable_offset int64 (v4), log_start_offset int64 (v5), aborted_transactions nullable [producer_id int64, first_offset int64] (v4),
//     preferred_read_replica int32 (v11), records nullable bytes]]
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';

export interface FetchPartitionRequest { partition: number; currentLeaderEpoch: number; fetchOffset: bigint; logStartOffset: bigint; partitionMaxBytes: number }
export interface FetchRequest {
  replicaId: number;
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  isolationLevel: number;
  sessionId: number;
  sessionEpoch: number;
  topics: { topic: string; partitions: FetchPartitionRequest[] }[];
  forgottenTopics: { topic: string; partitions: number[] }[];
  rackId: string;
}
export interface FetchPartitionResponse {
  partitionIndex: number;
  errorCode: number;
  highWatermark: bigint;
  lastStableOffset: bigint;
  logStartOffset: bigint;
  abortedTransactions: { producerId: bigint; firstOffset: bigint }[] | null;
  preferredReadReplica: number;
  records: Buffer | null;
}
export interface FetchResponse {
  throttleTimeMs: number;
  errorCode: number;
  sessionId: number;
  responses: { topic: string; partitions: FetchPartitionResponse[] }[];
}

export function decodeFetchRequest(r: Reader, version: number): FetchRequest {
  const replicaId = r.int32();
  const maxWaitMs = r.int32();
  const minBytes = r.int32();
  const maxBytes = r.int32();
  const isolationLevel = r.int8();
  const sessionId = version >= 7 ? r.int32() : 0;
  const sessionEpoch = version >= 7 ? r.int32() : -1;
  const topics = r.array((r) => ({
    topic: r.string(),
    partitions: r.array((r) => ({
      partition: r.int32(),
      currentLeaderEpoch: version >= 9 ? r.int32() : -1,
      fetchOffset: r.int64(),
      logStartOffset: version >= 5 ? r.int64() : -1n,
      partitionMaxBytes: r.int32(),
    })),
  }));
  const forgottenTopics = version >= 7 ? r.array((r) => ({ topic: r.string(), partitions: r.int32Array() })) : [];
  const rackId = version >= 11 ? r.string() : '';
  return { replicaId, maxWaitMs, minBytes, maxBytes, isolationLevel, sessionId, sessionEpoch, topics, forgottenTopics, rackId };
}

export function encodeFetchResponse(w: Writer, res: FetchResponse, version: number): void {
  w.int32(res.throttleTimeMs);
  if (version >= 7) w.int16(res.errorCode).int32(res.sessionId);
  w.array(res.responses, (w, t) => {
    w.string(t.topic);
    w.array(t.partitions, (w, p) => {
      w.int32(p.partitionIndex).int16(p.errorCode).int64(p.highWatermark).int64(p.lastStableOffset);
      if (version >= 5) w.int64(p.logStartOffset);
      w.nullableArray(p.abortedTransactions, (w, a) => w.int64(a.producerId).int64(a.firstOffset));
      if (version >= 11) w.int32(p.preferredReadReplica);
      w.nullableBytes(p.records);
    });
  });
}
