// OffsetDelete (key 47), after Kafka's OffsetDeleteRequest.json / OffsetDeleteResponse.json.
import { field, struct } from '../schema/message.js';
import type { MessageSpec } from '../schema/types.js';

export interface OffsetDeleteRequest { groupId: string; topics: { name: string; partitions: { partitionIndex: number }[] }[] }
export interface OffsetDeleteResponse {
  errorCode: number;
  throttleTimeMs: number;
  topics: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[];
}

export const offsetDeleteSpec: MessageSpec = {
  apiKey: 47,
  name: 'OffsetDelete',
  validVersions: '0',
  flexibleVersions: 'none',
  request: [field('groupId', 'string', '0+'), struct('topics', '0+', [field('name', 'string', '0+'), struct('partitions', '0+', [field('partitionIndex', 'int32', '0+')])])],
  response: [
    field('errorCode', 'int16', '0+'),
    field('throttleTimeMs', 'int32', '0+'),
    struct('topics', '0+', [field('name', 'string', '0+'), struct('partitions', '0+', [field('partitionIndex', 'int32', '0+'), field('errorCode', 'int16', '0+')])]),
  ],
};
