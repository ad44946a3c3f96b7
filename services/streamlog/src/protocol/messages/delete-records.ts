// DeleteRecords (key 21), after Kafka's DeleteRecordsRequest.json / DeleteRecordsResponse.json.
import { field, struct } from '../schema/message.js';
import type { MessageSpec } from '../schema/types.js';

export interface DeleteRecordsRequest { topics: { name: string; partitions: { partitionIndex: number; offset: bigint }[] }[]; timeoutMs: number }
export interface DeleteRecordsResponse {
  throttleTimeMs: number;
  topics: { name: string; partitions: { partitionIndex: number; lowWatermark: bigint; errorCode: number }[] }[];
}

export const deleteRecordsSpec: MessageSpec = {
  apiKey: 21,
  name: 'DeleteRecords',
  validVersions: '0-2',
  flexibleVersions: '2+',
  request: [
    struct('topics', '0+', [field('name', 'string', '0+'), struct('partitions', '0+', [field('partitionIndex', 'int32', '0+'), field('offset', 'int64', '0+')])]),
    field('timeoutMs', 'int32', '0+'),
  ],
  response: [
    field('throttleTimeMs', 'int32', '0+'),
    struct('topics', '0+', [
      field('name', 'string', '0+'),
      struct('partitions', '0+', [field('partitionIndex', 'int32', '0+'), field('lowWatermark', 'int64', '0+'), field('errorCode', 'int16', '0+')]),
    ]),
  ],
};
