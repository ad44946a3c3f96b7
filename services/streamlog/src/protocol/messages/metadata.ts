// Metadata (key 3), after Kafka's MetadataRequest.json / MetadataResponse.json.
// In v0 an empty topic list means every topic; from v1 that is a null list (see ../../server/apis.ts).
import { field, struct } from '../schema/message.js';
import type { MessageSpec } from '../schema/types.js';

export interface MetadataRequestWire { topics: { topicId: Buffer; name: string | null }[] | null; allowAutoTopicCreation: boolean }
export interface MetadataRequest { topics: string[] | null; allowAutoTopicCreation: boolean }
export interface MetadataBroker { nodeId: number; host: string; port: number; rack: string | null }
export interface MetadataPartition { errorCode: number; partitionIndex: number; leaderId: number; replicaNodes: number[]; isrNodes: number[]; offlineReplicas: number[] }
export interface MetadataTopic { errorCode: number; name: string; topicId?: Buffer; isInternal: boolean; partitions: MetadataPartition[] }
export interface MetadataResponse {
  throttleTimeMs: number;
  brokers: MetadataBroker[];
  clusterId: string | null;
  controllerId: number;
  topics: MetadataTopic[];
}

const UNKNOWN_OPERATIONS = -2147483648;

export const metadataSpec: MessageSpec = {
  apiKey: 3,
  name: 'Metadata',
  validVersions: '0-12',
  flexibleVersions: '9+',
  request: [
    struct('topics', '0+', [field('topicId', 'uuid', '10+'), field('name', 'string', '0+', { nullableVersions: '10+' })], { nullableVersions: '1+' }),
    field('allowAutoTopicCreation', 'bool', '4+', { default: true }),
    field('includeClusterAuthorizedOperations', 'bool', '8-10'),
    field('includeTopicAuthorizedOperations', 'bool', '8+'),
  ],
  response: [
    field('throttleTimeMs', 'int32', '3+'),
    struct('brokers', '0+', [
      field('nodeId', 'int32', '0+'),
      field('host', 'string', '0+'),
      field('port', 'int32', '0+'),
      field('rack', 'string', '1+', { nullableVersions: '1+', default: null }),
    ]),
    field('clusterId', 'string', '2+', { nullableVersions: '2+', default: null }),
    field('controllerId', 'int32', '1+', { default: -1 }),
    struct('topics', '0+', [
      field('errorCode', 'int16', '0+'),
      field('name', 'string', '0+', { nullableVersions: '12+' }),
      field('topicId', 'uuid', '10+'),
      field('isInternal', 'bool', '1+'),
      struct('partitions', '0+', [
        field('errorCode', 'int16', '0+'),
        field('partitionIndex', 'int32', '0+'),
        field('leaderId', 'int32', '0+'),
        field('leaderEpoch', 'int32', '7+', { default: -1 }),
        field('replicaNodes', '[]int32', '0+'),
        field('isrNodes', '[]int32', '0+'),
        field('offlineReplicas', '[]int32', '5+'),
      ]),
      field('topicAuthorizedOperations', 'int32', '8+', { default: UNKNOWN_OPERATIONS }),
    ]),
    field('clusterAuthorizedOperations', 'int32', '8-10', { default: UNKNOWN_OPERATIONS }),
  ],
};
