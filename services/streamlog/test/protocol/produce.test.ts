import { describe, expect, it } from 'vitest';
import { decodeRecordBatches } from '../../src/records/index.js';
import { decode, encode, hex, kafkajsProtocol, kafkajsRequestBody, str } from './fixtures.js';
import { codec } from './fixtures.js';
import type { ProduceResponse } from '../../src/protocol/messages/produce.js';

const v3 = codec('Produce', 3);
const v7 = codec('Produce', 7);

const response: ProduceResponse = {
  responses: [{ name: 't', partitions: [{ index: 1, errorCode: 0, baseOffset: 5n, logAppendTimeMs: -1n, logStartOffset: 0n }] }],
  throttleTimeMs: 0,
};
const responseHead = ['00000001', str('t'), '00000001', '00000001 0000 0000000000000005 ffffffffffffffff'];

describe('Produce codec', () => {
  it('v7 request matches the spec', () => {
    const bytes = hex(
      'ffff', // transactional_id null
      'ffff', // acks -1
      '00007530', // timeout_ms 30000
      '00000001', str('t'), // one topic "t"
      '00000001 00000002', // one partition, index 2
      '00000003 010203', // records: 3 bytes
    );
    expect(decode(v7.decodeRequest, bytes)).toEqual({
      value: { transactionalId: null, acks: -1, timeoutMs: 30000, topics: [{ name: 't', partitions: [{ index: 2, records: Buffer.from([1, 2, 3]) }] }] },
      rest: 0,
    });
  });

  it('v7 response carries log_start_offset, v3 does not', () => {
    expect(encode(v7.encodeResponse, response)).toEqual(hex(...responseHead, '0000000000000000', '00000000'));
    expect(encode(v3.encodeResponse, response)).toEqual(hex(...responseHead, '00000000'));
  });

  it('decodes a kafkajs produce request, record batch included', async () => {
    const body = await kafkajsRequestBody('produce', 7, {
      acks: -1,
      timeout: 1000,
      compression: 0,
      topicData: [{ topic: 'orders', partitions: [{ partition: 0, firstSequence: 0, messages: [{ key: 'k', value: 'v', timestamp: 1700000000000 }] }] }],
    });
    const { value, rest } = decode(v7.decodeRequest, body);
    expect(rest).toBe(0);
    expect(value.acks).toBe(-1);
    const batches = decodeRecordBatches(value.topics[0].partitions[0].records!);
    expect(batches).toHaveLength(1);
    expect(batches[0].records.map((r) => [r.key?.toString(), r.value?.toString()])).toEqual([['k', 'v']]);
    const decoded = await kafkajsProtocol('produce', 7).response.decode(encode(v7.encodeResponse, response));
    expect(decoded).toMatchObject({ topics: [{ topicName: 't', partitions: [{ partition: 1, errorCode: 0, baseOffset: '5', logStartOffset: '0' }] }] });
  });
});
