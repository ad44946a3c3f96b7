import type { Channel, ConsumeMessage } from 'amqplib';
import type { z } from 'zod';
import type { Logger } from 'pino';
import { deadLetterHeaders, EXCHANGES, HEADERS, parseWith } from '@riderflow/contracts';

/** The attempt a delivery is on: its x-attempt header, 1 when absent or garbage. */
function attemptOf(raw: unknown): number {
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : NaN;
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

export interface ConsumeValidatedOptions {
  /** Unacknowledged messages this consumer may hold (basic.qos); default 50. */
  prefetch?: number;
  logger?: Logger;
  /** Where bad tasks go; default the agreed `dead-letters` (tests isolate themselves with another). */
  deadLetterExchange?: string;
  /** Called after a task is set aside (for metrics and tests). */
  onDeadLetter?(reason: string, msg: ConsumeMessage): void;
  /**
   * Called when the broker cancels this consumer (its queue was deleted, e.g. over the management
   * API). Default: close the channel, so that its owner's lost-channel handling runs (every
   * service stops and the supervisor restarts it, which declares the queue again). Without that,
   * a consumer whose queue was deleted would stay connected, look healthy and receive nothing for
   * ever, while what is published for that queue is dropped as unroutable.
   */
  onCancelled?(queue: string): void;
}

/**
 * Consumes a queue and hands only valid tasks to `handler`; acks after the handler resolves.
 * An invalid task, or one whose handler throws, is republished to the `dead-letters` exchange
 * with the dead-letter contract's headers (origin exchange, routing key and queue, the reason in
 * one line, the attempts, the time; every other header kept) and then acked,
 * so it never blocks the tasks behind it. A handler that wants retries should publish to
 * `notifications.retry` itself and return normally. Returns the consumer tag.
 */
export async function consumeValidated<S extends z.ZodType>(
  channel: Channel,
  queue: string,
  schema: S,
  handler: (task: z.infer<S>, msg: ConsumeMessage) => Promise<void> | void,
  options: ConsumeValidatedOptions = {},
): Promise<string> {
  const { logger } = options;
  await channel.prefetch(options.prefetch ?? 50);

  const setAside = (msg: ConsumeMessage, reason: string) => {
    logger?.warn({ queue, routingKey: msg.fields.routingKey, reason }, 'task dead-lettered');
    try {
      channel.publish(options.deadLetterExchange ?? EXCHANGES.deadLetters, msg.fields.routingKey, msg.content, {
        persistent: true,
        contentType: msg.properties.contentType,
        messageId: msg.properties.messageId,
        headers: deadLetterHeaders(msg.properties.headers, {
          origin: { exchange: msg.fields.exchange, routingKey: msg.fields.routingKey, queue },
          reason,
          attempts: attemptOf(msg.properties.headers?.[HEADERS.attempt]),
        }),
      });
      channel.ack(msg);
    } catch (err) {
      // Channel trouble: let the broker dead-letter it through the queue's x-dead-letter-exchange.
      logger?.error({ err }, 'could not republish to dead-letters; rejecting');
      try { channel.nack(msg, false, false); } catch { /* channel gone; the broker will redeliver */ }
    }
    // A throwing callback must neither reject the consume chain (an unhandled rejection) nor
    // throw into amqplib's delivery dispatch.
    try {
      options.onDeadLetter?.(reason, msg);
    } catch (err) {
      logger?.error({ err, queue }, 'onDeadLetter callback threw; the task is dead-lettered anyway');
    }
  };

  const { consumerTag } = await channel.consume(queue, (msg) => {
    if (!msg) {
      logger?.error({ queue }, 'consumer cancelled by the broker (the queue was deleted?); closing the channel so the service declares it again');
      if (options.onCancelled) options.onCancelled(queue);
      else channel.close().catch(() => { /* closed already */ });
      return;
    }
    const parsed = parseWith(schema, msg.content);
    if (!parsed.ok) return setAside(msg, parsed.reason);
    Promise.resolve()
      .then(() => handler(parsed.value, msg))
      .then(
        () => { try { channel.ack(msg); } catch { /* channel closed; redelivered later */ } },
        (err: unknown) => setAside(msg, `handler failed: ${(err as Error)?.message ?? String(err)}`),
      );
  });
  return consumerTag;
}
