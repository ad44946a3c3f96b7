import { randomUUID } from 'node:crypto';
import amqp, { type ChannelModel, type ConfirmChannel, type ConsumeMessage, type Options } from 'amqplib';
import type { Logger } from 'pino';
import { deadLetterHeaders, HEADERS, NotificationTaskSchema, parseWith, redriveCount, SCHEMA_VERSION, type NotificationResult, type NotificationTask } from '@riderflow/contracts';
import type { NotificationLedger } from './ledger.js';
import type { NotifierMetrics } from './metrics.js';
import type { ProviderSet } from './providers.js';
import type { ResultPublisher } from './results.js';
import { stepAfterClaim } from './core/delivery.js';
import { attemptOf, decideAfterFailure } from './core/retry-policy.js';
import type { NotifierTopology } from './topology.js';

export interface NotifierWorkerOptions {
  amqpUrl: string;
  topology: NotifierTopology;
  ledger: NotificationLedger;
  providers: ProviderSet;
  results: ResultPublisher;
  /** Unacknowledged tasks per queue consumer. */
  prefetch: number;
  /** Attempts before a task goes to dead letters. */
  maxAttempts: number;
  workerId?: string;
  logger?: Logger;
  metrics?: NotifierMetrics;
  /** Called when the broker connection is lost while the worker was running (not on stop or abandon). */
  onConnectionLost?(worker: NotifierWorker): void;
  /** Opens the broker connection (default: amqplib's connect). */
  connect?(url: string, connectionName: string): Promise<ChannelModel>;
  /**
   * Once aborted, the worker is gone as if its process had died: every in-flight handler stops at
   * its next step (no ledger write, publish or ack after it) and stop() does nothing. Dropping the
   * connection is up to whoever aborts (the broker then requeues every unacked task); the crash
   * tests do that in test/killable-worker.ts.
   */
  abandon?: AbortSignal;
}

const connectAmqplib = (url: string, connectionName: string): Promise<ChannelModel> => amqp.connect(url, { clientProperties: { connection_name: connectionName } });

/** Thrown inside a handler once the worker has been abandoned: the "process" is gone, nothing more happens. */
class WorkerAbandoned extends Error {}

/**
 * One notifier worker: consumes the customer and ops queues with a prefetch and, per task,
 * claims its idempotency key in the ledger, calls the channel's provider with that key, records
 * the outcome, publishes a notification.result and only then acknowledges the task. A failed send
 * is republished to a TTL retry queue with x-attempt + 1 (exponential backoff) until maxAttempts,
 * then to the dead-letters exchange with the dead-letter contract's headers (origin, reason,
 * attempts, time; the broker's x-death history untouched). Invalid tasks go straight to dead
 * letters. A task an operator redrove (header x-redriven) gets a fresh set of attempts. Every republish waits for the broker's confirm before the original is acked, so a
 * crash at any point leaves the task (or its copy) on a queue: at-least-once delivery, made
 * exactly-once sending by the ledger claim plus the provider's idempotency key.
 */
export class NotifierWorker {
  readonly id: string;
  private connection: ChannelModel | undefined;
  private channel: ConfirmChannel | undefined;
  private consumerTags: string[] = [];
  private inFlight = new Set<Promise<void>>();
  private stopping = false;
  private readonly log: Logger | undefined;

  constructor(private readonly options: NotifierWorkerOptions) {
    this.id = options.workerId ?? `notifier-${randomUUID().slice(0, 8)}`;
    this.log = options.logger?.child({ worker: this.id });
  }

  private get dead(): boolean {
    return this.options.abandon?.aborted ?? false;
  }

  /** Deliveries being handled right now. */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  async start(): Promise<void> {
    const { topology } = this.options;
    this.connection = await (this.options.connect ?? connectAmqplib)(this.options.amqpUrl, this.id);
    this.connection.on('error', (err: Error) => this.log?.warn({ err: err.message }, 'amqp connection error'));
    this.connection.on('close', () => {
      this.log?.info('amqp connection closed');
      if (!this.stopping && !this.dead) this.options.onConnectionLost?.(this);
    });
    this.channel = await this.connection.createConfirmChannel();
    this.channel.on('error', (err: Error) => this.log?.warn({ err: err.message }, 'amqp channel error'));
    await topology.declare(this.channel);
    await this.channel.prefetch(this.options.prefetch);
    for (const queue of [topology.queues.customer, topology.queues.ops]) {
      const { consumerTag } = await this.channel.consume(queue, (msg) => {
        if (!msg) {
          // The broker cancelled us: the queue was deleted. Staying connected would look healthy
          // and receive nothing for ever; closing the connection takes the lost-connection path
          // (the service exits and the supervisor restarts it, which declares the queue again).
          this.log?.error({ queue }, 'consumer cancelled by the broker (the queue was deleted?); closing the connection');
          void this.connection?.close().catch(() => undefined);
          return;
        }
        const p = this.handle(msg, queue).finally(() => this.inFlight.delete(p));
        this.inFlight.add(p);
      });
      this.consumerTags.push(consumerTag);
    }
    this.log?.info({ prefetch: this.options.prefetch }, 'notifier worker consuming');
  }

  /** Graceful stop: no new deliveries, in-flight tasks finish and are acked, then disconnect. */
  async stop(): Promise<void> {
    if (this.dead) return; // an abandoned worker has nothing left to stop
    this.stopping = true;
    const ch = this.channel;
    if (ch) for (const tag of this.consumerTags) await ch.cancel(tag).catch(() => undefined);
    await Promise.allSettled([...this.inFlight]);
    await this.connection?.close().catch(() => undefined);
  }

  private alive(): void {
    if (this.dead) throw new WorkerAbandoned();
  }

  private async handle(msg: ConsumeMessage, queue: string): Promise<void> {
    const started = process.hrtime.bigint();
    let status = 'error';
    try {
      status = await this.process(msg, queue);
      this.alive();
      this.channel!.ack(msg);
    } catch (err) {
      if (err instanceof WorkerAbandoned || this.dead) return;
      // The ledger, the log or the broker failed, not the task: put it back after a pause.
      status = 'requeued';
      this.log?.error({ err: (err as Error).message }, 'task handling failed; requeueing');
      await new Promise((r) => setTimeout(r, 500));
      try { this.channel?.nack(msg, false, true); } catch { /* channel gone: the broker requeues it */ }
    } finally {
      const m = this.options.metrics;
      if (m && !this.dead) {
        m.outcomes.inc({ status });
        m.handleSeconds.observe({ status }, Number(process.hrtime.bigint() - started) / 1e9);
      }
    }
  }

  /** Handles one delivery up to (not including) its ack; returns the outcome for metrics. */
  private async process(msg: ConsumeMessage, queue: string): Promise<string> {
    const parsed = parseWith(NotificationTaskSchema, msg.content);
    if (!parsed.ok) {
      await this.publishDeadLetter(msg, queue, parsed.reason, attemptOf(msg.properties.headers, HEADERS.attempt));
      return 'invalid';
    }
    const task = parsed.value;
    let attempt = attemptOf(msg.properties.headers, HEADERS.attempt);
    const { ledger, providers } = this.options;

    const delivery = { redelivered: msg.fields.redelivered, redriven: redriveCount(msg.properties.headers) > 0, maxAttempts: this.options.maxAttempts };
    let step = stepAfterClaim(await ledger.claim(task, attempt, this.id), delivery);
    this.alive();
    if (step.kind === 'reopen') {
      // One worker reopens the dead key and starts its attempts again; the others claim anew.
      if (await ledger.reopenDead(task.idempotencyKey, this.id)) {
        attempt = 1;
        step = { kind: 'send' };
      } else {
        step = stepAfterClaim(await ledger.claim(task, attempt, this.id), { ...delivery, redriven: false });
      }
      this.alive();
    }
    switch (step.kind) {
      case 'result':
        await this.publishResult(task, step.status, step.attempts);
        return step.status;
      case 'dead_letter':
        await this.publishDeadLetter(msg, queue, step.reason, step.attempts);
        this.alive();
        await this.publishResult(task, 'dead_lettered', step.attempts, step.reason);
        return 'dead_lettered';
      case 'defer':
        await this.publishRetry(msg, 0, attempt);
        return 'deferred';
      case 'reopen': // never twice: the claim after a reopen attempt is not treated as redriven
        throw new Error('a claim after a reopen attempt asked to reopen again');
      case 'send':
        break;
    }

    const provider = providers[task.channel];
    let receipt;
    try {
      receipt = await provider.send({ idempotencyKey: task.idempotencyKey, notificationId: task.notificationId, recipient: task.recipient, template: task.template, data: task.data });
    } catch (err) {
      this.alive();
      this.options.metrics?.providerCalls.inc({ channel: task.channel, result: 'failed' });
      return await this.afterFailure(msg, queue, task, attempt, (err as Error).message ?? String(err));
    }
    this.alive();
    this.options.metrics?.providerCalls.inc({ channel: task.channel, result: receipt.deduplicated ? 'deduplicated' : 'sent' });
    await ledger.markSent(task.idempotencyKey, attempt, receipt.providerMessageId);
    this.alive();
    await this.publishResult(task, 'sent', attempt);
    return 'sent';
  }

  private async afterFailure(msg: ConsumeMessage, queue: string, task: NotificationTask, attempt: number, error: string): Promise<string> {
    const { ledger, maxAttempts, topology } = this.options;
    const decision = decideAfterFailure(attempt, maxAttempts, topology.retrySteps.length, error);
    if (decision.kind === 'retry') {
      const recorded = await ledger.markFailed(task.idempotencyKey, this.id, attempt, error, false);
      this.alive();
      if (!recorded) return 'superseded'; // another worker took the key over after our lease ran out
      await this.publishRetry(msg, decision.stepIndex, decision.nextAttempt);
      this.alive();
      await this.publishResult(task, 'failed', attempt, error);
      return 'retried';
    }
    const recorded = await ledger.markFailed(task.idempotencyKey, this.id, attempt, error, true);
    this.alive();
    if (!recorded) return 'superseded';
    await this.publishDeadLetter(msg, queue, decision.reason, attempt);
    this.alive();
    await this.publishResult(task, 'dead_lettered', attempt, decision.reason);
    return 'dead_lettered';
  }

  private async publishResult(task: NotificationTask, status: NotificationResult['status'], attempts: number, reason?: string): Promise<void> {
    const result: NotificationResult = {
      type: 'notification.result',
      v: SCHEMA_VERSION,
      id: `${task.notificationId}:${status}:${attempts}`,
      // Simulated time, like every event on the log: the record timestamp is the task's time.
      ts: task.ts,
      notificationId: task.notificationId,
      idempotencyKey: task.idempotencyKey,
      channel: task.channel,
      status,
      attempts,
      ...(reason ? { reason } : {}),
    };
    await this.options.results.publish(result);
    this.alive();
  }

  private async publishRetry(msg: ConsumeMessage, stepIndex: number, nextAttempt: number): Promise<void> {
    const { topology } = this.options;
    const originalKey = topology.originalRoutingKey(msg.fields.routingKey);
    // Every header stays, the broker's x-death history included; only the attempt moves on.
    await this.publishConfirmed(topology.exchanges.retry, topology.retryRoutingKey(stepIndex, originalKey), msg, {
      ...msg.properties.headers,
      [HEADERS.attempt]: nextAttempt,
    });
  }

  /** To dead letters under the one contract: where it came from is where a redrive puts it back. */
  private async publishDeadLetter(msg: ConsumeMessage, queue: string, reason: string, attempts: number): Promise<void> {
    const { topology } = this.options;
    const routingKey = topology.originalRoutingKey(msg.fields.routingKey);
    this.log?.warn({ reason, routingKey }, 'task dead-lettered');
    await this.publishConfirmed(topology.exchanges.deadLetters, routingKey, msg, deadLetterHeaders(msg.properties.headers, {
      origin: { exchange: topology.exchanges.notifications, routingKey, queue },
      reason,
      attempts,
    }));
  }

  private publishConfirmed(exchange: string, routingKey: string, msg: ConsumeMessage, headers: Record<string, unknown>): Promise<void> {
    const channel = this.channel!;
    // The message's own properties travel as they came (absent stays absent): a body that is not
    // JSON must not be dead-lettered labelled application/json, or a redrive re-labels it again.
    const { contentType, contentEncoding, correlationId, messageId, type, appId, timestamp } = msg.properties;
    const options: Options.Publish = {
      persistent: true,
      contentType, contentEncoding, correlationId, messageId, type, appId, timestamp,
      headers,
    };
    return new Promise((resolve, reject) => {
      channel.publish(exchange, routingKey, msg.content, options, (err) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve()));
    });
  }
}
