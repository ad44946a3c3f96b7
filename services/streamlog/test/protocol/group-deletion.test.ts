import { describe, expect, it } from 'vitest';
import { decode, encode, hex, kafkajsProtocol, kafkajsRequestBody, str } from './fixtures.js';
import { codec } from './fixtures.js';

const deleteGroupsV0 = codec('DeleteGroups', 0);
const deleteGroupsV1 = codec('DeleteGroups', 1);
const offsetDeleteV0 = codec('OffsetDelete', 0);

describe('DeleteGroups codec (key 42)', () => {
  it('v0 and v1 request: an array of group names', () => {
    const bytes = hex('00000002', str('g1'), str('g2'));
    expect(decode(deleteGroupsV0.decodeRequest, bytes)).toEqual({ value: { groupsNames: ['g1', 'g2'] }, rest: 0 });
    expect(decode(deleteGroupsV1.decodeRequest, bytes)).toEqual({ value: { groupsNames: ['g1', 'g2'] }, rest: 0 });
  });

  it('response: throttle, then group id and error code per group', () => {
    const bytes = encode(deleteGroupsV1.encodeResponse, { throttleTimeMs: 0, results: [{ groupId: 'g1', errorCode: 0 }, { groupId: 'g2', errorCode: 68 }] });
    expect(bytes).toEqual(hex('00000000', '00000002', str('g1'), '0000', str('g2'), '0044'));
  });

  it('agrees with kafkajs in both directions', async () => {
    const body = await kafkajsRequestBody('deleteGroups', 1, ['a', 'b'] as never);
    expect(decode(deleteGroupsV1.decodeRequest, body).value).toEqual({ groupsNames: ['a', 'b'] });
    const res = encode(deleteGroupsV1.encodeResponse, { throttleTimeMs: 0, results: [{ groupId: 'a', errorCode: 69 }] });
    const decoded = await kafkajsProtocol('deleteGroups', 1).response.decode(res);
    expect(decoded).toMatchObject({ results: [{ groupId: 'a', errorCode: 69 }] });
  });
});

describe('OffsetDelete codec (key 47)', () => {
  it('v0 request: group id, topics with partition indexes', () => {
    const bytes = hex(str('g'), '00000001', str('t'), '00000002', '00000000', '00000003');
    expect(decode(offsetDeleteV0.decodeRequest, bytes)).toEqual({ value: { groupId: 'g', topics: [{ name: 't', partitions: [{ partitionIndex: 0 }, { partitionIndex: 3 }] }] }, rest: 0 });
  });

  it('v0 response: top-level error before throttle, then per-partition errors', () => {
    const bytes = encode(offsetDeleteV0.encodeResponse, {
      errorCode: 0,
      throttleTimeMs: 0,
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, errorCode: 0 }, { partitionIndex: 3, errorCode: 86 }] }],
    });
    expect(bytes).toEqual(hex('0000', '00000000', '00000001', str('t'), '00000002', '00000000 0000', '00000003 0056'));
  });
});
