// CreatePartitions (key 37), after Kafka's CreatePartitionsRequest.json / CreatePartitionsResponse.json.
import { field, struct } from '../schema/message.js';
import type { MessageSpec } from '../schema/types.js';

export interface CreatePartitionsRequest {
  topics: { name: string; count: number; assignments: { brokerIds: number[] }[] | null }[];
  timeoutMs: number;
  validateOnly: boolean;
}
export interface CreatePartitionsResponse { throttleTimeMs: number; results: { name: string; errorCode: number; errorMessage: string | null }[] }

export const createPartitionsSpec: MessageSpec = {
  apiKey: 37,
  name: 'CreatePartitions',
  validVersions: '0-3',
  flexibleVersions: '2+',
  request: [
    struct('topics', '0+', [
      field('name', 'string', '0+'),
      field('count', 'int32', '0+'),
      struct('assignments', '0+', [field('brokerIds', '[]int32', '0+')], { nullableVersions: '0+' }),
    ]),
    field('timeoutMs', 'int32', '0+'),
    field('validateOnly', 'bool', '0+'),
  ],
  response: [
    field('throttleTimeMs', 'int32', '0+'),
    struct('results', '0+', [field('name', 'string', '0+'), field('errorCode', 'int16', '0+'), field('errorMessage', 'string', '0+', { nullableVersions: '0+', default: null })]),
  ],
};
