// InitProducerId (key 22), after Kafka's InitProducerIdRequest.json / InitProducerIdResponse.json.
// Idempotent producers only: a transactional id is refused until transactions exist.
import { field } from '../schema/message.js';
import type { MessageSpec } from '../schema/types.js';

export interface InitProducerIdRequest { transactionalId: string | null; transactionTimeoutMs: number; producerId: bigint; producerEpoch: number }
export interface InitProducerIdResponse { throttleTimeMs: number; errorCode: number; producerId: bigint; producerEpoch: number }

export const initProducerIdSpec: MessageSpec = {
  apiKey: 22,
  name: 'InitProducerId',
  validVersions: '0-4',
  flexibleVersions: '2+',
  request: [
    field('transactionalId', 'string', '0+', { nullableVersions: '0+' }),
    field('transactionTimeoutMs', 'int32', '0+'),
    field('producerId', 'int64', '3+', { default: -1 }),
    field('producerEpoch', 'int16', '3+', { default: -1 }),
  ],
  response: [
    field('throttleTimeMs', 'int32', '0+'),
    field('errorCode', 'int16', '0+'),
    field('producerId', 'int64', '0+', { default: -1 }),
    field('producerEpoch', 'int16', '0+'),
  ],
};
