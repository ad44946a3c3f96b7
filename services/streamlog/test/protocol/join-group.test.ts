import { describe, expect, it } from 'vitest';
import { decode, encode, hex, kafkajsProtocol, kafkajsRequestBody, str } from './fixtures.js';
import { codec } from './fixtures.js';

const v5 = codec('JoinGroup', 5);

describe('JoinGroup v5 codec', () => {
  it('request matches the spec', () => {
    const bytes = hex(
      str('g'), // group_id
      '00001770', // session_timeout_ms 6000
      '0000ea60', // rebalance_timeout_ms 60000
      str(''), // member_id (empty: first join)
      'ffff', // group_instance_id null
      str('consumer'), // protocol_type
      '00000001', str('rr'), '00000002 abcd', // protocols: "rr" with 2 bytes of metadata
    );
    expect(decode(v5.decodeRequest, bytes)).toEqual({
      value: {
        groupId: 'g',
        sessionTimeoutMs: 6000,
        rebalanceTimeoutMs: 60000,
        memberId: '',
        groupInstanceId: null,
        protocolType: 'consumer',
        protocols: [{ name: 'rr', metadata: Buffer.from([0xab, 0xcd]) }],
        reason: null,
      },
      rest: 0,
    });
  });

  it('MEMBER_ID_REQUIRED response matches the spec', () => {
    const bytes = encode(v5.encodeResponse, { throttleTimeMs: 0, errorCode: 79, generationId: -1, protocolName: '', leader: '', memberId: 'm-1', members: [] });
    expect(bytes).toEqual(hex('00000000', '004f', 'ffffffff', str(''), str(''), str('m-1'), '00000000'));
  });

  it('leader response with members matches the spec and kafkajs reads it', async () => {
    const res = { throttleTimeMs: 0, errorCode: 0, generationId: 3, protocolName: 'rr', leader: 'm-1', memberId: 'm-1', members: [{ memberId: 'm-1', groupInstanceId: null, metadata: Buffer.from([1]) }] };
    expect(encode(v5.encodeResponse, res)).toEqual(hex('00000000 0000 00000003', str('rr'), str('m-1'), str('m-1'), '00000001', str('m-1'), 'ffff', '00000001 01'));
    const decoded = await kafkajsProtocol('joinGroup', 5).response.decode(encode(v5.encodeResponse, res));
    expect(decoded).toMatchObject({ errorCode: 0, generationId: 3, groupProtocol: 'rr', leaderId: 'm-1', memberId: 'm-1', members: [{ memberId: 'm-1' }] });
  });

  it('decodes a kafkajs JoinGroup request', async () => {
    const body = await kafkajsRequestBody('joinGroup', 5, {
      groupId: 'riders',
      sessionTimeout: 10000,
      rebalanceTimeout: 20000,
      memberId: 'm-9',
      protocolType: 'consumer',
      groupProtocols: [{ name: 'RoundRobinAssigner', metadata: Buffer.from('meta') }],
    });
    const { value, rest } = decode(v5.decodeRequest, body);
    expect(rest).toBe(0);
    expect(value).toMatchObject({ groupId: 'riders', sessionTimeoutMs: 10000, rebalanceTimeoutMs: 20000, memberId: 'm-9', protocolType: 'consumer' });
    expect(value.protocols[0].name).toBe('RoundRobinAssigner');
    expect(value.protocols[0].metadata.toString()).toBe('meta');
  });
});
