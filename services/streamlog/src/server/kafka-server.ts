import net from 'node:net';
import type { Logger } from 'pino';
import type { LogEngine } from '../storage/contract.js';
import { GroupCoordinator } from '../group/coordinator.js';
import type { BrokerConfig, BrokerContext } from './context.js';
import { Connection } from './connection.js';
import { BrokerMetrics } from './metrics.js';
import { TopicCreator } from './topic-creator.js';
import { TransactionCoordinator } from '../txn/transaction-coordinator.js';

export interface KafkaServerOptions extends Partial<Omit<BrokerConfig, 'advertisedPort'>> {
  host: string;
  port: number;
  /** defaults to the bound port */
  advertisedPort?: number;
  engine: LogEngine;
  log: Logger;
  metrics?: BrokerMetrics;
  initialRebalanceDelayMs?: number;
  /** Kafka's offsets.retention.check.interval.ms: how often groups with no members and no offsets are forgotten; default 10 min */
  emptyGroupCheckMs?: number;
  /** total partitions this broker will hold; default: derived from the open-file limit */
  partitionBudget?: number;
  /** how often open transactions are checked against their timeout; default 1 s */
  transactionTimeoutCheckMs?: number;
}

/** The Kafka wire-protocol listener: accepts connections and hands each its own Connection. */
export class KafkaServer {
  readonly ctx: BrokerContext;
  private readonly server: net.Server;
  private readonly connections = new Set<Connection>();
  private nextId = 1;

  private constructor(options: KafkaServerOptions, server: net.Server) {
    const log = options.log;
    const config: BrokerConfig = {
      advertisedHost: options.advertisedHost ?? (options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host),
      advertisedPort: options.advertisedPort ?? 0,
      nodeId: options.nodeId ?? 0,
      clusterId: options.clusterId ?? 'streamlog',
      autoCreateTopics: options.autoCreateTopics ?? true,
      defaultPartitions: options.defaultPartitions ?? 1,
      durability: options.durability ?? 'fsync',
      saslUsers: options.saslUsers ?? null,
      maxFrameBytes: options.maxFrameBytes ?? 100 * 1024 * 1024,
      maxInFlightPerConnection: options.maxInFlightPerConnection ?? 1000,
      connectionsMaxIdleMs: options.connectionsMaxIdleMs ?? 10 * 60_000,
      preAuthIdleMs: options.preAuthIdleMs ?? 10_000,
    };
    const coordinator = new GroupCoordinator({
      offsets: options.engine.offsets,
      initialRebalanceDelayMs: options.initialRebalanceDelayMs,
      emptyGroupCheckMs: options.emptyGroupCheckMs,
      onEvent: (event, fields) => log.info(fields, event),
    });
    const transactions = new TransactionCoordinator({
      engine: options.engine,
      durability: config.durability,
      timeoutCheckMs: options.transactionTimeoutCheckMs,
      onEvent: (event, fields) => log.info(fields, event),
    });
    this.ctx = {
      engine: options.engine,
      coordinator,
      transactions,
      config,
      log,
      metrics: options.metrics ?? new BrokerMetrics(),
      topics: new TopicCreator(options.engine, options.partitionBudget),
    };
    this.server = server;
    server.on('connection', (socket) => this.accept(socket));
  }

  static async listen(options: KafkaServerOptions): Promise<KafkaServer> {
    const server = net.createServer({ noDelay: true });
    const kafka = new KafkaServer(options, server);
    try {
      // transactions a crash left half-ended are completed before any client is served
      await kafka.ctx.transactions.recover();
    } catch (err) {
      kafka.ctx.transactions.close();
      throw err;
    }
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (err) => options.log.error({ err }, 'listener error'));
    if (!options.advertisedPort) kafka.ctx.config.advertisedPort = kafka.port;
    return kafka;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  get host(): string {
    return this.ctx.config.advertisedHost;
  }

  private accept(socket: net.Socket): void {
    const conn = new Connection(this.nextId++, socket, this.ctx, (c) => {
      this.connections.delete(c);
      this.ctx.metrics.connections.set(this.connections.size);
    });
    this.connections.add(conn);
    this.ctx.metrics.connections.set(this.connections.size);
  }

  /** stop accepting, drop clients, release parked group requests; the engine is closed by the caller */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const c of [...this.connections]) c.close();
    this.ctx.coordinator.close();
    this.ctx.transactions.close();
    await closed;
  }
}
