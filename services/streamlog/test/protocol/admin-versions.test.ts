import { describe, expect, it } from 'vitest';
import { codec, cstr, decode, encode, hex, str } from './fixtures.js';


// Annotated byte fixtures for the admin APIs no test client pins down byte by byte, at their oldest
// and newest versions (non-flexible and flexible), after Kafka's message JSON specs.
describe('DescribeLogDirs (key 35)', () => {
  const partition = { partitionIndex: 0, partitionSize: 5n, offsetLag: 0n, isFutureKey: false };
  const response = { throttleTimeMs: 0, errorCode: 0, results: [{ errorCode: 0, logDir: 'd', topics: [{ name: 't', partitions: [partition] }], totalBytes: -1n, usableBytes: -1n }] };

  it('v0: int32 arrays, a null topic list means every topic; no top-level error, no byte totals', () => {
    expect(decode(codec('DescribeLogDirs', 0).decodeRequest, hex('00000001', str('t'), '00000001 00000000')).value).toEqual({ topics: [{ topic: 't', partitions: [0] }] });
    expect(decode(codec('DescribeLogDirs', 0).decodeRequest, hex('ffffffff')).value).toEqual({ topics: null });
    expect(encode(codec('DescribeLogDirs', 0).encodeResponse, response)).toEqual(
      hex(
        '00000000', // throttle
        '00000001 0000', str('d'), // one result: error, log dir
        '00000001', str('t'), // one topic
        '00000001 00000000 0000000000000005 0000000000000000 00', // partition 0: size 5, lag 0, not future
      ),
    );
  });

  it('v4 (flexible): compact arrays and strings, a top-level error, total and usable bytes, a tag byte per struct', () => {
    expect(decode(codec('DescribeLogDirs', 4).decodeRequest, hex('02', cstr('t'), '02 00000000', '00', '00')).value).toEqual({ topics: [{ topic: 't', partitions: [0] }] });
    expect(decode(codec('DescribeLogDirs', 4).decodeRequest, hex('00', '00')).value).toEqual({ topics: null });
    expect(encode(codec('DescribeLogDirs', 4).encodeResponse, response)).toEqual(
      hex(
        '00000000 0000', // throttle, error
        '02 0000', cstr('d'), // one result: error, log dir
        '02', cstr('t'), // one topic
        '02 00000000 0000000000000005 0000000000000000 00 00', // partition 0, its tags
        '00', // topic tags
        'ffffffffffffffff ffffffffffffffff 00', // total and usable bytes unknown (-1), result tags
        '00', // top-level tags
      ),
    );
  });
});

describe('IncrementalAlterConfigs (key 44)', () => {
  const request = (value: string | null, configOperation: number) => ({
    resources: [{ resourceType: 2, resourceName: 't', configs: [{ name: 'retention.ms', configOperation, value }] }],
    validateOnly: false,
  });

  it('v0: a SET with a value and a DELETE with a null value; the answer per resource', () => {
    const set = hex('00000001', '02', str('t'), '00000001', str('retention.ms'), '00', str('1000'), '00');
    expect(decode(codec('IncrementalAlterConfigs', 0).decodeRequest, set)).toEqual({ value: request('1000', 0), rest: 0 });
    const del = hex('00000001', '02', str('t'), '00000001', str('retention.ms'), '01', 'ffff', '00');
    expect(decode(codec('IncrementalAlterConfigs', 0).decodeRequest, del)).toEqual({ value: request(null, 1), rest: 0 });
    const res = { throttleTimeMs: 0, responses: [{ errorCode: 0, errorMessage: null, resourceType: 2, resourceName: 't' }] };
    expect(encode(codec('IncrementalAlterConfigs', 0).encodeResponse, res)).toEqual(hex('00000000', '00000001', '0000 ffff 02', str('t')));
  });

  it('v1 (flexible): compact strings, a null compact string is 00', () => {
    const set = hex('02', '02', cstr('t'), '02', cstr('retention.ms'), '00', cstr('1000'), '00', '00', '00', '00');
    expect(decode(codec('IncrementalAlterConfigs', 1).decodeRequest, set)).toEqual({ value: request('1000', 0), rest: 0 });
    const res = { throttleTimeMs: 0, responses: [{ errorCode: 44, errorMessage: 'bad', resourceType: 2, resourceName: 't' }] };
    expect(encode(codec('IncrementalAlterConfigs', 1).encodeResponse, res)).toEqual(hex('00000000', '02', '002c', cstr('bad'), '02', cstr('t'), '00', '00'));
  });
});

describe('ListGroups (key 16), every version', () => {
  const groups = [{ groupId: 'g', protocolType: 'consumer', groupState: 'Stable' }];
  const res = { throttleTimeMs: 0, errorCode: 0, groups };

  it('v0 has no throttle; v1 and v2 add it; requests are empty', () => {
    for (const v of [0, 1, 2]) expect(decode(codec('ListGroups', v).decodeRequest, Buffer.alloc(0))).toEqual({ value: { statesFilter: [] }, rest: 0 });
    expect(encode(codec('ListGroups', 0).encodeResponse, res)).toEqual(hex('0000', '00000001', str('g'), str('consumer')));
    for (const v of [1, 2]) expect(encode(codec('ListGroups', v).encodeResponse, res)).toEqual(hex('00000000 0000', '00000001', str('g'), str('consumer')));
  });

  it('v3 is flexible; v4 filters by state and names each group state', () => {
    expect(decode(codec('ListGroups', 3).decodeRequest, hex('00')).value).toEqual({ statesFilter: [] });
    expect(encode(codec('ListGroups', 3).encodeResponse, res)).toEqual(hex('00000000 0000', '02', cstr('g'), cstr('consumer'), '00', '00'));
    expect(decode(codec('ListGroups', 4).decodeRequest, hex('02', cstr('Stable'), '00')).value).toEqual({ statesFilter: ['Stable'] });
    expect(encode(codec('ListGroups', 4).encodeResponse, res)).toEqual(hex('00000000 0000', '02', cstr('g'), cstr('consumer'), cstr('Stable'), '00', '00'));
  });
});

describe('group and offset APIs at their flexible versions', () => {
  it('SyncGroup v3 and v5: v5 adds protocol type and name (compact nullable strings) both ways', () => {
    const v3 = hex(str('g'), '00000001', str('m'), 'ffff', '00000001', str('m'), '00000001 07');
    expect(decode(codec('SyncGroup', 3).decodeRequest, v3)).toEqual({
      value: { groupId: 'g', generationId: 1, memberId: 'm', groupInstanceId: null, protocolType: null, protocolName: null, assignments: [{ memberId: 'm', assignment: Buffer.from([7]) }] },
      rest: 0,
    });
    const v5 = hex(cstr('g'), '00000001', cstr('m'), '00', cstr('consumer'), cstr('range'), '02', cstr('m'), '02 07', '00', '00');
    expect(decode(codec('SyncGroup', 5).decodeRequest, v5)).toEqual({
      value: { groupId: 'g', generationId: 1, memberId: 'm', groupInstanceId: null, protocolType: 'consumer', protocolName: 'range', assignments: [{ memberId: 'm', assignment: Buffer.from([7]) }] },
      rest: 0,
    });
    const res = { throttleTimeMs: 0, errorCode: 0, protocolType: 'consumer', protocolName: 'range', assignment: Buffer.from([7]) };
    expect(encode(codec('SyncGroup', 5).encodeResponse, res)).toEqual(hex('00000000 0000', cstr('consumer'), cstr('range'), '02 07', '00'));
    expect(encode(codec('SyncGroup', 3).encodeResponse, res)).toEqual(hex('00000000 0000', '00000001 07'));
  });

  it('ListOffsets v6: isolation level, current leader epoch in, leader epoch out, compact and tagged', () => {
    const req = hex('ffffffff', '01', '02', cstr('t'), '02', '00000000', 'ffffffff', 'fffffffffffffffe', '00', '00', '00');
    expect(decode(codec('ListOffsets', 6).decodeRequest, req).value).toEqual({
      replicaId: -1,
      isolationLevel: 1,
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -2n }] }],
    });
    const res = { throttleTimeMs: 0, topics: [{ name: 't', partitions: [{ partitionIndex: 0, errorCode: 0, timestamp: -1n, offset: 5n, leaderEpoch: 0 }] }] };
    expect(encode(codec('ListOffsets', 6).encodeResponse, res)).toEqual(
      hex('00000000', '02', cstr('t'), '02', '00000000 0000 ffffffffffffffff 0000000000000005 00000000', '00', '00', '00'),
    );
  });

  it('DescribeGroups v5: authorized operations, static member ids, compact and tagged', () => {
    expect(decode(codec('DescribeGroups', 5).decodeRequest, hex('02', cstr('g'), '00', '00')).value).toEqual({ groups: ['g'], includeAuthorizedOperations: false });
    const res = {
      throttleTimeMs: 0,
      groups: [{
        errorCode: 0, groupId: 'g', groupState: 'Stable', protocolType: 'consumer', protocolData: 'range',
        members: [{ memberId: 'm', groupInstanceId: null, clientId: 'c', clientHost: '/h', memberMetadata: Buffer.from([1]), memberAssignment: Buffer.from([2]) }],
        authorizedOperations: -2147483648,
      }],
    };
    expect(encode(codec('DescribeGroups', 5).encodeResponse, res)).toEqual(
      hex(
        '00000000', '02', '0000', cstr('g'), cstr('Stable'), cstr('consumer'), cstr('range'),
        '02', cstr('m'), '00', cstr('c'), cstr('/h'), '02 01', '02 02', '00', // one member: no instance id, metadata 01, assignment 02, tags
        '80000000', '00', // authorized operations not computed, group tags
        '00',
      ),
    );
  });
});
