// Every API this broker implements, one description each (see ../schema/types.ts).
import type { MessageSpec } from '../schema/types.js';
import { produceSpec } from './produce.js';
import { fetchSpec } from './fetch.js';
import { listOffsetsSpec } from './list-offsets.js';
import { metadataSpec } from './metadata.js';
import { offsetCommitSpec } from './offset-commit.js';
import { offsetFetchSpec } from './offset-fetch.js';
import { findCoordinatorSpec } from './find-coordinator.js';
import { joinGroupSpec } from './join-group.js';
import { heartbeatSpec } from './heartbeat.js';
import { leaveGroupSpec } from './leave-group.js';
import { syncGroupSpec } from './sync-group.js';
import { describeGroupsSpec } from './describe-groups.js';
import { listGroupsSpec } from './list-groups.js';
import { saslAuthenticateSpec, saslHandshakeSpec } from './sasl.js';
import { apiVersionsSpec } from './api-versions.js';
import { createTopicsSpec } from './create-topics.js';
import { deleteTopicsSpec } from './delete-topics.js';
import { deleteGroupsSpec } from './delete-groups.js';
import { deleteRecordsSpec } from './delete-records.js';
import { initProducerIdSpec } from './init-producer-id.js';
import { alterConfigsSpec, describeConfigsSpec, incrementalAlterConfigsSpec } from './configs.js';
import { describeLogDirsSpec } from './describe-log-dirs.js';
import { createPartitionsSpec } from './create-partitions.js';
import { describeClusterSpec } from './describe-cluster.js';
import { offsetDeleteSpec } from './offset-delete.js';
import { addOffsetsToTxnSpec, addPartitionsToTxnSpec, endTxnSpec, txnOffsetCommitSpec } from './transactions.js';

export const messageSpecs: readonly MessageSpec[] = [
  produceSpec,
  fetchSpec,
  listOffsetsSpec,
  metadataSpec,
  offsetCommitSpec,
  offsetFetchSpec,
  findCoordinatorSpec,
  joinGroupSpec,
  heartbeatSpec,
  leaveGroupSpec,
  syncGroupSpec,
  describeGroupsSpec,
  listGroupsSpec,
  saslHandshakeSpec,
  apiVersionsSpec,
  createTopicsSpec,
  deleteTopicsSpec,
  deleteRecordsSpec,
  initProducerIdSpec,
  describeConfigsSpec,
  alterConfigsSpec,
  describeLogDirsSpec,
  createPartitionsSpec,
  incrementalAlterConfigsSpec,
  describeClusterSpec,
  saslAuthenticateSpec,
  deleteGroupsSpec,
  offsetDeleteSpec,
  addPartitionsToTxnSpec,
  addOffsetsToTxnSpec,
  endTxnSpec,
  txnOffsetCommitSpec,
];

export const specByName: ReadonlyMap<string, MessageSpec> = new Map(messageSpecs.map((s) => [s.name, s]));
export const specByKey: ReadonlyMap<number, MessageSpec> = new Map(messageSpecs.map((s) => [s.apiKey, s]));
