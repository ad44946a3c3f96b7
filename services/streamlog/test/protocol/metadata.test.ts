import { describe, expect, it } from 'vitest';
import { decode, encode, hex, kafkajsProtocol, kafkajsRequestBody, str } from './fixtures.js';
import { codec } from './fixtures.js';
import type { MetadataResponse } from '../../src/protocol/messages/metadata.js';

const v4 = codec('Metadata', 4);
const v6 = codec('Metadata', 6);

const response: MetadataResponse = {
  throttleTimeMs: 0,
  brokers: [{ nodeId: 0, host: 'h', port: 9092, rack: null }],
  clusterId: 'c',
  controllerId: 0,
  topics: [
    {
      errorCode: 0,
      name: 't',
      isInternal: false,
      partitions: [{ errorCode: 0, partitionIndex: 0, leaderId: 0, replicaNodes: [0], isrNodes: [0], offlineReplicas: [] }],
    },
  ],
};

const responseUpToIsr = [
  '00000000', // throttle_time_ms
  '00000001 00000000', str('h'), '00002384 ffff', // brokers: node 0, host "h", port 9092, rack null
  str('c'), // cluster_id
  '00000000', // controller_id
  '00000001 0000', str('t'), '00', // topics: error 0, name "t", is_internal false
  '00000001 0000 00000000 00000000', // partitions: error 0, index 0, leader 0
  '00000001 00000000', // replica_nodes [0]
  '00000001 00000000', // isr_nodes [0]
];

describe('Metadata codec', () => {
  it('v6 request: null topics means all topics', () => {
    expect(decode(v6.decodeRequest, hex('ffffffff', '01'))).toEqual({ value: { topics: null, allowAutoTopicCreation: true, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false }, rest: 0 });
    expect(decode(v6.decodeRequest, hex('00000001', str('ab'), '00')).value).toEqual({ topics: [{ name: 'ab', topicId: Buffer.alloc(16) }], allowAutoTopicCreation: false, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false });
  });

  it('v6 response matches the spec; v4 lacks offline_replicas', () => {
    expect(encode(v6.encodeResponse, response)).toEqual(hex(...responseUpToIsr, '00000000'));
    expect(encode(v4.encodeResponse, response)).toEqual(hex(...responseUpToIsr));
  });

  it('agrees with kafkajs both ways', async () => {
    const body = await kafkajsRequestBody('metadata', 6, { topics: ['orders', 'riders'], allowAutoTopicCreation: false });
    expect(decode(v6.decodeRequest, body)).toEqual({ value: { topics: [{ name: 'orders', topicId: Buffer.alloc(16) }, { name: 'riders', topicId: Buffer.alloc(16) }], allowAutoTopicCreation: false, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false }, rest: 0 });
    const decoded = await kafkajsProtocol('metadata', 6).response.decode(encode(v6.encodeResponse, response));
    expect(decoded).toMatchObject({
      brokers: [{ nodeId: 0, host: 'h', port: 9092 }],
      controllerId: 0,
      topicMetadata: [{ topic: 't', partitionMetadata: [{ partitionId: 0, leader: 0, replicas: [0], isr: [0] }] }],
    });
  });
});
