// OffsetFetch (key 9), after Kafka's OffsetFetchRequest.json / OffsetFetchResponse.json. From v8 one
// request asks for several groups; before v2 the topic list cannot be null ("every committed partition").
import { field, struct } from '../schema/message.js';
import type { MessageSpec } from '../schema/types.js';

export interface OffsetFetchRequest { groupId: string; topics: { name: string; partitionIndexes: number[] }[] | null }
export interface OffsetFetchPartition { partitionIndex: number; committedOffset: bigint; metadata: string | null; errorCode: number }
export interface OffsetFetchResponse { throttleTimeMs: number; topics: { name: string; partitions: OffsetFetchPartition[] }[]; errorCode: number }
export interface OffsetFetchRequestWire extends OffsetFetchRequest { groups: { groupId: string; topics: OffsetFetchRequest['topics'] }[] }
export interface OffsetFetchResponseWire extends OffsetFetchResponse { groups: { groupId: string; topics: OffsetFetchResponse['topics']; errorCode: number }[] }

const partitionFields = (v: string) => [
  field('partitionIndex', 'int32', v),
  field('committedOffset', 'int64', v),
  field('committedLeaderEpoch', 'int32', v === '0-7' ? '5-7' : v, { default: -1 }),
  field('metadata', 'string', v, { nullableVersions: v }),
  field('errorCode', 'int16', v),
];

export const offsetFetchSpec: MessageSpec = {
  apiKey: 9,
  name: 'OffsetFetch',
  validVersions: '1-8',
  flexibleVersions: '6+',
  request: [
    field('groupId', 'string', '0-7'),
    struct('topics', '0-7', [field('name', 'string', '0-7'), field('partitionIndexes', '[]int32', '0-7')], { nullableVersions: '2-7' }),
    struct('groups', '8+', [
      field('groupId', 'string', '8+'),
      struct('topics', '8+', [field('name', 'string', '8+'), field('partitionIndexes', '[]int32', '8+')], { nullableVersions: '8+' }),
    ]),
    field('requireStable', 'bool', '7+'),
  ],
  response: [
    field('throttleTimeMs', 'int32', '3+'),
    struct('topics', '0-7', [field('name', 'string', '0-7'), struct('partitions', '0-7', partitionFields('0-7'))]),
    field('errorCode', 'int16', '2-7'),
    struct('groups', '8+', [
      field('groupId', 'string', '8+'),
      struct('topics', '8+', [field('name', 'string', '8+'), struct('partitions', '8+', partitionFields('8+'))]),
      field('errorCode', 'int16', '8+'),
    ]),
  ],
};
