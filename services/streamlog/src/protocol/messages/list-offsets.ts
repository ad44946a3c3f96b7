// ListOffsets (key 2), after Kafka's ListOffsetsRequest.json / ListOffsetsResponse.json. Timestamp
// -1 = latest, -2 = earliest. v7 (the -3 "max timestamp" spec) is not offered.
import { field, struct } from '../schema/message.js';
import type { MessageSpec } from '../schema/types.js';

export interface ListOffsetsRequest {
  replicaId: number;
  isolationLevel: number;
  topics: { name: string; partitions: { partitionIndex: number; timestamp: bigint }[] }[];
}
export interface ListOffsetsPartitionResponse { partitionIndex: number; errorCode: number; timestamp: bigint; offset: bigint }
export interface ListOffsetsResponse { throttleTimeMs: number; topics: { name: string; partitions: ListOffsetsPartitionResponse[] }[] }

export const listOffsetsSpec: MessageSpec = {
  apiKey: 2,
  name: 'ListOffsets',
  validVersions: '1-6',
  flexibleVersions: '6+',
  request: [
    field('replicaId', 'int32', '0+'),
    field('isolationLevel', 'int8', '2+'),
    struct('topics', '0+', [
      field('name', 'string', '0+'),
      struct('partitions', '0+', [
        field('partitionIndex', 'int32', '0+'),
        field('currentLeaderEpoch', 'int32', '4+', { default: -1 }),
        field('timestamp', 'int64', '0+'),
      ]),
    ]),
  ],
  response: [
    field('throttleTimeMs', 'int32', '2+'),
    struct('topics', '0+', [
      field('name', 'string', '0+'),
      struct('partitions', '0+', [
        field('partitionIndex', 'int32', '0+'),
        field('errorCode', 'int16', '0+'),
        field('timestamp', 'int64', '1+', { default: -1 }),
        field('offset', 'int64', '1+', { default: -1 }),
        field('leaderEpoch', 'int32', '4+', { default: -1 }),
      ]),
    ]),
  ],
};
