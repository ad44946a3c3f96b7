// The transaction APIs, after Kafka's AddPartitionsToTxn, AddOffsetsToTxn, EndTxn and TxnOffsetCommit
// request/response specs. AddPartitionsToTxn v4+ (the broker-to-broker batched form of KIP-890) is not
// implemented; v0-3 is what producers send.
import { field, struct } from '../schema/message.js';
import type { MessageSpec } from '../schema/types.js';

export interface AddPartitionsToTxnRequest { transactionalId: string; producerId: bigint; producerEpoch: number; topics: { name: string; partitions: number[] }[] }
export interface AddPartitionsToTxnResponse {
  throttleTimeMs: number;
  results: { name: string; results: { partitionIndex: number; errorCode: number }[] }[];
}
export interface AddOffsetsToTxnRequest { transactionalId: string; producerId: bigint; producerEpoch: number; groupId: string }
export interface EndTxnRequest { transactionalId: string; producerId: bigint; producerEpoch: number; committed: boolean }
export interface TxnErrorResponse { throttleTimeMs: number; errorCode: number }
export interface TxnOffsetCommitRequest {
  transactionalId: string;
  groupId: string;
  producerId: bigint;
  producerEpoch: number;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  topics: { name: string; partitions: { partitionIndex: number; committedOffset: bigint; committedLeaderEpoch: number; committedMetadata: string | null }[] }[];
}
export interface TxnOffsetCommitResponse { throttleTimeMs: number; topics: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[] }

const producer = [field('producerId', 'int64', '0+'), field('producerEpoch', 'int16', '0+')];
const errorOnly = [field('throttleTimeMs', 'int32', '0+'), field('errorCode', 'int16', '0+')];

export const addPartitionsToTxnSpec: MessageSpec = {
  apiKey: 24,
  name: 'AddPartitionsToTxn',
  validVersions: '0-3',
  flexibleVersions: '3+',
  request: [field('transactionalId', 'string', '0+'), ...producer, struct('topics', '0+', [field('name', 'string', '0+'), field('partitions', '[]int32', '0+')])],
  response: [
    field('throttleTimeMs', 'int32', '0+'),
    struct('results', '0+', [field('name', 'string', '0+'), struct('results', '0+', [field('partitionIndex', 'int32', '0+'), field('errorCode', 'int16', '0+')])]),
  ],
};

export const addOffsetsToTxnSpec: MessageSpec = {
  apiKey: 25,
  name: 'AddOffsetsToTxn',
  validVersions: '0-3',
  flexibleVersions: '3+',
  request: [field('transactionalId', 'string', '0+'), ...producer, field('groupId', 'string', '0+')],
  response: errorOnly,
};

export const endTxnSpec: MessageSpec = {
  apiKey: 26,
  name: 'EndTxn',
  validVersions: '0-3',
  flexibleVersions: '3+',
  request: [field('transactionalId', 'string', '0+'), ...producer, field('committed', 'bool', '0+')],
  response: errorOnly,
};

export const txnOffsetCommitSpec: MessageSpec = {
  apiKey: 28,
  name: 'TxnOffsetCommit',
  validVersions: '0-3',
  flexibleVersions: '3+',
  request: [
    field('transactionalId', 'string', '0+'),
    field('groupId', 'string', '0+'),
    ...producer,
    field('generationId', 'int32', '3+', { default: -1 }),
    field('memberId', 'string', '3+', { default: '' }),
    field('groupInstanceId', 'string', '3+', { nullableVersions: '3+', default: null }),
    struct('topics', '0+', [
      field('name', 'string', '0+'),
      struct('partitions', '0+', [
        field('partitionIndex', 'int32', '0+'),
        field('committedOffset', 'int64', '0+'),
        field('committedLeaderEpoch', 'int32', '2+', { default: -1 }),
        field('committedMetadata', 'string', '0+', { nullableVersions: '0+' }),
      ]),
    ]),
  ],
  response: [
    field('throttleTimeMs', 'int32', '0+'),
    struct('topics', '0+', [field('name', 'string', '0+'), struct('partitions', '0+', [field('partitionIndex', 'int32', '0+'), field('errorCode', 'int16', '0+')])]),
  ],
};
