import { describe, expect, it } from 'vitest';
import { encodeRecordBatch } from '../../src/records/index.js';
import { decode, encode, hex, kafkajsProtocol, kafkajsRequestBody, str } from './fixtures.js';
import { codec } from './fixtures.js';
import type { FetchResponse } from '../../src/protocol/messages/fetch.js';

const v4 = codec('Fetch', 4);
const v11 = codec('Fetch', 11);

describe('Fetch codec', () => {
  it('v11 request matches the spec', () => {
    const bytes = hex(
      'ffffffff', // replica_id -1
      '000001f4', // max_wait_ms 500
      '00000001', // min_bytes 1
      '00a00000', // max_bytes 10 MiB
      '01', // isolation_level READ_COMMITTED
      '00000000 ffffffff', // session_id 0, session_epoch -1
      '00000001', str('t'), // one topic
      '00000001 00000003', // one partition: 3
      'ffffffff', // current_leader_epoch -1
      '000000000000000a', // fetch_offset 10
      'ffffffffffffffff', // log_start_offset -1
      '00100000', // partition_max_bytes 1 MiB
      '00000000', // forgotten_topics_data []
      str('r1'), // rack_id
    );
    // fields newer than the version decode to their defaults (clusterId, lastFetchedEpoch), so compare what v11 carries
    expect(decode(v11.decodeRequest, bytes)).toMatchObject({
      value: {
        replicaId: -1,
        maxWaitMs: 500,
        minBytes: 1,
        maxBytes: 10 * 1024 * 1024,
        isolationLevel: 1,
        sessionId: 0,
        sessionEpoch: -1,
        topics: [{ topic: 't', partitions: [{ partition: 3, currentLeaderEpoch: -1, fetchOffset: 10n, logStartOffset: -1n, partitionMaxBytes: 1024 * 1024 }] }],
        forgottenTopics: [],
        rackId: 'r1',
      },
      rest: 0,
    });
  });

  it('v4 request has no sessions, leader epochs, log start offsets or rack', () => {
    const bytes = hex('ffffffff 000001f4 00000001 00a00000 00', '00000001', str('t'), '00000001 00000000 0000000000000000 00100000');
    const { value, rest } = decode(v4.decodeRequest, bytes);
    expect(rest).toBe(0);
    expect(value.topics[0].partitions[0]).toEqual({ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0n, lastFetchedEpoch: -1, logStartOffset: -1n, partitionMaxBytes: 1024 * 1024 });
  });

  const response: FetchResponse = {
    throttleTimeMs: 0,
    errorCode: 0,
    sessionId: 0,
    responses: [
      {
        topic: 't',
        partitions: [
          { partitionIndex: 0, errorCode: 0, highWatermark: 2n, lastStableOffset: 2n, logStartOffset: 0n, abortedTransactions: null, preferredReadReplica: -1, records: Buffer.from([0xaa]) },
        ],
      },
    ],
  };

  it('v11 and v4 responses match the spec', () => {
    const partitionHead = ['00000001', str('t'), '00000001', '00000000 0000 0000000000000002 0000000000000002'];
    expect(encode(v11.encodeResponse, response)).toEqual(
      hex('00000000 0000 00000000', ...partitionHead, '0000000000000000', 'ffffffff', 'ffffffff', '00000001 aa'),
    );
    // v4: no error_code/session_id, no log_start_offset, no preferred_read_replica
    expect(encode(v4.encodeResponse, response)).toEqual(hex('00000000', ...partitionHead, 'ffffffff', '00000001 aa'));
  });

  it('agrees with kafkajs both ways, records included', async () => {
    const body = await kafkajsRequestBody('fetch', 11, {
      replicaId: -1,
      maxWaitTime: 100,
      minBytes: 1,
      maxBytes: 1000,
      isolationLevel: 1,
      topics: [{ topic: 'orders', partitions: [{ partition: 2, fetchOffset: '42', maxBytes: 500 }] }],
    });
    const { value, rest } = decode(v11.decodeRequest, body);
    expect(rest).toBe(0);
    expect(value.topics[0]).toEqual({ topic: 'orders', partitions: [{ partition: 2, currentLeaderEpoch: -1, fetchOffset: 42n, lastFetchedEpoch: -1, logStartOffset: -1n, partitionMaxBytes: 500 }] });

    const records = encodeRecordBatch([{ key: Buffer.from('k'), value: Buffer.from('hello'), timestamp: 1700000000000n }], { baseOffset: 7n });
    const withRecords: FetchResponse = { ...response, responses: [{ topic: 't', partitions: [{ ...response.responses[0].partitions[0], highWatermark: 8n, lastStableOffset: 8n, records }] }] };
    const decoded = (await kafkajsProtocol('fetch', 11).response.decode(encode(v11.encodeResponse, withRecords))) as {
      responses: { partitions: { highWatermark: string; messages: { offset: string; key: Buffer; value: Buffer }[] }[] }[];
    };
    const p = decoded.responses[0].partitions[0];
    expect(p.highWatermark).toBe('8');
    expect(p.messages.map((m) => [m.offset, m.key.toString(), m.value.toString()])).toEqual([['7', 'k', 'hello']]);
  });
});
