import { describe, expect, it } from 'vitest';
import * as findCoordinatorV0 from '../../src/protocol/requests/findCoordinator/v0.js';
import * as joinGroupV0 from '../../src/protocol/requests/joinGroup/v0.js';
import * as heartbeatV0 from '../../src/protocol/requests/heartbeat/v0.js';
import * as leaveGroupV1 from '../../src/protocol/requests/leaveGroup/v1.js';
import * as leaveGroupV3 from '../../src/protocol/requests/leaveGroup/v3.js';
import * as offsetCommitV1 from '../../src/protocol/requests/offsetCommit/v1.js';
import * as offsetCommitV2 from '../../src/protocol/requests/offsetCommit/v2.js';
import * as offsetFetchV1 from '../../src/protocol/requests/offsetFetch/v1.js';
import * as offsetFetchV4 from '../../src/protocol/requests/offsetFetch/v4.js';
import { decode, encode, hex, str } from './fixtures.js';

/** the older group versions librdkafka's balanced consumer needs */
describe('older group API versions', () => {
  it('FindCoordinator v0: key only; answer without throttle or message', () => {
    expect(decode(findCoordinatorV0.decodeRequest, hex(str('g'))).value).toEqual({ key: 'g', keyType: 0 });
    const bytes = encode(findCoordinatorV0.encodeResponse, { throttleTimeMs: 0, errorCode: 0, errorMessage: null, nodeId: 0, host: 'h', port: 9092 });
    expect(bytes).toEqual(hex('0000', '00000000', str('h'), '00002384'));
  });

  it('JoinGroup v0: the session timeout is also the rebalance timeout', () => {
    const bytes = hex(str('g'), '00001770', str(''), str('consumer'), '00000001', str('range'), '00000000');
    expect(decode(joinGroupV0.decodeRequest, bytes)).toEqual({
      value: { groupId: 'g', sessionTimeoutMs: 6000, rebalanceTimeoutMs: 6000, memberId: '', groupInstanceId: null, protocolType: 'consumer', protocols: [{ name: 'range', metadata: Buffer.alloc(0) }] },
      rest: 0,
    });
    const res = encode(joinGroupV0.encodeResponse, { throttleTimeMs: 0, errorCode: 0, generationId: 1, protocolName: 'range', leader: 'm', memberId: 'm', members: [{ memberId: 'm', groupInstanceId: null, metadata: Buffer.from([7]) }] });
    expect(res).toEqual(hex('0000 00000001', str('range'), str('m'), str('m'), '00000001', str('m'), '00000001 07'));
  });

  it('Heartbeat v0 answers just an error code', () => {
    expect(encode(heartbeatV0.encodeResponse, { throttleTimeMs: 0, errorCode: 27 })).toEqual(hex('001b'));
  });

  it('LeaveGroup v1 carries one member; v3 a batch', () => {
    expect(decode(leaveGroupV1.decodeRequest, hex(str('g'), str('m'))).value).toEqual({ groupId: 'g', members: [{ memberId: 'm', groupInstanceId: null }] });
    const res = { throttleTimeMs: 0, errorCode: 0, members: [{ memberId: 'm', groupInstanceId: null, errorCode: 25 }] };
    expect(encode(leaveGroupV1.encodeResponse, res)).toEqual(hex('00000000', '0019'));
    expect(encode(leaveGroupV3.encodeResponse, res)).toEqual(hex('00000000', '0000', '00000001', str('m'), 'ffff', '0019'));
  });

  it('OffsetCommit v1 has per-partition timestamps, v2 a retention time', () => {
    const expected = { groupId: 'g', generationId: 2, memberId: 'm', topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 5n, committedMetadata: null }] }] };
    const v1 = hex(str('g'), '00000002', str('m'), '00000001', str('t'), '00000001', '00000000 0000000000000005 ffffffffffffffff ffff');
    expect(decode(offsetCommitV1.decodeRequest, v1)).toEqual({ value: expected, rest: 0 });
    const v2 = hex(str('g'), '00000002', str('m'), 'ffffffffffffffff', '00000001', str('t'), '00000001', '00000000 0000000000000005 ffff');
    expect(decode(offsetCommitV2.decodeRequest, v2)).toEqual({ value: expected, rest: 0 });
    expect(encode(offsetCommitV2.encodeResponse, { throttleTimeMs: 0, topics: [{ name: 't', partitions: [{ partitionIndex: 0, errorCode: 0 }] }] })).toEqual(
      hex('00000001', str('t'), '00000001 00000000 0000'),
    );
  });

  it('OffsetFetch v1 has no null topics nor top-level error; v4 has both plus throttle', () => {
    expect(decode(offsetFetchV1.decodeRequest, hex(str('g'), '00000001', str('t'), '00000001 00000000')).value).toEqual({ groupId: 'g', topics: [{ name: 't', partitionIndexes: [0] }] });
    expect(() => decode(offsetFetchV1.decodeRequest, hex(str('g'), 'ffffffff'))).toThrow();
    expect(decode(offsetFetchV4.decodeRequest, hex(str('g'), 'ffffffff')).value).toEqual({ groupId: 'g', topics: null });
    const res = { throttleTimeMs: 0, errorCode: 0, topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: -1n, metadata: '', errorCode: 0 }] }] };
    const body = ['00000001', str('t'), '00000001 00000000 ffffffffffffffff', str(''), '0000'];
    expect(encode(offsetFetchV1.encodeResponse, res)).toEqual(hex(...body));
    expect(encode(offsetFetchV4.encodeResponse, res)).toEqual(hex('00000000', ...body, '0000'));
  });
});
