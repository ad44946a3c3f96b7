// DescribeCluster (key 60), after Kafka's DescribeClusterRequest.json / DescribeClusterResponse.json. Flexible from v0.
import { field, struct } from '../schema/message.js';
import type { MessageSpec } from '../schema/types.js';

export interface DescribeClusterRequest { includeClusterAuthorizedOperations: boolean; endpointType: number }
export interface DescribeClusterResponse {
  throttleTimeMs: number;
  errorCode: number;
  errorMessage: string | null;
  endpointType: number;
  clusterId: string;
  controllerId: number;
  brokers: { brokerId: number; host: string; port: number; rack: string | null }[];
  clusterAuthorizedOperations: number;
}

export const describeClusterSpec: MessageSpec = {
  apiKey: 60,
  name: 'DescribeCluster',
  validVersions: '0-1',
  flexibleVersions: '0+',
  request: [field('includeClusterAuthorizedOperations', 'bool', '0+'), field('endpointType', 'int8', '1+', { default: 1 })],
  response: [
    field('throttleTimeMs', 'int32', '0+'),
    field('errorCode', 'int16', '0+'),
    field('errorMessage', 'string', '0+', { nullableVersions: '0+', default: null }),
    field('endpointType', 'int8', '1+', { default: 1 }),
    field('clusterId', 'string', '0+'),
    field('controllerId', 'int32', '0+', { default: -1 }),
    struct('brokers', '0+', [
      field('brokerId', 'int32', '0+'),
      field('host', 'string', '0+'),
      field('port', 'int32', '0+'),
      field('rack', 'string', '0+', { nullableVersions: '0+', default: null }),
    ]),
    field('clusterAuthorizedOperations', 'int32', '0+', { default: -2147483648 }),
  ],
};
