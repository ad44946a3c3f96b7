// CreateTopics (key 19), after Kafka's CreateTopicsRequest.json / CreateTopicsResponse.json.
import { field, struct } from '../schema/message.js';
import type { MessageSpec } from '../schema/types.js';

export interface CreatableTopic {
  name: string;
  numPartitions: number;
  replicationFactor: number;
  assignments: { partitionIndex: number; brokerIds: number[] }[];
  configs: { name: string; value: string | null }[];
}
export interface CreateTopicsRequest { topics: CreatableTopic[]; timeoutMs: number; validateOnly: boolean }
export interface CreatedTopic {
  name: string;
  errorCode: number;
  errorMessage: string | null;
  numPartitions?: number;
  replicationFactor?: number;
  configs?: { name: string; value: string | null; readOnly: boolean; configSource: number; isSensitive: boolean }[] | null;
}
export interface CreateTopicsResponse { throttleTimeMs: number; topics: CreatedTopic[] }

export const createTopicsSpec: MessageSpec = {
  apiKey: 19,
  name: 'CreateTopics',
  validVersions: '0-7',
  flexibleVersions: '5+',
  request: [
    struct('topics', '0+', [
      field('name', 'string', '0+'),
      field('numPartitions', 'int32', '0+'),
      field('replicationFactor', 'int16', '0+'),
      struct('assignments', '0+', [field('partitionIndex', 'int32', '0+'), field('brokerIds', '[]int32', '0+')]),
      struct('configs', '0+', [field('name', 'string', '0+'), field('value', 'string', '0+', { nullableVersions: '0+' })]),
    ]),
    field('timeoutMs', 'int32', '0+'),
    field('validateOnly', 'bool', '1+'),
  ],
  response: [
    field('throttleTimeMs', 'int32', '2+'),
    struct('topics', '0+', [
      field('name', 'string', '0+'),
      field('topicId', 'uuid', '7+'),
      field('errorCode', 'int16', '0+'),
      field('errorMessage', 'string', '1+', { nullableVersions: '0+', default: null }),
      field('topicConfigErrorCode', 'int16', '5+', { taggedVersions: '5+', tag: 0 }),
      field('numPartitions', 'int32', '5+', { default: -1 }),
      field('replicationFactor', 'int16', '5+', { default: -1 }),
      struct(
        'configs',
        '5+',
        [
          field('name', 'string', '5+'),
          field('value', 'string', '5+', { nullableVersions: '5+' }),
          field('readOnly', 'bool', '5+'),
          field('configSource', 'int8', '5+', { default: -1 }),
          field('isSensitive', 'bool', '5+'),
        ],
        { nullableVersions: '5+', default: null },
      ),
    ]),
  ],
};
