import { describe, expect, it } from 'vitest';
import { codec, decode, encode, hex, str } from './fixtures.js';

// Annotated byte fixtures for ListOffsets (key 2) v4 and v5, written by hand after Kafka's
// ListOffsetsRequest.json / ListOffsetsResponse.json (v6, the flexible one, is in admin-versions.test.ts).
// v4 adds the current leader epoch to each requested partition (fencing) and the leader epoch to each
// answer; v5 has the same bytes and only allows the OFFSET_NOT_AVAILABLE error.
const request = hex(
  'ffffffff', // ReplicaId -1: a consumer
  '01', // IsolationLevel READ_COMMITTED
  '00000001', str('t'), // Topics: int32 count 1, name
  '00000001', // Partitions: int32 count 1
  '00000002', // PartitionIndex 2
  '00000007', // CurrentLeaderEpoch 7
  'ffffffffffffffff', // Timestamp -1: latest
);
const decoded = { replicaId: -1, isolationLevel: 1, topics: [{ name: 't', partitions: [{ partitionIndex: 2, currentLeaderEpoch: 7, timestamp: -1n }] }] };

describe('ListOffsets (key 2), v4 and v5', () => {
  for (const v of [4, 5]) {
    it(`v${v}: current leader epoch in, leader epoch out`, () => {
      expect(decode(codec('ListOffsets', v).decodeRequest, request)).toEqual({ value: decoded, rest: 0 });
      const res = { throttleTimeMs: 0, topics: [{ name: 't', partitions: [{ partitionIndex: 2, errorCode: 0, timestamp: -1n, offset: 42n, leaderEpoch: 7 }] }] };
      expect(encode(codec('ListOffsets', v).encodeResponse, res)).toEqual(
        hex(
          '00000000', // ThrottleTimeMs 0
          '00000001', str('t'), // Topics: int32 count 1, name
          '00000001', // Partitions: int32 count 1
          '00000002', // PartitionIndex 2
          '0000', // ErrorCode none
          'ffffffffffffffff', // Timestamp -1 (none for a latest-offset query)
          '000000000000002a', // Offset 42
          '00000007', // LeaderEpoch 7
        ),
      );
    });
  }

  it('v5: OFFSET_NOT_AVAILABLE with unknown timestamp, offset and epoch', () => {
    const res = { throttleTimeMs: 0, topics: [{ name: 't', partitions: [{ partitionIndex: 0, errorCode: 78, timestamp: -1n, offset: -1n, leaderEpoch: -1 }] }] };
    expect(encode(codec('ListOffsets', 5).encodeResponse, res)).toEqual(
      hex('00000000', '00000001', str('t'), '00000001', '00000000', '004e', 'ffffffffffffffff', 'ffffffffffffffff', 'ffffffff'), // error 78, then -1s
    );
  });
});
