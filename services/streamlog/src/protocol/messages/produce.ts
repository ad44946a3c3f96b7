// Produce (key 0), after Kafka's ProduceRequest.json / ProduceResponse.json. v0-v2 carry the old
// message sets, which this broker does not store (Kafka 4 dropped them too); v3+ carry record batches v2.
import { field, struct } from '../schema/message.js';
import type { MessageSpec } from '../schema/types.js';

export interface ProduceRequest {
  transactionalId: string | null;
  acks: number;
  timeoutMs: number;
  topics: { name: string; partitions: { index: number; records: Buffer | null }[] }[];
}
export interface ProducePartitionResponse {
  index: number;
  errorCode: number;
  baseOffset: bigint;
  logAppendTimeMs: bigint;
  logStartOffset: bigint;
  errorMessage?: string | null;
}
export interface ProduceResponse { responses: { name: string; partitions: ProducePartitionResponse[] }[]; throttleTimeMs: number }

export const produceSpec: MessageSpec = {
  apiKey: 0,
  name: 'Produce',
  validVersions: '3-9',
  flexibleVersions: '9+',
  request: [
    field('transactionalId', 'string', '3+', { nullableVersions: '3+', default: null }),
    field('acks', 'int16', '0+'),
    field('timeoutMs', 'int32', '0+'),
    struct('topics', '0+', [
      field('name', 'string', '0+'),
      struct('partitions', '0+', [field('index', 'int32', '0+'), field('records', 'records', '0+', { nullableVersions: '0+' })]),
    ]),
  ],
  response: [
    struct('responses', '0+', [
      field('name', 'string', '0+'),
      struct('partitions', '0+', [
        field('index', 'int32', '0+'),
        field('errorCode', 'int16', '0+'),
        field('baseOffset', 'int64', '0+'),
        field('logAppendTimeMs', 'int64', '2+', { default: -1 }),
        field('logStartOffset', 'int64', '5+', { default: -1 }),
        struct('recordErrors', '8+', [field('batchIndex', 'int32', '8+'), field('batchIndexErrorMessage', 'string', '8+', { nullableVersions: '8+', default: null })]),
        field('errorMessage', 'string', '8+', { nullableVersions: '8+', default: null }),
      ]),
    ]),
    field('throttleTimeMs', 'int32', '1+'),
  ],
};
