// The broker core's public shape. The AMQP 0-9-1 server (src/amqp: frames, methods, connection,
// channel) is written against these interfaces; the core (src/broker: exchange, queue, binding,
// message store, dead-lettering) implements them. Delivery tags and prefetch belong to the channel;
// the core knows queues, messages and consumers.

export type ExchangeType = 'direct' | 'topic' | 'fanout' | 'headers';

/** AMQP field-table values as the codec decodes them */
export type FieldValue =
  | string | number | bigint | boolean | null | Buffer | Date
  | FieldValue[] | { [key: string]: FieldValue }
  | { type: 'decimal'; scale: number; value: number }
  | { type: 'float' | 'double' | 'byte' | 'unsignedbyte' | 'short' | 'unsignedshort' | 'int' | 'long' | 'unsigned'; value: number | bigint };
export type FieldTable = Record<string, FieldValue>;

/** basic.* content header properties; absent ones are undefined */
export interface MessageProperties {
  contentType?: string;
  contentEncoding?: string;
  headers?: FieldTable;
  deliveryMode?: number; // 2 = persistent
  priority?: number;
  correlationId?: string;
  replyTo?: string;
  expiration?: string; // per-message TTL, milliseconds as a string
  messageId?: string;
  timestamp?: bigint; // seconds
  type?: string;
  userId?: string;
  appId?: string;
  clusterId?: string;
}

export interface Message {
  exchange: string;
  routingKey: string;
  properties: MessageProperties;
  body: Buffer;
}

/** A message as handed to a consumer or basic.get; `ref` is what ack/reject take back. */
export interface Delivery {
  ref: MessageRef;
  queue: string;
  message: Message;
  redelivered: boolean;
  /** messages left in the queue after this one was taken (basic.get-ok message-count) */
  remaining: number;
}

/** Opaque handle on one delivered, unacknowledged message */
export interface MessageRef {
  readonly queue: string;
  readonly id: number;
}

/** A consumer as the core sees it; the channel implements it and applies prefetch in canAccept(). */
export interface ConsumerSink {
  readonly tag: string;
  /** owning connection id (exclusive queues, cleanup) */
  readonly connectionId: string;
  readonly noAck: boolean;
  /** basic.consume x-priority: higher-priority consumers are served first while they have room (default 0) */
  readonly priority?: number;
  /** false while the channel's or consumer's prefetch window is full or the channel is flow-stopped */
  canAccept(): boolean;
  /** push one message; the core already counts it unacked unless noAck */
  deliver(delivery: Delivery): void;
  /** the queue was deleted under the consumer (basic.cancel from the server, when the client supports it) */
  cancelledByServer(): void;
}

export interface ExchangeOptions {
  durable: boolean;
  autoDelete: boolean;
  internal: boolean;
  arguments: FieldTable;
}

export interface QueueOptions {
  durable: boolean;
  /** connection id owning an exclusive queue, or null */
  exclusiveOwner: string | null;
  autoDelete: boolean;
  arguments: FieldTable; // x-dead-letter-exchange, x-dead-letter-routing-key, x-message-ttl, x-max-length, x-overflow, x-expires, ...
}

export interface QueueDeclareResult {
  queue: string;
  messageCount: number;
  consumerCount: number;
}

/**
 * The exchange a basic.publish names, looked up when the publish arrives (a transaction routes
 * through it at commit, as RabbitMQ does: a queue bound or declared before the commit gets the
 * message, and deleting the exchange before the commit does not lose it). Opaque outside the core.
 */
export interface PublishTarget {
  readonly name: string;
}

export interface PublishResult {
  /** routed to at least one queue (for mandatory → basic.return) */
  routed: boolean;
  /** false when x-overflow=reject-publish refused it in some queue (confirm → basic.nack) */
  accepted: boolean;
  /** resolves once every persistent copy is fsynced (publisher confirms wait on it) */
  durable: Promise<void>;
}

export interface QueueStats {
  name: string;
  vhost: string;
  durable: boolean;
  autoDelete: boolean;
  exclusive: boolean;
  arguments: FieldTable;
  messages: number;
  messagesReady: number;
  messagesUnacknowledged: number;
  consumers: number;
  bytes: number;
  /** cumulative counters; the management API turns them into rates */
  published: number;
  delivered: number;
  acked: number;
  redelivered: number;
  deadLettered: number;
}

export interface ExchangeStats {
  name: string;
  vhost: string;
  type: ExchangeType;
  durable: boolean;
  autoDelete: boolean;
  internal: boolean;
  arguments: FieldTable;
  publishedIn: number;
  publishedOut: number;
}

export interface BindingInfo {
  source: string;
  destination: string;
  destinationType: 'queue' | 'exchange';
  routingKey: string;
  arguments: FieldTable;
}

export interface BrokerOptions {
  dataDir: string;
  /** 'fsync' (default): confirms after fsync, batched; 'none': after the write (tests, benches) */
  durability?: 'fsync' | 'none';
  /** the virtual host this broker serves, named in error texts (default "/") */
  vhost?: string;
}

/**
 * Every method throws AmqpChannelError / AmqpConnectionError from ../errors.ts with RabbitMQ's
 * reply codes and texts (404 NOT_FOUND, 406 PRECONDITION_FAILED, 405 RESOURCE_LOCKED,
 * 403 ACCESS_REFUSED, ...). `connectionId` identifies the calling connection for exclusivity.
 */
export interface Broker {
  declareExchange(name: string, type: ExchangeType, options: ExchangeOptions, passive: boolean): void;
  deleteExchange(name: string, ifUnused: boolean): void;
  bindExchange(destination: string, source: string, routingKey: string, args: FieldTable): void;
  unbindExchange(destination: string, source: string, routingKey: string, args: FieldTable): void;

  /** empty name → server-generated "amq.gen-…" */
  declareQueue(name: string, options: QueueOptions, passive: boolean, connectionId: string): QueueDeclareResult;
  deleteQueue(name: string, ifUnused: boolean, ifEmpty: boolean, connectionId: string): number;
  purgeQueue(name: string, connectionId: string): number;
  bindQueue(queue: string, exchange: string, routingKey: string, args: FieldTable, connectionId: string): void;
  unbindQueue(queue: string, exchange: string, routingKey: string, args: FieldTable, connectionId: string): void;

  /**
   * basic.publish's exchange checks, made when the publish arrives: 404 no exchange, then 403
   * internal (RabbitMQ's order; its message checks — user_id, expiration, delivery_mode — come after)
   */
  publishTarget(exchange: string): PublishTarget;
  /** route and enqueue; through `target` when given (a transaction's commit), else message.exchange */
  publish(message: Message, target?: PublishTarget): PublishResult;

  /** attach a consumer (exclusive → 403 ACCESS_REFUSED if the queue has consumers); starts delivering at once */
  consume(queue: string, sink: ConsumerSink, exclusive: boolean): void;
  cancel(queue: string, consumerTag: string): void;
  /** basic.get: null when empty */
  get(queue: string, noAck: boolean, connectionId: string): Delivery | null;

  ack(ref: MessageRef): void;
  /** nack/reject: requeue → back at its original position with redelivered; else dead-letter (reason 'rejected') or drop */
  reject(ref: MessageRef, requeue: boolean): void;
  /** the channel's prefetch window opened: offer messages to this queue's consumers again */
  pump(queue: string): void;

  /** a connection closed: delete its exclusive queues (its channels requeue their unacked first) */
  connectionClosed(connectionId: string): void;

  queues(): QueueStats[];
  exchanges(): ExchangeStats[];
  bindings(): BindingInfo[];
  /** non-destructive look at up to `count` ready messages (management API; RabbitMQ lacks it) */
  peek(queue: string, count: number): Message[];

  close(): Promise<void>;
}

/** Implemented in ./broker.ts, re-exported from ../index.ts */
export type OpenBroker = (options: BrokerOptions) => Promise<Broker>;
