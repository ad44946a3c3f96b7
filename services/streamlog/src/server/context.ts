import type { Logger } from 'pino';
import type { Durability, LogEngine } from '../storage/contract.js';
import type { GroupCoordinator } from '../group/coordinator.js';
import type { TransactionCoordinator } from '../txn/transaction-coordinator.js';
import type { BrokerMetrics } from './metrics.js';
import type { TopicCreator } from './topic-creator.js';

export interface BrokerConfig {
  /** host and port written into Metadata and FindCoordinator answers */
  advertisedHost: string;
  advertisedPort: number;
  nodeId: number;
  clusterId: string;
  autoCreateTopics: boolean;
  defaultPartitions: number;
  /** what acks=-1 waits for */
  durability: Durability;
  /** SASL/PLAIN users; null = authentication off */
  saslUsers: ReadonlyMap<string, string> | null;
  maxFrameBytes: number;
  /** requests a connection may have in flight before we stop reading from it */
  maxInFlightPerConnection: number;
  /** Kafka's connections.max.idle.ms: a connection with nothing in flight for this long is closed */
  connectionsMaxIdleMs: number;
  /** the same for a connection that has not completed SASL authentication (when SASL is on) */
  preAuthIdleMs: number;
}

/** Everything a request handler may use: shared by all connections of one broker. */
export interface BrokerContext {
  readonly engine: LogEngine;
  readonly coordinator: GroupCoordinator;
  readonly transactions: TransactionCoordinator;
  readonly config: BrokerConfig;
  readonly log: Logger;
  readonly metrics: BrokerMetrics;
  readonly topics: TopicCreator;
}

/** What a handler knows about the connection its request came on. */
export interface ConnectionInfo {
  readonly id: number;
  /** as Kafka reports it in DescribeGroups: "/127.0.0.1" */
  readonly clientHost: string;
  /** aborted when the connection closes, so long polls stop waiting */
  readonly closed: AbortSignal;
  saslMechanism: string | null;
  /** after a SaslHandshake v0 the next frame is a bare SASL token, not a request */
  rawSaslTokenExpected: boolean;
  authenticatedAs: string | null;
  /** close the connection once the response to the current request has been written */
  closeAfterResponse(reason: string): void;
}

export interface RequestMeta {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
}
