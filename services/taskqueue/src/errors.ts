// AMQP errors with RabbitMQ's reply codes. A channel error closes the channel (channel.close);
// a connection error closes the connection (connection.close). The AMQP layer fills in the
// class and method ids of the method that failed.

export const ReplyCode = {
  CONTENT_TOO_LARGE: 311,
  NO_ROUTE: 312,
  NO_CONSUMERS: 313,
  CONNECTION_FORCED: 320,
  INVALID_PATH: 402,
  ACCESS_REFUSED: 403,
  NOT_FOUND: 404,
  RESOURCE_LOCKED: 405,
  PRECONDITION_FAILED: 406,
  FRAME_ERROR: 501,
  SYNTAX_ERROR: 502,
  COMMAND_INVALID: 503,
  CHANNEL_ERROR: 504,
  UNEXPECTED_FRAME: 505,
  RESOURCE_ERROR: 506,
  NOT_ALLOWED: 530,
  NOT_IMPLEMENTED: 540,
  INTERNAL_ERROR: 541,
} as const;

const names = Object.fromEntries(Object.entries(ReplyCode).map(([k, v]) => [v, k])) as Record<number, string>;

abstract class AmqpError extends Error {
  constructor(readonly code: number, readonly text: string) {
    super(`${names[code] ?? code} - ${text}`);
  }
  /** reply-text as RabbitMQ writes it, e.g. "NOT_FOUND - no queue 'q' in vhost '/'" */
  get replyText(): string {
    return this.message;
  }
}

export class AmqpChannelError extends AmqpError {
  override readonly name = 'AmqpChannelError';
}

export class AmqpConnectionError extends AmqpError {
  override readonly name = 'AmqpConnectionError';
}
