import { describe, expect, it } from 'vitest';
import { codec, decode, encode, hex, kafkajsProtocol, kafkajsRequestBody, str } from './fixtures.js';

// Annotated byte fixtures for DescribeGroups (key 15) before it turns flexible (v5 is in
// admin-versions.test.ts), written by hand after Kafka's DescribeGroupsRequest.json /
// DescribeGroupsResponse.json: v1 adds the throttle time, v3 authorized operations (asked for in the
// request, a bitfield per group in the answer), v4 each member's group instance id.
const member = { memberId: 'm', groupInstanceId: 'i', clientId: 'c', clientHost: '/h', memberMetadata: Buffer.from([1]), memberAssignment: Buffer.from([2, 3]) };
const group = { errorCode: 0, groupId: 'g', groupState: 'Stable', protocolType: 'consumer', protocolData: 'range', members: [member], authorizedOperations: 328 };
const response = { throttleTimeMs: 100, groups: [group] };

/** the group head every version shares: error, id, state, protocol type, protocol data */
const groupHead = ['0000', str('g'), str('Stable'), str('consumer'), str('range')];
/** the member bytes from v0 to v3: id, client id, host, int32-length metadata and assignment */
const memberV0 = [str('m'), str('c'), str('/h'), '00000001 01', '00000002 0203'];

describe('DescribeGroups (key 15), non-flexible versions', () => {
  it('v0: an int32 array of group ids; groups without throttle time nor operations', () => {
    expect(decode(codec('DescribeGroups', 0).decodeRequest, hex('00000002', str('g'), str('h'))))
      // IncludeAuthorizedOperations is 3+: absent, so false
      .toEqual({ value: { groups: ['g', 'h'], includeAuthorizedOperations: false }, rest: 0 });
    expect(encode(codec('DescribeGroups', 0).encodeResponse, response)).toEqual(
      hex(
        '00000001', ...groupHead, // Groups: int32 count 1, then the head
        '00000001', ...memberV0, // Members: int32 count 1; no GroupInstanceId before v4
      ),
    );
  });

  it('v1: the v0 request; the answer leads with the throttle time', () => {
    expect(decode(codec('DescribeGroups', 1).decodeRequest, hex('00000001', str('g'))).value).toEqual({ groups: ['g'], includeAuthorizedOperations: false });
    expect(encode(codec('DescribeGroups', 1).encodeResponse, response)).toEqual(
      hex('00000064', '00000001', ...groupHead, '00000001', ...memberV0), // ThrottleTimeMs 100, then as v0
    );
  });

  it('v3: the request asks for authorized operations; each group ends with the bitfield', () => {
    expect(decode(codec('DescribeGroups', 3).decodeRequest, hex('00000001', str('g'), '01'))).toEqual({
      value: { groups: ['g'], includeAuthorizedOperations: true }, // IncludeAuthorizedOperations: bool 1
      rest: 0,
    });
    expect(encode(codec('DescribeGroups', 3).encodeResponse, response)).toEqual(
      hex(
        '00000064', // ThrottleTimeMs 100
        '00000001', ...groupHead,
        '00000001', ...memberV0, // still no GroupInstanceId
        '00000148', // AuthorizedOperations 328: READ (bit 3), DELETE (bit 6), DESCRIBE (bit 8)
      ),
    );
  });

  it('v4: each member carries its nullable group instance id after the member id', () => {
    expect(decode(codec('DescribeGroups', 4).decodeRequest, hex('00000001', str('g'), '00')).value).toEqual({ groups: ['g'], includeAuthorizedOperations: false });
    const dynamic = { ...member, memberId: 'n', groupInstanceId: null };
    expect(encode(codec('DescribeGroups', 4).encodeResponse, { ...response, groups: [{ ...group, members: [member, dynamic] }] })).toEqual(
      hex(
        '00000064', // ThrottleTimeMs 100
        '00000001', ...groupHead,
        '00000002', // Members: int32 count 2
        str('m'), str('i'), str('c'), str('/h'), '00000001 01', '00000002 0203', // static member: instance id 'i'
        str('n'), 'ffff', str('c'), str('/h'), '00000001 01', '00000002 0203', // dynamic member: null (int16 -1)
        '00000148', // AuthorizedOperations 328
      ),
    );
  });

  it('v0 and v1 agree with kafkajs both ways', async () => {
    for (const v of [0, 1]) {
      const body = await kafkajsRequestBody('describeGroups', v, { groupIds: ['g', 'h'] });
      expect(decode(codec('DescribeGroups', v).decodeRequest, body)).toEqual({ value: { groups: ['g', 'h'], includeAuthorizedOperations: false }, rest: 0 });
      const decoded = await kafkajsProtocol('describeGroups', v).response.decode(encode(codec('DescribeGroups', v).encodeResponse, response));
      expect(decoded).toEqual({
        ...(v === 1 ? { throttleTime: 100 } : {}),
        groups: [{
          errorCode: 0, groupId: 'g', state: 'Stable', protocolType: 'consumer', protocol: 'range',
          members: [{ memberId: 'm', clientId: 'c', clientHost: '/h', memberMetadata: Buffer.from([1]), memberAssignment: Buffer.from([2, 3]) }],
        }],
      });
    }
  });
});
