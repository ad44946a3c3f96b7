// CreateTopics v3 (key 19).
// Request: topics [name string, num_partitions int32, replication_factor int16,
//   assignments [partition_index int32, broker_ids [int32]], configs [name string, value nullable string]],
//   timeout_ms int32, validate_only bool
// Response: throttle_time_ms int32, topics [name string, error_code int16, error_message nullable string]
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';

export interface CreatableTopic {
  name: string;
  numPartitions: number;
  replicationFactor: number;
  assignments: { partitionIndex: number; brokerIds: number[] }[];
  configs: { name: string; value: string | null }[];
}
export interface CreateTopicsRequest { topics: CreatableTopic[]; timeoutMs: number; validateOnly: boolean }
export interface CreateTopicsResponse { throttleTimeMs: number; topics: { name: string; errorCode: number; errorMessage: string | null }[] }

export function decodeRequest(r: Reader): CreateTopicsRequest {
  const topics = r.array((r) => ({
    name: r.string(),
    numPartitions: r.int32(),
    replicationFactor: r.int16(),
    assignments: r.array((r) => ({ partitionIndex: r.int32(), brokerIds: r.int32Array() })),
    configs: r.array((r) => ({ name: r.string(), value: r.nullableString() })),
  }));
  const timeoutMs = r.int32();
  const validateOnly = r.bool();
  return { topics, timeoutMs, validateOnly };
}

export function encodeResponse(w: Writer, res: CreateTopicsResponse): void {
  w.int32(res.throttleTimeMs);
  w.array(res.topics, (w, t) => w.string(t.name).int16(t.errorCode).nullableString(t.errorMessage));
}
