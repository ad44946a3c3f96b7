import { describe, expect, it } from 'vitest';
import { decode, encode, hex, str } from './fixtures.js';
import { codec } from './fixtures.js';

const findCoordinatorV0 = codec('FindCoordinator', 0);
const joinGroupV0 = codec('JoinGroup', 0);
const heartbeatV0 = codec('Heartbeat', 0);
const leaveGroupV1 = codec('LeaveGroup', 1);
const leaveGroupV3 = codec('LeaveGroup', 3);
const offsetCommitV1 = codec('OffsetCommit', 1);
const offsetCommitV2 = codec('OffsetCommit', 2);
const offsetFetchV1 = codec('OffsetFetch', 1);
const offsetFetchV4 = codec('OffsetFetch', 4);

/** the older group versions librdkafka's balanced consumer needs */
describe('older group API versions', () => {
  it('FindCoordinator v0: key only; answer without throttle or message', () => {
    expect(decode(findCoordinatorV0.decodeRequest, hex(str('g'))).value).toEqual({ key: 'g', keyType: 0, coordinatorKeys: [] });
    const bytes = encode(findCoordinatorV0.encodeResponse, { throttleTimeMs: 0, errorCode: 0, errorMessage: null, nodeId: 0, host: 'h', port: 9092 });
    expect(bytes).toEqual(hex('0000', '00000000', str('h'), '00002384'));
  });

  it('JoinGroup v0 has no rebalance timeout (the handler then uses the session timeout)', () => {
    const bytes = hex(str('g'), '00001770', str(''), str('consumer'), '00000001', str('range'), '00000000');
    expect(decode(joinGroupV0.decodeRequest, bytes)).toEqual({
      value: { groupId: 'g', sessionTimeoutMs: 6000, rebalanceTimeoutMs: -1, memberId: '', groupInstanceId: null, protocolType: 'consumer', protocols: [{ name: 'range', metadata: Buffer.alloc(0) }], reason: null },
      rest: 0,
    });
    const res = encode(joinGroupV0.encodeResponse, { throttleTimeMs: 0, errorCode: 0, generationId: 1, protocolName: 'range', leader: 'm', memberId: 'm', members: [{ memberId: 'm', groupInstanceId: null, metadata: Buffer.from([7]) }] });
    expect(res).toEqual(hex('0000 00000001', str('range'), str('m'), str('m'), '00000001', str('m'), '00000001 07'));
  });

  it('Heartbeat v0 answers just an error code', () => {
    expect(encode(heartbeatV0.encodeResponse, { throttleTimeMs: 0, errorCode: 27 })).toEqual(hex('001b'));
  });

  it('LeaveGroup v1 carries one member; v3 a batch', () => {
    expect(decode(leaveGroupV1.decodeRequest, hex(str('g'), str('m'))).value).toEqual({ groupId: 'g', memberId: 'm', members: [] });
    const res = { throttleTimeMs: 0, errorCode: 0, members: [{ memberId: 'm', groupInstanceId: null, errorCode: 25 }] };
    // before v3 the adapter in server/apis.ts moves the single member's error to the top level
    expect(encode(leaveGroupV1.encodeResponse, { ...res, errorCode: 25 })).toEqual(hex('00000000', '0019'));
    expect(encode(leaveGroupV3.encodeResponse, res)).toEqual(hex('00000000', '0000', '00000001', str('m'), 'ffff', '0019'));
  });

  it('OffsetCommit v1 has per-partition timestamps, v2 a retention time', () => {
    const expected = (commitTimestamp: bigint, retentionTimeMs: bigint) => ({
      groupId: 'g',
      generationId: 2,
      memberId: 'm',
      groupInstanceId: null,
      retentionTimeMs,
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 5n, committedLeaderEpoch: -1, commitTimestamp, committedMetadata: null }] }],
    });
    const v1 = hex(str('g'), '00000002', str('m'), '00000001', str('t'), '00000001', '00000000 0000000000000005 00000000000003e8 ffff');
    expect(decode(offsetCommitV1.decodeRequest, v1)).toEqual({ value: expected(1000n, -1n), rest: 0 });
    const v2 = hex(str('g'), '00000002', str('m'), '00000000000007d0', '00000001', str('t'), '00000001', '00000000 0000000000000005 ffff');
    expect(decode(offsetCommitV2.decodeRequest, v2)).toEqual({ value: expected(-1n, 2000n), rest: 0 });
    expect(encode(offsetCommitV2.encodeResponse, { throttleTimeMs: 0, topics: [{ name: 't', partitions: [{ partitionIndex: 0, errorCode: 0 }] }] })).toEqual(
      hex('00000001', str('t'), '00000001 00000000 0000'),
    );
  });

  it('OffsetFetch v1 has no null topics nor top-level error; v4 has both plus throttle', () => {
    expect(decode(offsetFetchV1.decodeRequest, hex(str('g'), '00000001', str('t'), '00000001 00000000')).value).toEqual({ groupId: 'g', topics: [{ name: 't', partitionIndexes: [0] }], groups: [], requireStable: false });
    expect(() => decode(offsetFetchV1.decodeRequest, hex(str('g'), 'ffffffff'))).toThrow();
    expect(decode(offsetFetchV4.decodeRequest, hex(str('g'), 'ffffffff')).value).toEqual({ groupId: 'g', topics: null, groups: [], requireStable: false });
    const res = { throttleTimeMs: 0, errorCode: 0, topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: -1n, metadata: '', errorCode: 0 }] }] };
    const body = ['00000001', str('t'), '00000001 00000000 ffffffffffffffff', str(''), '0000'];
    expect(encode(offsetFetchV1.encodeResponse, res)).toEqual(hex(...body));
    expect(encode(offsetFetchV4.encodeResponse, res)).toEqual(hex('00000000', ...body, '0000'));
  });
});
