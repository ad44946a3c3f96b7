import { describe, expect, it } from 'vitest';
import { codec, cstr, decode, encode, hex, kafkajsProtocol, kafkajsRequestBody, str } from './fixtures.js';


// Annotated byte fixtures for the transaction APIs, after Kafka's AddPartitionsToTxn, AddOffsetsToTxn,
// EndTxn and TxnOffsetCommit specs, cross-checked against kafkajs's own encoders and decoders.
describe('transaction APIs: wire format', () => {
  it('AddPartitionsToTxn v1 request: transactional id | producer id | epoch | [topic [partition]]', async () => {
    const bytes = hex(str('tx'), '0000000000000007', '0002', '00000001', str('t'), '00000002', '00000000', '00000003');
    expect(decode(codec('AddPartitionsToTxn', 1).decodeRequest, bytes)).toEqual({
      value: { transactionalId: 'tx', producerId: 7n, producerEpoch: 2, topics: [{ name: 't', partitions: [0, 3] }] },
      rest: 0,
    });
    const kafkajs = await kafkajsRequestBody('addPartitionsToTxn', 1, { transactionalId: 'tx', producerId: 7, producerEpoch: 2, topics: [{ topic: 't', partitions: [0, 3] }] });
    expect(kafkajs).toEqual(bytes);
  });

  it('AddPartitionsToTxn v1 response: throttle | [topic [partition | error]]', async () => {
    const res = { throttleTimeMs: 0, results: [{ name: 't', results: [{ partitionIndex: 0, errorCode: 0 }, { partitionIndex: 3, errorCode: 47 }] }] };
    const bytes = encode(codec('AddPartitionsToTxn', 1).encodeResponse, res);
    expect(bytes).toEqual(hex('00000000', '00000001', str('t'), '00000002', '00000000 0000', '00000003 002f'));
    const parsed = await kafkajsProtocol('addPartitionsToTxn', 1).response.decode(bytes);
    expect(parsed).toMatchObject({ errors: [{ topic: 't', partitionErrors: [{ partition: 0, errorCode: 0 }, { partition: 3, errorCode: 47 }] }] });
  });

  it('AddPartitionsToTxn v3 (flexible): compact strings and arrays, a tag section per struct', () => {
    const bytes = hex(cstr('tx'), '0000000000000007', '0002', '02', cstr('t'), '02', '00000000', '00', '00');
    expect(decode(codec('AddPartitionsToTxn', 3).decodeRequest, bytes).value).toEqual({ transactionalId: 'tx', producerId: 7n, producerEpoch: 2, topics: [{ name: 't', partitions: [0] }] });
  });

  it('AddOffsetsToTxn v1 and EndTxn v1 agree with kafkajs', async () => {
    const add = hex(str('tx'), '0000000000000007', '0002', str('g'));
    expect(await kafkajsRequestBody('addOffsetsToTxn', 1, { transactionalId: 'tx', producerId: 7, producerEpoch: 2, groupId: 'g' })).toEqual(add);
    expect(decode(codec('AddOffsetsToTxn', 1).decodeRequest, add).value).toEqual({ transactionalId: 'tx', producerId: 7n, producerEpoch: 2, groupId: 'g' });
    // EndTxn: ... | committed (bool, 1 byte)
    const end = hex(str('tx'), '0000000000000007', '0002', '01');
    expect(await kafkajsRequestBody('endTxn', 1, { transactionalId: 'tx', producerId: 7, producerEpoch: 2, transactionResult: true })).toEqual(end);
    expect(decode(codec('EndTxn', 1).decodeRequest, end).value).toEqual({ transactionalId: 'tx', producerId: 7n, producerEpoch: 2, committed: true });
    const endRes = encode(codec('EndTxn', 1).encodeResponse, { throttleTimeMs: 0, errorCode: 90 });
    expect(endRes).toEqual(hex('00000000', '005a'));
    await expect(kafkajsProtocol('endTxn', 1).response.parse(await kafkajsProtocol('endTxn', 1).response.decode(endRes))).rejects.toThrow();
    // EndTxn v3 (flexible): compact transactional id, tags at the end
    expect(decode(codec('EndTxn', 3).decodeRequest, hex(cstr('tx'), '0000000000000007', '0002', '00', '00')).value).toMatchObject({ committed: false });
  });

  it('TxnOffsetCommit v1 request: transactional id | group | producer id | epoch | [topic [partition | offset | metadata]]', async () => {
    const bytes = hex(str('tx'), str('g'), '0000000000000007', '0002', '00000001', str('t'), '00000001', '00000000', '000000000000000c', 'ffff');
    const kafkajs = await kafkajsRequestBody('txnOffsetCommit', 1, { transactionalId: 'tx', groupId: 'g', producerId: 7, producerEpoch: 2, topics: [{ topic: 't', partitions: [{ partition: 0, offset: '12', metadata: null }] }] });
    expect(kafkajs).toEqual(bytes);
    expect(decode(codec('TxnOffsetCommit', 1).decodeRequest, bytes).value).toEqual({
      transactionalId: 'tx', groupId: 'g', producerId: 7n, producerEpoch: 2, generationId: -1, memberId: '', groupInstanceId: null,
      topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 12n, committedLeaderEpoch: -1, committedMetadata: null }] }],
    });
    const res = encode(codec('TxnOffsetCommit', 1).encodeResponse, { throttleTimeMs: 0, topics: [{ name: 't', partitions: [{ partitionIndex: 0, errorCode: 0 }] }] });
    expect(await kafkajsProtocol('txnOffsetCommit', 1).response.decode(res)).toMatchObject({ topics: [{ topic: 't', partitions: [{ partition: 0, errorCode: 0 }] }] });
  });

  it('TxnOffsetCommit v3 adds generation, member and group instance (consumer group metadata, KIP-447)', () => {
    const bytes = hex(cstr('tx'), cstr('g'), '0000000000000007', '0002', '00000005', cstr('m'), '00', '02', cstr('t'), '02', '00000000', '000000000000000c', 'ffffffff', '00', '00', '00', '00');
    expect(decode(codec('TxnOffsetCommit', 3).decodeRequest, bytes)).toMatchObject({ value: { generationId: 5, memberId: 'm', groupInstanceId: null, topics: [{ partitions: [{ committedOffset: 12n, committedMetadata: null }] }] }, rest: 0 });
  });
});
