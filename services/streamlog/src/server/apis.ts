import type { Reader } from '../protocol/primitives/reader.js';
import type { Writer } from '../protocol/primitives/writer.js';
import { ApiKey, type ApiName } from '../protocol/apiKeys.js';
import { SUPPORTED_VERSIONS, advertisedApiVersions } from '../protocol/supportedApis.js';
import { ErrorCode } from '../protocol/errorCodes.js';
import * as apiVersionsV0 from '../protocol/requests/apiVersions/v0.js';
import * as apiVersionsV1 from '../protocol/requests/apiVersions/v1.js';
import * as apiVersionsV2 from '../protocol/requests/apiVersions/v2.js';
import * as metadataV4 from '../protocol/requests/metadata/v4.js';
import * as metadataV5 from '../protocol/requests/metadata/v5.js';
import * as metadataV6 from '../protocol/requests/metadata/v6.js';
import * as createTopicsV3 from '../protocol/requests/createTopics/v3.js';
import * as deleteTopicsV1 from '../protocol/requests/deleteTopics/v1.js';
import * as produceV3 from '../protocol/requests/produce/v3.js';
import * as produceV4 from '../protocol/requests/produce/v4.js';
import * as produceV5 from '../protocol/requests/produce/v5.js';
import * as produceV6 from '../protocol/requests/produce/v6.js';
import * as produceV7 from '../protocol/requests/produce/v7.js';
import * as fetchV4 from '../protocol/requests/fetch/v4.js';
import * as fetchV5 from '../protocol/requests/fetch/v5.js';
import * as fetchV6 from '../protocol/requests/fetch/v6.js';
import * as fetchV7 from '../protocol/requests/fetch/v7.js';
import * as fetchV8 from '../protocol/requests/fetch/v8.js';
import * as fetchV9 from '../protocol/requests/fetch/v9.js';
import * as fetchV10 from '../protocol/requests/fetch/v10.js';
import * as fetchV11 from '../protocol/requests/fetch/v11.js';
import * as listOffsetsV1 from '../protocol/requests/listOffsets/v1.js';
import * as listOffsetsV2 from '../protocol/requests/listOffsets/v2.js';
import * as listOffsetsV3 from '../protocol/requests/listOffsets/v3.js';
import * as describeGroupsV2 from '../protocol/requests/describeGroups/v2.js';
import * as listGroupsV2 from '../protocol/requests/listGroups/v2.js';
import * as saslHandshakeV0 from '../protocol/requests/saslHandshake/v0.js';
import * as saslHandshakeV1 from '../protocol/requests/saslHandshake/v1.js';
import * as saslAuthenticateV0 from '../protocol/requests/saslAuthenticate/v0.js';
import * as saslAuthenticateV1 from '../protocol/requests/saslAuthenticate/v1.js';
import * as findCoordinatorV0 from '../protocol/requests/findCoordinator/v0.js';
import * as findCoordinatorV1 from '../protocol/requests/findCoordinator/v1.js';
import * as findCoordinatorV2 from '../protocol/requests/findCoordinator/v2.js';
import * as joinGroupV0 from '../protocol/requests/joinGroup/v0.js';
import * as joinGroupV1 from '../protocol/requests/joinGroup/v1.js';
import * as joinGroupV2 from '../protocol/requests/joinGroup/v2.js';
import * as joinGroupV3 from '../protocol/requests/joinGroup/v3.js';
import * as joinGroupV4 from '../protocol/requests/joinGroup/v4.js';
import * as joinGroupV5 from '../protocol/requests/joinGroup/v5.js';
import * as syncGroupV0 from '../protocol/requests/syncGroup/v0.js';
import * as syncGroupV1 from '../protocol/requests/syncGroup/v1.js';
import * as syncGroupV2 from '../protocol/requests/syncGroup/v2.js';
import * as syncGroupV3 from '../protocol/requests/syncGroup/v3.js';
import * as heartbeatV0 from '../protocol/requests/heartbeat/v0.js';
import * as heartbeatV1 from '../protocol/requests/heartbeat/v1.js';
import * as heartbeatV2 from '../protocol/requests/heartbeat/v2.js';
import * as heartbeatV3 from '../protocol/requests/heartbeat/v3.js';
import * as leaveGroupV0 from '../protocol/requests/leaveGroup/v0.js';
import * as leaveGroupV1 from '../protocol/requests/leaveGroup/v1.js';
import * as leaveGroupV2 from '../protocol/requests/leaveGroup/v2.js';
import * as leaveGroupV3 from '../protocol/requests/leaveGroup/v3.js';
import * as offsetCommitV1 from '../protocol/requests/offsetCommit/v1.js';
import * as offsetCommitV2 from '../protocol/requests/offsetCommit/v2.js';
import * as offsetCommitV3 from '../protocol/requests/offsetCommit/v3.js';
import * as offsetCommitV4 from '../protocol/requests/offsetCommit/v4.js';
import * as offsetCommitV5 from '../protocol/requests/offsetCommit/v5.js';
import * as offsetFetchV1 from '../protocol/requests/offsetFetch/v1.js';
import * as offsetFetchV2 from '../protocol/requests/offsetFetch/v2.js';
import * as offsetFetchV3 from '../protocol/requests/offsetFetch/v3.js';
import * as offsetFetchV4 from '../protocol/requests/offsetFetch/v4.js';
import * as deleteGroupsV0 from '../protocol/requests/deleteGroups/v0.js';
import * as deleteGroupsV1 from '../protocol/requests/deleteGroups/v1.js';
import * as offsetDeleteV0 from '../protocol/requests/offsetDelete/v0.js';
import type { BrokerContext, ConnectionInfo, RequestMeta } from './context.js';
import { handleMetadata } from './handlers/metadata.js';
import { handleCreateTopics } from './handlers/createTopics.js';
import { handleDeleteTopics } from './handlers/deleteTopics.js';
import { handleProduce } from './handlers/produce.js';
import { handleFetch } from './handlers/fetch.js';
import { handleListOffsets } from './handlers/listOffsets.js';
import { handleFindCoordinator } from './handlers/findCoordinator.js';
import { handleDescribeGroups, handleHeartbeat, handleJoinGroup, handleLeaveGroup, handleListGroups, handleSyncGroup } from './handlers/groups.js';
import { handleOffsetCommit, handleOffsetFetch } from './handlers/offsets.js';
import { handleDeleteGroups, handleOffsetDelete } from './handlers/groupDeletion.js';
import { handleSaslAuthenticate, handleSaslHandshake } from './handlers/sasl.js';

export interface Codec<Req = unknown, Res = unknown> {
  decodeRequest(r: Reader): Req;
  encodeResponse(w: Writer, res: Res): void;
}

/** One API: its codec per implemented version and its handler. A null response means "send nothing" (acks=0). */
export interface ApiDefinition<Req = unknown, Res = unknown> {
  name: ApiName;
  key: number;
  codecs: ReadonlyMap<number, Codec<Req, Res>>;
  /** may run before SASL authentication completes */
  beforeAuth: boolean;
  handle(ctx: BrokerContext, conn: ConnectionInfo, meta: RequestMeta, req: Req): Res | null | Promise<Res | null>;
}

function define<Req, Res>(
  name: ApiName,
  codecs: Record<number, Codec<Req, Res>>,
  handle: ApiDefinition<Req, Res>['handle'],
  beforeAuth = false,
): ApiDefinition {
  const { min, max } = SUPPORTED_VERSIONS[name];
  const map = new Map<number, Codec<Req, Res>>();
  for (let v = min; v <= max; v++) {
    if (!codecs[v]) throw new Error(`${name} v${v} is advertised but has no codec`);
    map.set(v, codecs[v]);
  }
  return { name, key: ApiKey[name], codecs: map, beforeAuth, handle } as unknown as ApiDefinition;
}

const answerApiVersions = () => ({ errorCode: ErrorCode.NONE, apiKeys: advertisedApiVersions, throttleTimeMs: 0 });

const definitions: ApiDefinition[] = [
  define('ApiVersions', { 0: apiVersionsV0, 1: apiVersionsV1, 2: apiVersionsV2 }, answerApiVersions, true),
  define('SaslHandshake', { 0: saslHandshakeV0, 1: saslHandshakeV1 }, (ctx, conn, meta, req) => handleSaslHandshake(ctx, conn, req, meta.apiVersion), true),
  define('SaslAuthenticate', { 0: saslAuthenticateV0, 1: saslAuthenticateV1 }, (ctx, conn, _m, req) => handleSaslAuthenticate(ctx, conn, req), true),
  define('Metadata', { 4: metadataV4, 5: metadataV5, 6: metadataV6 }, (ctx, _c, _m, req) => handleMetadata(ctx, req)),
  define('CreateTopics', { 3: createTopicsV3 }, (ctx, _c, _m, req) => handleCreateTopics(ctx, req)),
  define('DeleteTopics', { 1: deleteTopicsV1 }, (ctx, _c, _m, req) => handleDeleteTopics(ctx, req)),
  define('Produce', { 3: produceV3, 4: produceV4, 5: produceV5, 6: produceV6, 7: produceV7 }, (ctx, _c, _m, req) => handleProduce(ctx, req)),
  define(
    'Fetch',
    { 4: fetchV4, 5: fetchV5, 6: fetchV6, 7: fetchV7, 8: fetchV8, 9: fetchV9, 10: fetchV10, 11: fetchV11 },
    (ctx, conn, _m, req) => handleFetch(ctx, conn, req),
  ),
  define('ListOffsets', { 1: listOffsetsV1, 2: listOffsetsV2, 3: listOffsetsV3 }, (ctx, _c, _m, req) => handleListOffsets(ctx, req)),
  define('FindCoordinator', { 0: findCoordinatorV0, 1: findCoordinatorV1, 2: findCoordinatorV2 }, (ctx, _c, _m, req) => handleFindCoordinator(ctx, req)),
  define('JoinGroup', { 0: joinGroupV0, 1: joinGroupV1, 2: joinGroupV2, 3: joinGroupV3, 4: joinGroupV4, 5: joinGroupV5 }, (ctx, conn, meta, req) => handleJoinGroup(ctx, conn, meta, req)),
  define('SyncGroup', { 0: syncGroupV0, 1: syncGroupV1, 2: syncGroupV2, 3: syncGroupV3 }, (ctx, _c, _m, req) => handleSyncGroup(ctx, req)),
  define('Heartbeat', { 0: heartbeatV0, 1: heartbeatV1, 2: heartbeatV2, 3: heartbeatV3 }, (ctx, _c, _m, req) => handleHeartbeat(ctx, req)),
  define('LeaveGroup', { 0: leaveGroupV0, 1: leaveGroupV1, 2: leaveGroupV2, 3: leaveGroupV3 }, (ctx, _c, _m, req) => handleLeaveGroup(ctx, req)),
  define('OffsetCommit', { 1: offsetCommitV1, 2: offsetCommitV2, 3: offsetCommitV3, 4: offsetCommitV4, 5: offsetCommitV5 }, (ctx, _c, _m, req) => handleOffsetCommit(ctx, req)),
  define('OffsetFetch', { 1: offsetFetchV1, 2: offsetFetchV2, 3: offsetFetchV3, 4: offsetFetchV4 }, (ctx, _c, _m, req) => handleOffsetFetch(ctx, req)),
  define('DescribeGroups', { 2: describeGroupsV2 }, (ctx, _c, _m, req) => handleDescribeGroups(ctx, req)),
  define('ListGroups', { 2: listGroupsV2 }, (ctx) => handleListGroups(ctx)),
  define('DeleteGroups', { 0: deleteGroupsV0, 1: deleteGroupsV1 }, (ctx, _c, _m, req) => handleDeleteGroups(ctx, req)),
  define('OffsetDelete', { 0: offsetDeleteV0 }, (ctx, _c, _m, req) => handleOffsetDelete(ctx, req)),
];

export const apisByKey: ReadonlyMap<number, ApiDefinition> = new Map(definitions.map((d) => [d.key, d]));
