import { describe, expect, it } from 'vitest';
import { codec, cstr, decode, encode, hex } from './fixtures.js';

// Annotated byte fixture for SyncGroup (key 14) v4, its first flexible version, written by hand after
// Kafka's SyncGroupRequest.json / SyncGroupResponse.json (v3 and v5 are in admin-versions.test.ts):
// compact strings and bytes and tag bytes, but not yet the v5 protocol type and name.
describe('SyncGroup (key 14) v4', () => {
  it('request: compact strings, nullable instance id, compact array of assignments', () => {
    const bytes = hex(
      cstr('g'), // GroupId
      '00000003', // GenerationId 3
      cstr('m'), // MemberId
      cstr('i'), // GroupInstanceId 'i' (nullable compact string)
      '03', // Assignments: compact array, 2 + 1
      cstr('m'), '03 0102', '00', // to m: compact bytes, length 2 + 1; struct tags
      cstr('n'), '01', '00', // to n: empty compact bytes; struct tags
      '00', // request tagged fields
    );
    expect(decode(codec('SyncGroup', 4).decodeRequest, bytes)).toEqual({
      value: {
        groupId: 'g', generationId: 3, memberId: 'm', groupInstanceId: 'i',
        protocolType: null, protocolName: null, // 5+: absent, so their null default
        assignments: [{ memberId: 'm', assignment: Buffer.from([1, 2]) }, { memberId: 'n', assignment: Buffer.alloc(0) }],
      },
      rest: 0,
    });
    // a null instance id is a compact length of 0
    const dynamic = hex(cstr('g'), '00000003', cstr('m'), '00', '01', '00');
    expect(decode(codec('SyncGroup', 4).decodeRequest, dynamic).value).toMatchObject({ groupInstanceId: null, assignments: [] });
  });

  it('response: throttle, error, compact assignment bytes; no protocol type or name before v5', () => {
    const res = { throttleTimeMs: 0, errorCode: 0, protocolType: 'consumer', protocolName: 'range', assignment: Buffer.from([1, 2]) };
    expect(encode(codec('SyncGroup', 4).encodeResponse, res)).toEqual(
      hex('00000000', '0000', '03 0102', '00'), // ThrottleTimeMs 0, ErrorCode none, Assignment (2 + 1), tags
    );
    const rebalancing = { throttleTimeMs: 0, errorCode: 27, protocolType: null, protocolName: null, assignment: Buffer.alloc(0) };
    expect(encode(codec('SyncGroup', 4).encodeResponse, rebalancing)).toEqual(
      hex('00000000', '001b', '01', '00'), // REBALANCE_IN_PROGRESS (27), empty assignment, tags
    );
  });
});
