// Metadata v4-v6 (key 3), one parameterised codec; vN.ts files bind a version.
// Request: topics nullable [name string] (null = all topics), allow_auto_topic_creation bool
// Response: throttle_time_ms int32, brokers [node_id int32, host string, port int32, rack nullable string],
//   cluster_id nullable string, controller_id int32,
//   topics [error_code int16, name string, is_internal bool,
//     partitions [error_code int16, partition_index int32, leader_id int32, replica_nodes [int32], isr_nodes [int32], offline_replicas [int32] (v5)]]
import type { Reader } from '../../primitives/reader.js';
import type { Writer } from '../../primitives/writer.js';

export interface MetadataRequest { topics: string[] | null; allowAutoTopicCreation: boolean }
export interface MetadataBroker { nodeId: number; host: string; port: number; rack: string | null }
export interface MetadataPartition { errorCode: number; partitionIndex: number; leaderId: number; replicaNodes: number[]; isrNodes: number[]; offlineReplicas: number[] }
export interface MetadataTopic { errorCode: number; name: string; isInternal: boolean; partitions: MetadataPartition[] }
export interface MetadataResponse {
  throttleTimeMs: number;
  brokers: MetadataBroker[];
  clusterId: string | null;
  controllerId: number;
  topics: MetadataTopic[];
}

export function decodeMetadataRequest(r: Reader): MetadataRequest {
  const topics = r.nullableArray((r) => r.string());
  const allowAutoTopicCreation = r.bool();
  return { topics, allowAutoTopicCreation };
}

export function encodeMetadataResponse(w: Writer, res: MetadataResponse, version: number): void {
  w.int32(res.throttleTimeMs);
  w.array(res.brokers, (w, b) => w.int32(b.nodeId).string(b.host).int32(b.port).nullableString(b.rack));
  w.nullableString(res.clusterId);
  w.int32(res.controllerId);
  w.array(res.topics, (w, t) => {
    w.int16(t.errorCode).string(t.name).bool(t.isInternal);
    w.array(t.partitions, (w, p) => {
      w.int16(p.errorCode).int32(p.partitionIndex).int32(p.leaderId);
      w.int32Array(p.replicaNodes).int32Array(p.isrNodes);
      if (version >= 5) w.int32Array(p.offlineReplicas);
    });
  });
}
