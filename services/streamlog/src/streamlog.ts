import type http from 'node:http';
import { pino, type Logger } from 'pino';
import { openLogEngine } from './storage/index.js';
import type { Durability, LogEngine, TopicConfig } from './storage/contract.js';
import { KafkaServer } from './server/kafka-server.js';
import { BrokerMetrics } from './server/metrics.js';
import { startHttpServer } from './server/http-server.js';

export interface StreamlogOptions {
  /** bind address; default 127.0.0.1 */
  host?: string;
  /** Kafka listener port; 0 = ephemeral (read handle.port); default 9092 */
  port?: number;
  dataDir: string;
  /** /metrics and /healthz; omitted = no HTTP server; 0 = ephemeral */
  httpPort?: number;
  /** create unknown topics named in Metadata requests; default true */
  autoCreateTopics?: boolean;
  /** partitions of auto-created topics and of CreateTopics with num_partitions -1; default 1 */
  defaultPartitions?: number;
  /** what acks=-1 waits for: 'fsync' (default) or 'none' (answered after the write) */
  durability?: Durability;
  /** SASL/PLAIN users (user → password); omitted or empty = authentication off */
  saslUsers?: Record<string, string>;
  /** topic defaults (retention, segment size); retention by age defaults to -1 (keep forever) because records carry simulated time */
  topicDefaults?: Partial<TopicConfig>;
  /** largest request frame accepted; default 100 MiB like Kafka's socket.request.max.bytes */
  maxFrameBytes?: number;
  /** Kafka's group.initial.rebalance.delay.ms; default 0 */
  initialRebalanceDelayMs?: number;
  /** Kafka's offsets.retention.check.interval.ms: how often groups with no members and no offsets are forgotten; default 10 min */
  emptyGroupCheckMs?: number;
  /** port written into Metadata answers when clients reach the broker through a proxy; default: the bound port */
  advertisedPort?: number;
  /** total partitions this broker will hold; default: what the process's open-file limit allows */
  partitionBudget?: number;
  /** how often retention and the log cleaner run; default 15 s (Kafka's log.cleaner.backoff.ms) */
  logCleanerIntervalMs?: number;
  /** how often open transactions are checked against their timeout; default 1 s */
  transactionTimeoutCheckMs?: number;
  /** Kafka's connections.max.idle.ms; default 10 minutes */
  connectionsMaxIdleMs?: number;
  /** idle limit before SASL authentication completes (SASL on); default 10 s */
  preAuthIdleMs?: number;
  /** pino logger; default: silent */
  logger?: Logger;
  /** add process CPU/RSS metrics to /metrics (only for the one broker of a process) */
  processMetrics?: boolean;
}

export interface StreamlogHandle {
  host: string;
  port: number;
  /** "host:port", ready for a Kafka client's brokers list */
  brokers: string;
  engine: LogEngine;
  httpPort?: number;
  /** stop listening, close client connections, flush and close the engine */
  close(): Promise<void>;
}

/** Open the log in `dataDir` and serve it over the Kafka protocol. */
export async function startStreamlog(options: StreamlogOptions): Promise<StreamlogHandle> {
  const log = options.logger ?? pino({ level: 'silent' });
  const host = options.host ?? '127.0.0.1';
  const defaultPartitions = options.defaultPartitions ?? 1;
  const engine = await openLogEngine({
    dataDir: options.dataDir,
    defaults: { partitions: defaultPartitions, retentionMs: -1, ...options.topicDefaults },
    retentionCheckMs: options.logCleanerIntervalMs ?? 15_000,
    onBackgroundError: (err, context) => log.error({ err, context }, 'storage background task failed'),
  });
  const metrics = new BrokerMetrics(options.processMetrics ?? false);
  metrics.watchDirtyRatios(function* () {
    for (const t of engine.listTopics()) {
      if (!t.config.cleanupPolicy.startsWith('compact')) continue;
      for (let p = 0; p < t.config.partitions; p++) {
        const partition = engine.partition(t.name, p);
        if (partition) yield { topic: t.name, partition: p, ratio: partition.dirtyRatio() };
      }
    }
  });
  const users = options.saslUsers && Object.keys(options.saslUsers).length > 0 ? new Map(Object.entries(options.saslUsers)) : null;
  let kafka: KafkaServer;
  try {
    kafka = await KafkaServer.listen({
      host,
      port: options.port ?? 9092,
      engine,
      log,
      metrics,
      autoCreateTopics: options.autoCreateTopics ?? true,
      defaultPartitions,
      durability: options.durability ?? 'fsync',
      saslUsers: users,
      maxFrameBytes: options.maxFrameBytes,
      initialRebalanceDelayMs: options.initialRebalanceDelayMs,
      emptyGroupCheckMs: options.emptyGroupCheckMs,
      advertisedPort: options.advertisedPort,
      partitionBudget: options.partitionBudget,
      transactionTimeoutCheckMs: options.transactionTimeoutCheckMs,
      connectionsMaxIdleMs: options.connectionsMaxIdleMs,
      preAuthIdleMs: options.preAuthIdleMs,
    });
  } catch (err) {
    await engine.close();
    throw err;
  }
  let closing = false;
  let httpServer: http.Server | undefined;
  if (options.httpPort !== undefined) {
    try {
      httpServer = await startHttpServer(host, options.httpPort, metrics, log, () => !closing);
    } catch (err) {
      await kafka.close();
      await engine.close();
      throw err;
    }
  }
  const port = kafka.port;
  log.info({ host, port, dataDir: options.dataDir, sasl: users !== null, durability: options.durability ?? 'fsync' }, 'streamlog listening');
  let closed: Promise<void> | null = null;
  return {
    host: kafka.host,
    port,
    brokers: `${kafka.host}:${port}`,
    engine,
    httpPort: httpServer ? (httpServer.address() as { port: number }).port : undefined,
    close() {
      closed ??= (async () => {
        closing = true;
        await kafka.close();
        if (httpServer) {
          httpServer.closeAllConnections();
          await new Promise<void>((resolve) => httpServer!.close(() => resolve()));
        }
        await engine.close();
        log.info({ port }, 'streamlog closed');
      })();
      return closed;
    },
  };
}
