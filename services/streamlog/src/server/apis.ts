import { ErrorCode } from '../protocol/error-codes.js';
import { specByName } from '../protocol/messages/index.js';
import { messageSpecs } from '../protocol/messages/index.js';
import { advertisedApiVersions } from '../protocol/supported-apis.js';
import { messageCodec, versionRange, type Codec } from '../protocol/schema/message.js';
import type { MessageSpec } from '../protocol/schema/types.js';
import type { MetadataRequestWire } from '../protocol/messages/metadata.js';
import type { JoinGroupRequest } from '../protocol/messages/join-group.js';
import type { LeaveGroupRequest, LeaveGroupResponse } from '../protocol/messages/leave-group.js';
import type { OffsetFetchRequestWire, OffsetFetchResponseWire } from '../protocol/messages/offset-fetch.js';
import type { FindCoordinatorRequest, FindCoordinatorResponse } from '../protocol/messages/find-coordinator.js';
import type { DeleteTopicsRequestWire } from '../protocol/messages/delete-topics.js';
import type { SyncGroupRequest } from '../protocol/messages/sync-group.js';
import type { FetchRequest, FetchResponse } from '../protocol/messages/fetch.js';
import { uuidBytes, uuidText, ZERO_UUID } from '../protocol/schema/uuid.js';
import type { ListGroupsRequest } from '../protocol/messages/list-groups.js';
import type { BrokerContext, ConnectionInfo, RequestMeta } from './context.js';
import { handleMetadata } from './handlers/metadata.js';
import { handleCreateTopics } from './handlers/create-topics.js';
import { handleDeleteTopics } from './handlers/delete-topics.js';
import { handleProduce } from './handlers/produce.js';
import { handleFetch } from './handlers/fetch.js';
import { handleListOffsets } from './handlers/list-offsets.js';
import { handleFindCoordinator } from './handlers/find-coordinator.js';
import { handleDescribeGroups, handleHeartbeat, handleJoinGroup, handleLeaveGroup, handleListGroups, handleSyncGroup } from './handlers/groups.js';
import { handleOffsetCommit, handleOffsetFetch } from './handlers/offsets.js';
import { handleDeleteGroups, handleOffsetDelete } from './handlers/group-deletion.js';
import { handleAlterConfigs, handleDescribeConfigs, handleIncrementalAlterConfigs } from './handlers/configs.js';
import { handleCreatePartitions, handleDeleteRecords, handleDescribeCluster, handleDescribeLogDirs } from './handlers/admin.js';
import { handleInitProducerId } from './handlers/init-producer-id.js';
import { handleAddOffsetsToTxn, handleAddPartitionsToTxn, handleEndTxn, handleTxnOffsetCommit } from './handlers/transactions.js';
import { handleSaslAuthenticate, handleSaslHandshake } from './handlers/sasl.js';

export type { Codec };

/** One API: its description, the versions it implements, and its handler. A null response means "send nothing" (acks=0). */
export interface ApiDefinition<Req = unknown, Res = unknown> {
  name: string;
  key: number;
  spec: MessageSpec;
  min: number;
  max: number;
  /** may run before SASL authentication completes */
  beforeAuth: boolean;
  codec(version: number): Codec<Req, Res> | undefined;
  handle(ctx: BrokerContext, conn: ConnectionInfo, meta: RequestMeta, req: Req): Res | null | Promise<Res | null>;
}

type Handler<Req, Res> = ApiDefinition<Req, Res>['handle'];

function define<Req, Res>(name: string, handle: Handler<Req, Res>, beforeAuth = false): ApiDefinition {
  const spec = specByName.get(name);
  if (!spec) throw new Error(`no description for ${name}`);
  const { min, max } = versionRange(spec);
  // compiled on first use (and cached by messageCodec): compiling every version of every API up front
  // left some 8,000 closures in the heap that each major GC had to mark, a cost paid per produced record
  const compiled: Codec<Req, Res>[] = [];
  const codec = (v: number) => (Number.isInteger(v) && v >= min && v <= max ? (compiled[v] ??= messageCodec<Req, Res>(spec, v)) : undefined);
  return { name, key: spec.apiKey, spec, min, max, beforeAuth, codec, handle } as unknown as ApiDefinition;
}

/** topic id (text form) → name */
function topicNamesById(ctx: BrokerContext): Map<string, string> {
  return new Map(ctx.engine.listTopics().flatMap((t) => (t.id ? [[t.id, t.name] as [string, string]] : [])));
}

const answerApiVersions = () => ({ errorCode: ErrorCode.NONE, apiKeys: advertisedApiVersions, throttleTimeMs: 0 });

// Where versions differ in shape, the adapters below turn the wire form into what the handlers take
// (and back), so the handlers stay version-free.
const definitions: ApiDefinition[] = [
  define('ApiVersions', answerApiVersions, true),
  define('SaslHandshake', (ctx, conn, meta, req) => handleSaslHandshake(ctx, conn, req as never, meta.apiVersion), true),
  define('SaslAuthenticate', (ctx, conn, _m, req) => handleSaslAuthenticate(ctx, conn, req as never), true),
  define<MetadataRequestWire, unknown>('Metadata', (ctx, _c, meta, req) => {
    // v0: an empty list means every topic; from v1 that is a null list; from v10 a topic may be named by id
    const byId = meta.apiVersion >= 10 ? topicNamesById(ctx) : null;
    const names =
      req.topics === null || (meta.apiVersion === 0 && req.topics.length === 0)
        ? null
        : req.topics.flatMap((t) => (t.name !== null ? [t.name] : (byId?.get(uuidText(t.topicId)) ?? [])));
    return handleMetadata(ctx, { topics: names, allowAutoTopicCreation: req.allowAutoTopicCreation });
  }),
  define('CreateTopics', (ctx, _c, _m, req) => handleCreateTopics(ctx, req as never)),
  define<DeleteTopicsRequestWire, unknown>('DeleteTopics', (ctx, _c, meta, req) => {
    const byId = topicNamesById(ctx);
    const names = meta.apiVersion >= 6 ? req.topics.flatMap((t) => (t.name !== null ? [t.name] : (byId.get(uuidText(t.topicId)) ?? []))) : req.topicNames;
    return handleDeleteTopics(ctx, { topicNames: names, timeoutMs: req.timeoutMs });
  }),
  define('Produce', (ctx, _c, _m, req) => handleProduce(ctx, req as never)),
  define<FetchRequest, FetchResponse>('Fetch', async (ctx, conn, meta, req) => {
    if (meta.apiVersion < 13) return handleFetch(ctx, conn, req);
    // v13+ name topics by id: resolve them, and answer unknown ids with UNKNOWN_TOPIC_ID
    const names = topicNamesById(ctx);
    const unknown = new Set<string>();
    const named = (t: { topicId?: Buffer }) => {
      const id = uuidText(t.topicId ?? ZERO_UUID);
      const name = names.get(id);
      if (name === undefined) unknown.add(id);
      return name ?? `\u0000unknown-topic-id ${id}`;
    };
    const res = await handleFetch(ctx, conn, {
      ...req,
      topics: req.topics.map((t) => ({ ...t, topic: named(t) })),
      forgottenTopics: req.forgottenTopics.map((t) => ({ ...t, topic: named(t) })),
    });
    if (res === null) return null;
    const ids = new Map([...names].map(([id, name]) => [name, id]));
    for (const t of res.responses) {
      const id = ids.get(t.topic);
      t.topicId = id ? uuidBytes(id) : uuidBytes(t.topic.slice(t.topic.lastIndexOf(' ') + 1));
      if (!id) for (const p of t.partitions) p.errorCode = ErrorCode.UNKNOWN_TOPIC_ID;
    }
    return res;
  }),
  define('ListOffsets', (ctx, _c, _m, req) => handleListOffsets(ctx, req as never)),
  define<FindCoordinatorRequest, FindCoordinatorResponse>('FindCoordinator', (ctx, _c, meta, req) => {
    if (meta.apiVersion < 4) return handleFindCoordinator(ctx, req);
    // v4 looks up a batch of keys; each answer is what v3 would say about that key
    const coordinators = req.coordinatorKeys.map((key) => {
      const one = handleFindCoordinator(ctx, { key, keyType: req.keyType, coordinatorKeys: [] });
      return { key, nodeId: one.nodeId, host: one.host, port: one.port, errorCode: one.errorCode, errorMessage: one.errorMessage };
    });
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, nodeId: -1, host: '', port: -1, coordinators };
  }),
  define<JoinGroupRequest, unknown>('JoinGroup', async (ctx, conn, meta, req) => {
    // before v1 the session timeout doubles as the rebalance timeout, as in Kafka; the group keeps
    // the member metadata after the request frame is gone, so it is copied
    const rebalanceTimeoutMs = meta.apiVersion === 0 ? req.sessionTimeoutMs : req.rebalanceTimeoutMs;
    const protocols = req.protocols.map((p) => ({ name: p.name, metadata: Buffer.from(p.metadata) }));
    const res = await handleJoinGroup(ctx, conn, meta, { ...req, rebalanceTimeoutMs, protocols });
    return { ...res, protocolType: res.errorCode === ErrorCode.NONE ? req.protocolType : null };
  }),
  define('SyncGroup', (ctx, _c, _m, req) => {
    const r = req as { assignments: { memberId: string; assignment: Buffer }[]; protocolType: string | null; protocolName: string | null };
    const assignments = r.assignments.map((a) => ({ memberId: a.memberId, assignment: Buffer.from(a.assignment) }));
    return Promise.resolve(handleSyncGroup(ctx, { ...(req as SyncGroupRequest), assignments })).then((res) => ({ ...res, protocolType: r.protocolType, protocolName: r.protocolName }));
  }),
  define('Heartbeat', (ctx, _c, _m, req) => handleHeartbeat(ctx, req as never)),
  define<LeaveGroupRequest & { memberId: string }, LeaveGroupResponse>('LeaveGroup', (ctx, _c, meta, req) => {
    if (meta.apiVersion >= 3) return handleLeaveGroup(ctx, req);
    // before v3 one member leaves per request, and its outcome is the response's error
    const res = handleLeaveGroup(ctx, { groupId: req.groupId, members: [{ memberId: req.memberId, groupInstanceId: null }] });
    return { ...res, errorCode: res.errorCode !== ErrorCode.NONE ? res.errorCode : (res.members[0]?.errorCode ?? ErrorCode.NONE) };
  }),
  define('OffsetCommit', (ctx, _c, _m, req) => handleOffsetCommit(ctx, req as never)),
  define<OffsetFetchRequestWire, Partial<OffsetFetchResponseWire>>('OffsetFetch', (ctx, _c, meta, req) => {
    if (meta.apiVersion < 8) return handleOffsetFetch(ctx, req);
    // v8 asks for several groups at once
    const groups = req.groups.map((g) => {
      const one = handleOffsetFetch(ctx, { groupId: g.groupId, topics: g.topics });
      return { groupId: g.groupId, topics: one.topics, errorCode: one.errorCode };
    });
    return { throttleTimeMs: 0, groups };
  }),
  define('DescribeGroups', (ctx, _c, _m, req) => handleDescribeGroups(ctx, req as never)),
  define<ListGroupsRequest, unknown>('ListGroups', (ctx, _c, _m, req) => handleListGroups(ctx, req.statesFilter)),
  define('DeleteGroups', (ctx, _c, _m, req) => handleDeleteGroups(ctx, req as never)),
  define('OffsetDelete', (ctx, _c, _m, req) => handleOffsetDelete(ctx, req as never)),
  define('InitProducerId', (ctx, _c, meta, req) => handleInitProducerId(ctx, req as never, meta.apiVersion)),
  define('AddPartitionsToTxn', (ctx, _c, _m, req) => handleAddPartitionsToTxn(ctx, req as never)),
  define('AddOffsetsToTxn', (ctx, _c, _m, req) => handleAddOffsetsToTxn(ctx, req as never)),
  define('TxnOffsetCommit', (ctx, _c, _m, req) => handleTxnOffsetCommit(ctx, req as never)),
  define('EndTxn', (ctx, _c, meta, req) => handleEndTxn(ctx, req as never, meta.apiVersion)),
  define('DeleteRecords', (ctx, _c, _m, req) => handleDeleteRecords(ctx, req as never)),
  define('DescribeConfigs', (ctx, _c, _m, req) => handleDescribeConfigs(ctx, req as never)),
  define('AlterConfigs', (ctx, _c, _m, req) => handleAlterConfigs(ctx, req as never)),
  define('IncrementalAlterConfigs', (ctx, _c, _m, req) => handleIncrementalAlterConfigs(ctx, req as never)),
  define('CreatePartitions', (ctx, _c, _m, req) => handleCreatePartitions(ctx, req as never)),
  define('DescribeCluster', (ctx) => handleDescribeCluster(ctx)),
  define('DescribeLogDirs', (ctx, _c, _m, req) => handleDescribeLogDirs(ctx, req as never)),
];

export const apisByKey: ReadonlyMap<number, ApiDefinition> = new Map(definitions.map((d) => [d.key, d]));

for (const spec of messageSpecs) {
  if (!apisByKey.has(spec.apiKey)) throw new Error(`${spec.name} is described (and advertised) but has no handler`);
}
