import { describe, expect, it } from 'vitest';
import { codec, cstr, decode, encode, hex, kafkajsProtocol, kafkajsRequestBody } from './fixtures.js';
import { Reader } from '../../src/protocol/primitives/reader.js';

const ZERO_ID = '00000000000000000000000000000000';

describe('flexible versions (KIP-482): compact types and tagged fields', () => {
  it('ApiVersions v3 request carries the client software; unknown tagged fields are skipped', () => {
    const v3 = codec('ApiVersions', 3);
    const body = hex(cstr('kp'), cstr('1.0'), '00');
    expect(decode(v3.decodeRequest, body)).toEqual({ value: { clientSoftwareName: 'kp', clientSoftwareVersion: '1.0' }, rest: 0 });
    // one tagged field (tag 5, 2 bytes) we do not know: read past, not an error
    const tagged = hex(cstr('kp'), cstr('1.0'), '01', '05', '02', 'abcd');
    expect(decode(v3.decodeRequest, tagged)).toEqual({ value: { clientSoftwareName: 'kp', clientSoftwareVersion: '1.0' }, rest: 0 });
    // out-of-order tags are malformed
    expect(() => decode(v3.decodeRequest, hex(cstr('kp'), cstr('1.0'), '02', '05 00', '03 00'))).toThrow(/out of order/);
  });

  it('ApiVersions v3 response: compact array (count + 1), a tagged-field byte per struct', () => {
    const bytes = encode(codec('ApiVersions', 3).encodeResponse, { errorCode: 0, apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 3 }], throttleTimeMs: 0 });
    expect(bytes).toEqual(hex('0000', '02', '0012 0000 0003', '00', '00000000', '00'));
  });

  it('Metadata v12 request: nullable compact array of { topic id, nullable name }', () => {
    const v12 = codec('Metadata', 12);
    expect(decode(v12.decodeRequest, hex('00', '01', '00', '00')).value).toMatchObject({ topics: null, allowAutoTopicCreation: true });
    const one = decode(v12.decodeRequest, hex('02', ZERO_ID, cstr('t'), '00', '00', '00', '00'));
    expect(one).toMatchObject({ value: { topics: [{ name: 't', topicId: Buffer.alloc(16) }], allowAutoTopicCreation: false }, rest: 0 });
  });

  it('Metadata v12 response: topic ids, leader epochs, compact everything', () => {
    const id = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');
    const bytes = encode(codec('Metadata', 12).encodeResponse, {
      throttleTimeMs: 0,
      brokers: [{ nodeId: 0, host: 'h', port: 9092, rack: null }],
      clusterId: 'c',
      controllerId: 0,
      topics: [{ errorCode: 0, name: 't', topicId: id, isInternal: false, partitions: [{ errorCode: 0, partitionIndex: 0, leaderId: 0, replicaNodes: [0], isrNodes: [0], offlineReplicas: [] }] }],
    });
    expect(bytes).toEqual(
      hex(
        '00000000', // throttle
        '02', '00000000', cstr('h'), '00002384', '00', '00', // brokers: node 0, host, port, rack null, tags
        cstr('c'), '00000000', // cluster id, controller
        '02', '0000', cstr('t'), id.toString('hex'), '00', // topic: error, name, id, internal
        '02', '0000 00000000 00000000', 'ffffffff', '02 00000000', '02 00000000', '01', '00', // partition + epoch -1, replicas, isr, offline, tags
        '80000000', '00', // topic authorized operations, topic tags
        '00', // response tags
      ),
    );
  });

  it('DeleteGroups v2 (flexible) and the tagged topicConfigErrorCode of CreateTopics v5', () => {
    expect(decode(codec('DeleteGroups', 2).decodeRequest, hex('03', cstr('a'), cstr('b'), '00')).value).toEqual({ groupsNames: ['a', 'b'] });
    expect(encode(codec('DeleteGroups', 2).encodeResponse, { throttleTimeMs: 0, results: [{ groupId: 'a', errorCode: 69 }] })).toEqual(hex('00000000', '02', cstr('a'), '0045', '00', '00'));
    const created = (topicConfigErrorCode: number) =>
      encode(codec('CreateTopics', 5).encodeResponse, {
        throttleTimeMs: 0,
        topics: [{ name: 't', errorCode: 0, errorMessage: null, topicConfigErrorCode, numPartitions: 1, replicationFactor: 1, configs: null }],
      });
    expect(created(0)).toEqual(hex('00000000', '02', cstr('t'), '0000', '00', '00000001', '0001', '00', '00', '00'));
    // a non-default tagged field is written as tag 0, size 2, value
    expect(created(40)).toEqual(hex('00000000', '02', cstr('t'), '0000', '00', '00000001', '0001', '00', '01 00 02 0028', '00'));
  });

  it('InitProducerId v2 and DescribeCluster v0 (flexible from v0)', () => {
    expect(decode(codec('InitProducerId', 2).decodeRequest, hex('00', '0000ea60', '00'))).toEqual({
      value: { transactionalId: null, transactionTimeoutMs: 60000, producerId: -1n, producerEpoch: -1 },
      rest: 0,
    });
    expect(encode(codec('InitProducerId', 4).encodeResponse, { throttleTimeMs: 0, errorCode: 0, producerId: 7n, producerEpoch: 0 })).toEqual(
      hex('00000000', '0000', '0000000000000007', '0000', '00'),
    );
    const cluster = encode(codec('DescribeCluster', 0).encodeResponse, {
      throttleTimeMs: 0, errorCode: 0, errorMessage: null, endpointType: 1, clusterId: 'c', controllerId: 0,
      brokers: [{ brokerId: 0, host: 'h', port: 1, rack: null }], clusterAuthorizedOperations: -2147483648,
    });
    expect(cluster).toEqual(hex('00000000', '0000', '00', cstr('c'), '00000000', '02', '00000000', cstr('h'), '00000001', '00', '00', '80000000', '00'));
  });

  it('Fetch v13 names topics by id in requests and responses', () => {
    const id = '0123456789abcdef0123456789abcdef';
    const req = hex('ffffffff', '000001f4', '00000001', '00a00000', '00', '00000000', 'ffffffff', '02', id, '02', '00000000', 'ffffffff', '000000000000000a', 'ffffffff', 'ffffffffffffffff', '00100000', '00', '00', '01', '01', '00');
    const { value, rest } = decode(codec('Fetch', 13).decodeRequest, req);
    expect(rest).toBe(0);
    expect((value as { topics: { topicId: Buffer; partitions: { fetchOffset: bigint }[] }[] }).topics[0]).toMatchObject({ topicId: Buffer.from(id, 'hex'), partitions: [{ fetchOffset: 10n }] });
  });
});

describe('new APIs agree with kafkajs', () => {
  it('InitProducerId v1', async () => {
    const body = await kafkajsRequestBody('initProducerId', 1, { transactionalId: null, transactionTimeout: 30000 });
    expect(decode(codec('InitProducerId', 1).decodeRequest, body)).toMatchObject({ value: { transactionalId: null, transactionTimeoutMs: 30000 }, rest: 0 });
    const res = encode(codec('InitProducerId', 1).encodeResponse, { throttleTimeMs: 0, errorCode: 0, producerId: 42n, producerEpoch: 0 });
    expect(await kafkajsProtocol('initProducerId', 1).response.decode(res)).toMatchObject({ errorCode: 0, producerId: '42', producerEpoch: 0 });
  });

  it('DeleteRecords v1', async () => {
    const body = await kafkajsRequestBody('deleteRecords', 1, { topics: [{ topic: 't', partitions: [{ partition: 0, offset: '5' }] }], timeout: 1000 });
    expect(decode(codec('DeleteRecords', 1).decodeRequest, body)).toEqual({ value: { topics: [{ name: 't', partitions: [{ partitionIndex: 0, offset: 5n }] }], timeoutMs: 1000 }, rest: 0 });
    const res = encode(codec('DeleteRecords', 1).encodeResponse, { throttleTimeMs: 0, topics: [{ name: 't', partitions: [{ partitionIndex: 0, lowWatermark: 5n, errorCode: 0 }] }] });
    // kafkajs's DeleteRecords response module is a factory taking the request's topics
    const response = (kafkajsProtocol('deleteRecords', 1).response as unknown as (a: unknown) => { decode(raw: Buffer): Promise<unknown> })({ topics: [] });
    expect(await response.decode(res)).toMatchObject({ topics: [{ topic: 't', partitions: [{ partition: 0, lowWatermark: 5n, errorCode: 0 }] }] });
  });

  it('DescribeConfigs v2, AlterConfigs v1, CreatePartitions v1', async () => {
    const dc = await kafkajsRequestBody('describeConfigs', 2, { resources: [{ type: 2, name: 't', configNames: ['retention.ms'] }], includeSynonyms: false });
    expect(decode(codec('DescribeConfigs', 2).decodeRequest, dc)).toEqual({
      value: { resources: [{ resourceType: 2, resourceName: 't', configurationKeys: ['retention.ms'] }], includeSynonyms: false, includeDocumentation: false },
      rest: 0,
    });
    const dcRes = encode(codec('DescribeConfigs', 2).encodeResponse, {
      throttleTimeMs: 0,
      results: [{ errorCode: 0, errorMessage: null, resourceType: 2, resourceName: 't', configs: [{ name: 'retention.ms', value: '1', readOnly: false, isDefault: false, configSource: 1, isSensitive: false, synonyms: [], configType: 5, documentation: null }] }],
    });
    const parsed = await kafkajsProtocol('describeConfigs', 2).response.decode(dcRes);
    expect(JSON.stringify(parsed)).toContain('"configName":"retention.ms"');
    const ac = await kafkajsRequestBody('alterConfigs', 1, { resources: [{ type: 2, name: 't', configEntries: [{ name: 'retention.ms', value: '9' }] }], validateOnly: true });
    expect(decode(codec('AlterConfigs', 1).decodeRequest, ac).value).toEqual({ resources: [{ resourceType: 2, resourceName: 't', configs: [{ name: 'retention.ms', value: '9' }] }], validateOnly: true });
    const cp = await kafkajsRequestBody('createPartitions', 1, { topicPartitions: [{ topic: 't', count: 3 }], validateOnly: false, timeout: 500 });
    expect(decode(codec('CreatePartitions', 1).decodeRequest, cp).value).toEqual({ topics: [{ name: 't', count: 3, assignments: null }], timeoutMs: 500, validateOnly: false });
  });
});

describe('decoding never reads out of bounds', () => {
  it('a compact length beyond the frame is a ProtocolError', () => {
    expect(() => codec('ApiVersions', 3).decodeRequest(new Reader(hex('7f', '41')))).toThrow(/truncated/);
    expect(() => codec('DeleteGroups', 2).decodeRequest(new Reader(hex('ff ff ff ff 0f')))).toThrow();
  });
});
