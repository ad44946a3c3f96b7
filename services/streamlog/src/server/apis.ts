import type { Reader } from '../protocol/primitives/reader.js';
import type { Writer } from '../protocol/primitives/writer.js';
import { ApiKey, type ApiName } from '../protocol/apiKeys.js';
import { SUPPORTED_VERSIONS, advertisedApiVersions } from '../protocol/supportedApis.js';
import * as apiVersionsV2 from '../protocol/requests/apiVersions/v2.js';
import * as metadataV6 from '../protocol/requests/metadata/v6.js';
import * as createTopicsV3 from '../protocol/requests/createTopics/v3.js';
import * as deleteTopicsV1 from '../protocol/requests/deleteTopics/v1.js';
import * as produceV7 from '../protocol/requests/produce/v7.js';
import * as fetchV11 from '../protocol/requests/fetch/v11.js';
import * as listOffsetsV3 from '../protocol/requests/listOffsets/v3.js';
import * as findCoordinatorV2 from '../protocol/requests/findCoordinator/v2.js';
import * as joinGroupV5 from '../protocol/requests/joinGroup/v5.js';
import * as syncGroupV3 from '../protocol/requests/syncGroup/v3.js';
import * as heartbeatV3 from '../protocol/requests/heartbeat/v3.js';
import * as leaveGroupV3 from '../protocol/requests/leaveGroup/v3.js';
import * as offsetCommitV5 from '../protocol/requests/offsetCommit/v5.js';
import * as offsetFetchV4 from '../protocol/requests/offsetFetch/v4.js';
import * as describeGroupsV2 from '../protocol/requests/describeGroups/v2.js';
import * as listGroupsV2 from '../protocol/requests/listGroups/v2.js';
import * as saslHandshakeV1 from '../protocol/requests/saslHandshake/v1.js';
import * as saslAuthenticateV1 from '../protocol/requests/saslAuthenticate/v1.js';
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
import { handleSaslAuthenticate, handleSaslHandshake } from './handlers/sasl.js';
import { ErrorCode } from '../protocol/errorCodes.js';

/** One implemented API version: its codec and its handler. A null response means "send nothing" (acks=0). */
export interface ApiDefinition<Req = unknown, Res = unknown> {
  name: ApiName;
  key: number;
  version: number;
  /** may run before SASL authentication completes */
  beforeAuth: boolean;
  decodeRequest(r: Reader): Req;
  encodeResponse(w: Writer, res: Res): void;
  handle(ctx: BrokerContext, conn: ConnectionInfo, meta: RequestMeta, req: Req): Res | null | Promise<Res | null>;
}

function define<Req, Res>(
  name: ApiName,
  codec: { decodeRequest(r: Reader): Req; encodeResponse(w: Writer, res: Res): void },
  handle: ApiDefinition<Req, Res>['handle'],
  beforeAuth = false,
): ApiDefinition {
  return { name, key: ApiKey[name], version: SUPPORTED_VERSIONS[name], beforeAuth, ...codec, handle } as ApiDefinition;
}

const definitions: ApiDefinition[] = [
  define('ApiVersions', apiVersionsV2, () => ({ errorCode: ErrorCode.NONE, apiKeys: advertisedApiVersions, throttleTimeMs: 0 }), true),
  define('SaslHandshake', saslHandshakeV1, (ctx, conn, _m, req) => handleSaslHandshake(ctx, conn, req), true),
  define('SaslAuthenticate', saslAuthenticateV1, (ctx, conn, _m, req) => handleSaslAuthenticate(ctx, conn, req), true),
  define('Metadata', metadataV6, (ctx, _c, _m, req) => handleMetadata(ctx, req)),
  define('CreateTopics', createTopicsV3, (ctx, _c, _m, req) => handleCreateTopics(ctx, req)),
  define('DeleteTopics', deleteTopicsV1, (ctx, _c, _m, req) => handleDeleteTopics(ctx, req)),
  define('Produce', produceV7, (ctx, _c, _m, req) => handleProduce(ctx, req)),
  define('Fetch', fetchV11, (ctx, conn, _m, req) => handleFetch(ctx, conn, req)),
  define('ListOffsets', listOffsetsV3, (ctx, _c, _m, req) => handleListOffsets(ctx, req)),
  define('FindCoordinator', findCoordinatorV2, (ctx, _c, _m, req) => handleFindCoordinator(ctx, req)),
  define('JoinGroup', joinGroupV5, (ctx, conn, meta, req) => handleJoinGroup(ctx, conn, meta, req)),
  define('SyncGroup', syncGroupV3, (ctx, _c, _m, req) => handleSyncGroup(ctx, req)),
  define('Heartbeat', heartbeatV3, (ctx, _c, _m, req) => handleHeartbeat(ctx, req)),
  define('LeaveGroup', leaveGroupV3, (ctx, _c, _m, req) => handleLeaveGroup(ctx, req)),
  define('OffsetCommit', offsetCommitV5, (ctx, _c, _m, req) => handleOffsetCommit(ctx, req)),
  define('OffsetFetch', offsetFetchV4, (ctx, _c, _m, req) => handleOffsetFetch(ctx, req)),
  define('DescribeGroups', describeGroupsV2, (ctx, _c, _m, req) => handleDescribeGroups(ctx, req)),
  define('ListGroups', listGroupsV2, (ctx) => handleListGroups(ctx)),
];

export const apisByKey: ReadonlyMap<number, ApiDefinition> = new Map(definitions.map((d) => [d.key, d]));
