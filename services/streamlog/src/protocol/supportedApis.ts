import { ApiKey, type ApiName } from './apiKeys.js';

/**
 * The one version of each API this broker implements: the highest version kafkajs 2.2.4 knows, all
 * non-flexible (so librdkafka, which negotiates down, can use them too). ApiVersions advertises
 * exactly these, with min = max.
 */
export const SUPPORTED_VERSIONS: Readonly<Record<ApiName, number>> = {
  Produce: 7,
  Fetch: 11,
  ListOffsets: 3,
  Metadata: 6,
  OffsetCommit: 5,
  OffsetFetch: 4,
  FindCoordinator: 2,
  JoinGroup: 5,
  Heartbeat: 3,
  LeaveGroup: 3,
  SyncGroup: 3,
  DescribeGroups: 2,
  ListGroups: 2,
  SaslHandshake: 1,
  ApiVersions: 2,
  CreateTopics: 3,
  DeleteTopics: 1,
  SaslAuthenticate: 1,
};

export const advertisedApiVersions = (Object.entries(SUPPORTED_VERSIONS) as [ApiName, number][])
  .map(([name, version]) => ({ apiKey: ApiKey[name], minVersion: version, maxVersion: version }))
  .sort((a, b) => a.apiKey - b.apiKey);
