// DescribeLogDirs (key 35), after Kafka's DescribeLogDirsRequest.json / DescribeLogDirsResponse.json.
import { field, struct } from '../schema/message.js';
import type { MessageSpec } from '../schema/types.js';

export interface DescribeLogDirsRequest { topics: { topic: string; partitions: number[] }[] | null }
export interface DescribeLogDirsResponse {
  throttleTimeMs: number;
  errorCode: number;
  results: {
    errorCode: number;
    logDir: string;
    topics: { name: string; partitions: { partitionIndex: number; partitionSize: bigint; offsetLag: bigint; isFutureKey: boolean }[] }[];
    totalBytes: bigint;
    usableBytes: bigint;
  }[];
}

export const describeLogDirsSpec: MessageSpec = {
  apiKey: 35,
  name: 'DescribeLogDirs',
  validVersions: '0-4',
  flexibleVersions: '2+',
  request: [struct('topics', '0+', [field('topic', 'string', '0+'), field('partitions', '[]int32', '0+')], { nullableVersions: '0+' })],
  response: [
    field('throttleTimeMs', 'int32', '0+'),
    field('errorCode', 'int16', '3+'),
    struct('results', '0+', [
      field('errorCode', 'int16', '0+'),
      field('logDir', 'string', '0+'),
      struct('topics', '0+', [
        field('name', 'string', '0+'),
        struct('partitions', '0+', [
          field('partitionIndex', 'int32', '0+'),
          field('partitionSize', 'int64', '0+'),
          field('offsetLag', 'int64', '0+'),
          field('isFutureKey', 'bool', '0+'),
        ]),
      ]),
      field('totalBytes', 'int64', '4+', { default: -1 }),
      field('usableBytes', 'int64', '4+', { default: -1 }),
    ]),
  ],
};
