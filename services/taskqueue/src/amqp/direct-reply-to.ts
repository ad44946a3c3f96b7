// RabbitMQ's direct reply-to (RPC without a reply queue): a client consumes from the pseudo-queue
// "amq.rabbitmq.reply-to" (noAck), publishes requests with reply_to "amq.rabbitmq.reply-to", and
// the server rewrites that to "amq.rabbitmq.reply-to.<token>"; a reply published to the default
// exchange with that routing key goes straight to the consumer, never through a queue. Replies
// to a consumer that is gone are unroutable (returned when mandatory), as in RabbitMQ.

import { randomBytes } from 'node:crypto';
import type { Consumer } from './consumer.js';

export const REPLY_TO = 'amq.rabbitmq.reply-to';
const PREFIX = `${REPLY_TO}.`;

/** one per server: reply tokens of every connection's reply consumers */
export class DirectReplyTo {
  private readonly byToken = new Map<string, Consumer>();

  register(consumer: Consumer): string {
    const token = randomBytes(18).toString('base64url');
    this.byToken.set(token, consumer);
    return token;
  }

  unregister(token: string): void {
    this.byToken.delete(token);
  }

  /** the live reply consumer a routing key on the default exchange names, if any */
  consumerFor(routingKey: string): Consumer | undefined {
    if (!routingKey.startsWith(PREFIX)) return undefined;
    const c = this.byToken.get(routingKey.slice(PREFIX.length));
    return c && !c.cancelled ? c : undefined;
  }

  static isReplyAddress(routingKey: string): boolean {
    return routingKey.startsWith(PREFIX);
  }

  static address(token: string): string {
    return PREFIX + token;
  }
}
