// DeleteTopics (key 20), after Kafka's DeleteTopicsRequest.json / DeleteTopicsResponse.json. From
// v6 topics are structs that may name a topic by id instead (see ../../server/apis.ts).
import { field, struct } from '../schema/message.js';
import type { MessageSpec } from '../schema/types.js';

export interface DeleteTopicsRequest { topicNames: string[]; timeoutMs: number }
export interface DeleteTopicsRequestWire extends DeleteTopicsRequest { topics: { name: string | null; topicId: Buffer }[] }
export interface DeleteTopicsResponse { throttleTimeMs: number; responses: { name: string; errorCode: number; errorMessage?: string | null }[] }

export const deleteTopicsSpec: MessageSpec = {
  apiKey: 20,
  name: 'DeleteTopics',
  validVersions: '0-6',
  flexibleVersions: '4+',
  request: [
    struct('topics', '6+', [field('name', 'string', '6+', { nullableVersions: '6+' }), field('topicId', 'uuid', '6+')]),
    field('topicNames', '[]string', '0-5'),
    field('timeoutMs', 'int32', '0+'),
  ],
  response: [
    field('throttleTimeMs', 'int32', '1+'),
    struct('responses', '0+', [
      field('name', 'string', '0+', { nullableVersions: '6+' }),
      field('topicId', 'uuid', '6+'),
      field('errorCode', 'int16', '0+'),
      field('errorMessage', 'string', '5+', { nullableVersions: '5+', default: null }),
    ]),
  ],
};
