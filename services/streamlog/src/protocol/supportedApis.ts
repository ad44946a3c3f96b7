import { ApiKey, type ApiName } from './apiKeys.js';

/**
 * The versions of each API this broker implements, all non-flexible. The maximum is the highest
 * version kafkajs 2.2.4 knows (it picks the highest both sides support). A few APIs also implement
 * older versions because librdkafka (kcat) enables features only when the broker's range overlaps
 * specific versions: ApiVersions v0 (its fallback after our UNSUPPORTED_VERSION answer to its v3),
 * Produce v3 and Fetch v4 (record batches v2, "MsgVer2"), ListOffsets v1 ("OffsetTime"), Metadata v4
 * (the newest librdkafka 2.0 asks for), SaslHandshake v0 and SaslAuthenticate v0 (its SASL features),
 * and the group APIs from FindCoordinator v0, JoinGroup/SyncGroup/Heartbeat/LeaveGroup v0,
 * OffsetCommit v1 and OffsetFetch v1 (its "BrokerBalancedConsumer" feature; it then uses
 * LeaveGroup v1 and the newest of the others). ApiVersions advertises exactly these ranges.
 */
export const SUPPORTED_VERSIONS: Readonly<Record<ApiName, { min: number; max: number }>> = {
  Produce: { min: 3, max: 7 },
  Fetch: { min: 4, max: 11 },
  ListOffsets: { min: 1, max: 3 },
  Metadata: { min: 4, max: 6 },
  OffsetCommit: { min: 1, max: 5 },
  OffsetFetch: { min: 1, max: 4 },
  FindCoordinator: { min: 0, max: 2 },
  JoinGroup: { min: 0, max: 5 },
  Heartbeat: { min: 0, max: 3 },
  LeaveGroup: { min: 0, max: 3 },
  SyncGroup: { min: 0, max: 3 },
  DescribeGroups: { min: 2, max: 2 },
  ListGroups: { min: 2, max: 2 },
  SaslHandshake: { min: 0, max: 1 },
  ApiVersions: { min: 0, max: 2 },
  CreateTopics: { min: 3, max: 3 },
  DeleteTopics: { min: 1, max: 1 },
  SaslAuthenticate: { min: 0, max: 1 },
  DeleteGroups: { min: 0, max: 1 },
  OffsetDelete: { min: 0, max: 0 },
};

export const advertisedApiVersions = (Object.entries(SUPPORTED_VERSIONS) as [ApiName, { min: number; max: number }][])
  .map(([name, v]) => ({ apiKey: ApiKey[name], minVersion: v.min, maxVersion: v.max }))
  .sort((a, b) => a.apiKey - b.apiKey);
