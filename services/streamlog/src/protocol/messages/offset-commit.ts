// OffsetCommit (key 8), after Kafka's OffsetCommitRequest.json / OffsetCommitResponse.json.
// Retention and commit timestamps are accepted and ignored: committed offsets stay until the group is deleted.
import { field, struct } from '../schema/message.js';
import type { MessageSpec } from '../schema/types.js';

export interface OffsetCommitRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId?: string | null;
  topics: { name: string; partitions: { partitionIndex: number; committedOffset: bigint; committedMetadata: string | null }[] }[];
}
export interface OffsetCommitResponse { throttleTimeMs: number; topics: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[] }

export const offsetCommitSpec: MessageSpec = {
  apiKey: 8,
  name: 'OffsetCommit',
  validVersions: '0-8',
  flexibleVersions: '8+',
  request: [
    field('groupId', 'string', '0+'),
    field('generationId', 'int32', '1+', { default: -1 }),
    field('memberId', 'string', '1+'),
    field('groupInstanceId', 'string', '7+', { nullableVersions: '7+', default: null }),
    field('retentionTimeMs', 'int64', '2-4', { default: -1 }),
    struct('topics', '0+', [
      field('name', 'string', '0+'),
      struct('partitions', '0+', [
        field('partitionIndex', 'int32', '0+'),
        field('committedOffset', 'int64', '0+'),
        field('committedLeaderEpoch', 'int32', '6+', { default: -1 }),
        field('commitTimestamp', 'int64', '1', { default: -1 }),
        field('committedMetadata', 'string', '0+', { nullableVersions: '0+' }),
      ]),
    ]),
  ],
  response: [
    field('throttleTimeMs', 'int32', '3+'),
    struct('topics', '0+', [field('name', 'string', '0+'), struct('partitions', '0+', [field('partitionIndex', 'int32', '0+'), field('errorCode', 'int16', '0+')])]),
  ],
};
