import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { createKafka, vhostOf } from '@riderflow/service-kit';
import type { BrokerStatus, LogPageSnapshot } from '@riderflow/contracts';
import { LiveState } from './core/live-state.js';
import { LogStream } from './adapters/log-stream.js';
import { LogAdmin } from './adapters/log-admin.js';
import { Replays } from './adapters/replay.js';
import { ManagementApi, ratePoint, readQueues, type QueuesSnapshot } from './adapters/management-api.js';
import { RatesHistory } from './core/rates-history.js';
import { LAG_METHOD } from './core/lag-clock.js';
import { QueueActions } from './adapters/queue-actions.js';
import type { DashboardConfig } from './config.js';
import { cityZoneOutlines } from '@riderflow/geo';
import { describeRuntime, type Runtime } from './core/runtime.js';

// Everything the dashboard knows, gathered in one place: the live state folded from its consumer
// group, sampled log and queue snapshots, and the admin adapters. Sampling runs on timers here;
// the socket layer only reads the latest values, so a slow browser can never slow the gateway.

export type { BrokerStatus };

export class Gateway {
  readonly kafka: Kafka;
  readonly live: LiveState;
  /** which log and queues this dashboard reads, for the header */
  readonly runtime: Runtime;
  readonly stream: LogStream;
  readonly logAdmin: LogAdmin;
  readonly replays: Replays;
  readonly mgmt: ManagementApi;
  readonly queueActions: QueueActions;
  queues: QueuesSnapshot | null = null;
  readonly rates = new RatesHistory();
  private swept = false;
  private queuesOkAt = 0;
  private queuesError: string | null = null;
  private readonly timers: NodeJS.Timeout[] = [];
  private streamStarted = false;
  private stopped = false;

  constructor(readonly config: DashboardConfig, private readonly log: Logger) {
    this.live = new LiveState({
      zones: config.CITY_ZONES > 0 ? cityZoneOutlines(config.CITY_ZONES) : undefined,
      fleetSize: config.SIM_RIDERS,
      speed: config.SIM_SPEED,
    });
    this.runtime = describeRuntime(config.shared.kafkaBrokers, config.shared.amqpUrl, config.EMBEDDED_ENGINES);
    this.kafka = createKafka(config.shared, 'riderflow-dashboard', { retry: { retries: 3, initialRetryTime: 300 } });
    this.stream = new LogStream(this.kafka, config.DASHBOARD_GROUP, this.live, 50, log);
    this.logAdmin = new LogAdmin(this.kafka, { metricsUrl: config.LOG_METRICS_URL });
    this.replays = new Replays(this.kafka, this.logAdmin);
    this.mgmt = new ManagementApi(config.shared.amqpManagementUrl, vhostOf(config.shared.amqpUrl));
    this.queueActions = new QueueActions(config.shared);
  }

  start(): void {
    // The platform may start the dashboard before the log (its first page build goes first):
    // the log's reader begins once a broker accepts connections, rather than logging refusals.
    void this.untilLogListens().then(() => {
      if (this.stopped) return;
      void this.startStream();
      this.every(2_000, async () => {
        if (!this.swept) await this.sweepStaleGroups();
        await this.logAdmin.sample();
        if (!this.streamStarted) await this.startStream();
      });
    });
    this.every(1_000, async () => {
      try {
        const q = await readQueues(this.mgmt);
        this.rates.add(ratePoint(q));
        this.queues = { ...q, rates: this.rates.list() };
        this.queuesOkAt = Date.now();
        this.queuesError = null;
      } catch (err) {
        this.queuesError = (err as Error).message;
      }
    });
  }

  private async untilLogListens(): Promise<void> {
    const accepts = (broker: string) => new Promise<boolean>((resolve) => {
      const at = broker.lastIndexOf(':');
      const socket = connect({ host: broker.slice(0, at), port: Number(broker.slice(at + 1)) });
      socket.setTimeout(1_000);
      const done = (ok: boolean) => { socket.destroy(); resolve(ok); };
      socket.once('connect', () => done(true)).once('error', () => done(false)).once('timeout', () => done(false));
    });
    // Bounded: after a minute the usual path takes over and says what is wrong.
    const deadline = Date.now() + 60_000;
    while (!this.stopped && Date.now() < deadline) {
      if ((await Promise.all(this.config.shared.kafkaBrokers.map(accepts))).some(Boolean)) return;
      await sleep(250);
    }
  }

  /** Once, as soon as the log answers: groups of finished jobs that a crash left behind go. */
  private async sweepStaleGroups(): Promise<void> {
    try {
      const r = await this.logAdmin.sweepStale();
      this.swept = true;
      if (r.deleted.length) this.log.info({ groups: r.deleted }, 'removed consumer groups left behind by finished jobs');
      if (r.failed.length) this.log.warn({ failed: r.failed }, 'could not remove some stale consumer groups');
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'stale-group sweep not possible yet');
    }
  }

  /** The consumer starts once the log answers; until then the status says the log is down. */
  private async startStream(): Promise<void> {
    if (this.streamStarted) return;
    this.streamStarted = true;
    try {
      await this.stream.start();
      this.log.info({ group: this.config.DASHBOARD_GROUP }, 'reading the log');
    } catch (err) {
      this.streamStarted = false;
      this.log.warn({ err: (err as Error).message }, 'log not reachable yet');
      await this.stream.stop().catch(() => {});
    }
  }

  status(now = Date.now()): BrokerStatus[] {
    // The live view is what the reader folds, so "event log live" is the reader's state alone: the
    // admin sampler answering says nothing about a reader that crashed.
    const readAt = this.stream.lastFetchAt;
    const logLive = now - readAt < 6_000 && this.stream.crash === null;
    return [
      { name: 'log', live: logLive, lastOkAt: readAt, error: this.stream.lastError ?? this.logAdmin.lastError, note: this.stream.setAsideNote },
      { name: 'queues', live: now - this.queuesOkAt < 4_000, lastOkAt: this.queuesOkAt, error: this.queuesError },
    ];
  }

  logSnapshot(): (LogPageSnapshot & { lagMethod: string }) | null {
    const s = this.logAdmin.snapshot;
    return s ? { ...s, replays: this.replays.list(), lagMethod: LAG_METHOD } : null;
  }

  private every(ms: number, fn: () => Promise<void>): void {
    let running = false;
    const tick = async () => {
      if (running) return; // never pile up behind a slow broker
      running = true;
      try {
        await fn();
      } catch {
        // errors are kept on the adapters and shown as status
      } finally {
        running = false;
      }
    };
    void tick();
    this.timers.push(setInterval(tick, ms));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    await this.replays.stopAll();
    await this.stream.stop().catch(() => {});
    await this.logAdmin.close().catch(() => {});
    await this.queueActions.close();
  }
}
