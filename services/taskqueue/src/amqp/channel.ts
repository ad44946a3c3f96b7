// One AMQP channel: method dispatch to the broker core, content assembly (method → header →
// body frames), delivery tags and the unacked map, prefetch, publisher confirms, mandatory
// returns, transactions, flow, and the close handshake. Channel errors close only this channel;
// connection errors propagate to ./connection.ts.
import { randomBytes } from 'node:crypto';
import type { Delivery, ExchangeType, FieldTable, Message, MessageProperties, MessageRef, PublishTarget } from '../broker/contract.js';
import { checkExpiration } from '../broker/expiration.js';
import { AmqpChannelError, AmqpConnectionError, ReplyCode } from '../errors.js';
import { fitShortstr } from './buffers.js';
import type { Connection } from './connection.js';
import { Consumer } from './consumer.js';
import { DirectReplyTo, REPLY_TO } from './direct-reply-to.js';
import { decodeContentHeader } from './content-header.js';
import {
  FRAME_BODY,
  FRAME_HEADER,
  FRAME_METHOD,
  writeBodyFrames,
  writeConfirmFrame,
  writeDeliverFrame,
  writeHeaderFrame,
  writeMethodFrame,
} from './frame.js';
import { decodeMethod, methodDef, readPublish, type MethodArgs, type MethodDef } from './methods.js';
import { PublisherConfirms } from './publisher-confirms.js';

const M = {
  openOk: methodDef('channel.open-ok'),
  flowOk: methodDef('channel.flow-ok'),
  close: methodDef('channel.close'),
  closeOk: methodDef('channel.close-ok'),
  accessOk: methodDef('access.request-ok'),
  exchangeDeclareOk: methodDef('exchange.declare-ok'),
  exchangeDeleteOk: methodDef('exchange.delete-ok'),
  exchangeBindOk: methodDef('exchange.bind-ok'),
  exchangeUnbindOk: methodDef('exchange.unbind-ok'),
  queueDeclareOk: methodDef('queue.declare-ok'),
  queueBindOk: methodDef('queue.bind-ok'),
  queuePurgeOk: methodDef('queue.purge-ok'),
  queueDeleteOk: methodDef('queue.delete-ok'),
  queueUnbindOk: methodDef('queue.unbind-ok'),
  qosOk: methodDef('basic.qos-ok'),
  consumeOk: methodDef('basic.consume-ok'),
  cancel: methodDef('basic.cancel'),
  cancelOk: methodDef('basic.cancel-ok'),
  ret: methodDef('basic.return'),
  getOk: methodDef('basic.get-ok'),
  getEmpty: methodDef('basic.get-empty'),
  recoverOk: methodDef('basic.recover-ok'),
  confirmSelectOk: methodDef('confirm.select-ok'),
  txSelectOk: methodDef('tx.select-ok'),
  txCommitOk: methodDef('tx.commit-ok'),
  txRollbackOk: methodDef('tx.rollback-ok'),
};

const PUBLISH_CLASS = 60;
const PUBLISH_METHOD = 40;
const ACK_METHOD = 80;
const TX_CLASS = 90;
const TX_COMMIT_METHOD = 20;
const EXCHANGE_TYPES = new Set(['direct', 'topic', 'fanout', 'headers']);

interface Unacked {
  ref: MessageRef;
  /** null for basic.get */
  consumer: Consumer | null;
}

interface PendingContent {
  exchange: string;
  routingKey: string;
  mandatory: boolean;
  properties: MessageProperties | null;
  bodySize: number;
  body: Buffer | null;
  received: number;
}

/**
 * What a transaction holds until tx.commit. Publishes were checked when they arrived (every error
 * RabbitMQ raises at basic.publish is raised there too) and route at commit through the exchange
 * looked up then; settlements took their tags off the unacked list at once (a second ack of a tag
 * is 406 at once, as in RabbitMQ) and tx.rollback or a channel close puts them back.
 */
type TxEntry =
  | { kind: 'publish'; target: PublishTarget; message: Message; mandatory: boolean }
  | { kind: 'settle'; entries: Array<[number, Unacked]>; action: SettleAction };

type SettleAction = 'ack' | 'requeue' | 'drop';

/** a consumer as the management API lists it */
export interface ConsumerInfo {
  tag: string;
  queue: string;
  ackRequired: boolean;
  exclusive: boolean;
  /** the per-consumer prefetch in force when it subscribed (0 = unlimited) */
  prefetchCount: number;
  arguments: FieldTable;
}

/** a channel as the management API lists it (RabbitMQ's /api/channels fields) */
export interface ChannelInfo {
  number: number;
  /** basic.qos global=false: the prefetch new consumers get */
  prefetchCount: number;
  /** basic.qos global=true: the channel-wide limit */
  globalPrefetchCount: number;
  unacknowledged: number;
  unconfirmed: number;
  uncommitted: number;
  confirm: boolean;
  transactional: boolean;
  /** consumers on queues (direct reply-to consumers are not listed, as in RabbitMQ) */
  consumers: ConsumerInfo[];
}

export class Channel {
  private state: 'open' | 'closing' = 'open';
  /** set by teardown: a tx.commit still waiting for the store is never answered */
  private tornDown = false;
  /** tx.commit answers in order: each waits for the one before */
  private commitAnswers: Promise<void> = Promise.resolve();
  private commitsWaiting = 0;
  private opened = false;
  private content: PendingContent | null = null;
  private deliveryTag = 0;
  private readonly unacked = new Map<number, Unacked>();
  private readonly consumers = new Map<string, Consumer>();
  /** basic.qos global=false: applies to consumers created afterwards */
  private consumerPrefetch = 0;
  /** basic.qos global=true: shared by all consumers of the channel */
  private channelPrefetch = 0;
  /** unacked deliveries to consumers (not basic.get), for the channel-wide limit */
  private consumerUnacked = 0;
  private flowActive = true;
  private confirms: PublisherConfirms | null = null;
  private tx: TxEntry[] | null = null;
  private lastQueue: string | null = null;
  /** this channel's direct reply-to consumer and its reply token */
  private replyConsumer: { consumer: Consumer; token: string } | null = null;

  constructor(
    private readonly conn: Connection,
    readonly number: number,
  ) {}

  get connectionId(): string {
    return this.conn.id;
  }

  info(): ChannelInfo {
    const consumers = [...this.consumers.values()]
      .filter((c) => !c.cancelled && c.queue !== REPLY_TO)
      .map((c) => ({ tag: c.tag, queue: c.queue, ackRequired: !c.noAck, exclusive: c.exclusive, prefetchCount: c.prefetch, arguments: c.arguments }));
    return {
      number: this.number,
      prefetchCount: this.consumerPrefetch,
      globalPrefetchCount: this.channelPrefetch,
      unacknowledged: this.unacked.size,
      unconfirmed: this.confirms?.unconfirmed ?? 0,
      uncommitted: this.tx?.length ?? 0,
      confirm: this.confirms !== null,
      transactional: this.tx !== null,
      consumers,
    };
  }

  // ---------------------------------------------------------------- frames in

  onFrame(type: number, buf: Buffer, start: number, end: number): void {
    if (this.state === 'closing') return this.onFrameWhileClosing(type, buf, start, end);
    if (type === FRAME_METHOD) {
      if (this.content) {
        throw new AmqpConnectionError(
          ReplyCode.UNEXPECTED_FRAME,
          `expected content ${this.content.properties ? 'body' : 'header'} for class 60, got a method frame instead`,
        );
      }
      if (this.opened && end - start >= 4 && buf.readUInt16BE(start) === PUBLISH_CLASS) {
        const methodId = buf.readUInt16BE(start + 2);
        if (methodId === PUBLISH_METHOD) {
          const p = readPublish(buf, start, end);
          if (p && !p.immediate) {
            this.content = { exchange: p.exchange, routingKey: p.routingKey, mandatory: p.mandatory, properties: null, bodySize: 0, body: null, received: 0 };
            return;
          }
        } else if (methodId === ACK_METHOD && end - start === 13) {
          const tag = buf.readUInt32BE(start + 4) * 4294967296 + buf.readUInt32BE(start + 8);
          try {
            this.settle(tag, (buf[start + 12]! & 1) !== 0, 'ack');
          } catch (err) {
            this.fail(err, PUBLISH_CLASS, ACK_METHOD);
          }
          return;
        }
      }
      const { def, args } = decodeMethod(buf, start, end);
      if (!this.opened && def.name !== 'channel.open') {
        throw new AmqpConnectionError(ReplyCode.CHANNEL_ERROR, `expected 'channel.open' on channel ${this.number}, got '${def.name}'`);
      }
      try {
        this.onMethod(def, args);
      } catch (err) {
        this.fail(err, def.classId, def.methodId);
      }
      return;
    }
    if (type === FRAME_HEADER) return this.onHeader(buf, start, end);
    if (type === FRAME_BODY) return this.onBody(buf, start, end);
  }

  private onFrameWhileClosing(type: number, buf: Buffer, start: number, end: number): void {
    // after our channel.close only close-ok (or a crossing close) matters; the rest is discarded
    if (type !== FRAME_METHOD) return;
    let name: string;
    try {
      name = decodeMethod(buf, start, end).def.name;
    } catch {
      return;
    }
    if (name === 'channel.close-ok') {
      this.conn.releaseChannel(this.number);
    } else if (name === 'channel.close') {
      this.conn.sendMethod(this.number, M.closeOk, {});
      this.conn.releaseChannel(this.number);
    }
  }

  private onHeader(buf: Buffer, start: number, end: number): void {
    const c = this.content;
    if (!c || c.properties) {
      throw new AmqpConnectionError(ReplyCode.UNEXPECTED_FRAME, `unexpected content header frame on channel ${this.number}`);
    }
    const h = decodeContentHeader(buf, start, end);
    if (h.classId !== PUBLISH_CLASS) {
      throw new AmqpConnectionError(ReplyCode.UNEXPECTED_FRAME, `content header for class ${h.classId}, expected 60`);
    }
    c.properties = h.properties;
    c.bodySize = h.bodySize;
    const max = this.conn.ctx.limits.maxMessageSize;
    if (h.bodySize > max) {
      this.content = null;
      return this.fail(
        new AmqpChannelError(ReplyCode.PRECONDITION_FAILED, `message size ${h.bodySize} is larger than configured max size ${max}`),
        PUBLISH_CLASS,
        PUBLISH_METHOD,
      );
    }
    if (h.bodySize === 0) {
      c.body = Buffer.alloc(0);
      this.completeContent();
    }
  }

  private onBody(buf: Buffer, start: number, end: number): void {
    const c = this.content;
    if (!c || !c.properties) {
      throw new AmqpConnectionError(ReplyCode.UNEXPECTED_FRAME, `unexpected content body frame on channel ${this.number}`);
    }
    const n = end - start;
    if (c.received + n > c.bodySize) {
      throw new AmqpConnectionError(ReplyCode.FRAME_ERROR, `content body exceeds the declared size ${c.bodySize}`);
    }
    if (c.received === 0 && n === c.bodySize) {
      // the common case: one body frame. Copy out of the socket chunk so a stored message does
      // not pin the whole chunk in memory.
      c.body = Buffer.from(buf.subarray(start, end));
    } else {
      if (!c.body) c.body = Buffer.allocUnsafe(c.bodySize);
      buf.copy(c.body, c.received, start, end);
    }
    c.received += n;
    if (c.received === c.bodySize) this.completeContent();
  }

  private completeContent(): void {
    const c = this.content!;
    this.content = null;
    let message: Message = { exchange: c.exchange, routingKey: c.routingKey, properties: c.properties!, body: c.body! };
    try {
      // RabbitMQ 3.10's order of checks, probed (test/conformance/publish-checks.test.ts): the size
      // (already, at the content header), the exchange (404, then 403 internal), the direct
      // reply-to consumer, user_id, expiration, delivery_mode; all of them at the publish, in a
      // transaction too, so a bad publish closes the channel before tx.commit and nothing of the
      // transaction is applied
      const target = this.conn.broker.publishTarget(message.exchange);
      message = this.withReplyAddress(message);
      this.validateProperties(message.properties);
      if (this.tx) {
        this.tx.push({ kind: 'publish', target, message, mandatory: c.mandatory });
      } else {
        this.publish(message, c.mandatory, target);
      }
    } catch (err) {
      this.fail(err, PUBLISH_CLASS, PUBLISH_METHOD);
    }
  }

  /** a reply to a direct reply-to consumer: straight to it, no queue involved */
  private reply(message: Message): { routed: boolean; accepted: boolean; durable: Promise<void> } {
    const target = this.conn.ctx.directReplyTo.consumerFor(message.routingKey);
    if (target) {
      target.deliver({ ref: { queue: REPLY_TO, id: 0 }, queue: REPLY_TO, message, redelivered: false, remaining: 0 });
    }
    return { routed: target !== undefined, accepted: true, durable: Promise.resolve() };
  }

  /** reply_to "amq.rabbitmq.reply-to" becomes this channel's reply address */
  private withReplyAddress(message: Message): Message {
    if (message.properties.replyTo !== REPLY_TO) return message;
    if (!this.replyConsumer) {
      throw new AmqpChannelError(ReplyCode.PRECONDITION_FAILED, 'fast reply consumer does not exist');
    }
    return { ...message, properties: { ...message.properties, replyTo: DirectReplyTo.address(this.replyConsumer.token) } };
  }

  private validateProperties(p: MessageProperties): void {
    if (p.userId !== undefined && p.userId !== this.conn.user) {
      throw new AmqpChannelError(
        ReplyCode.PRECONDITION_FAILED,
        `user_id property set to '${p.userId}' but authenticated user was '${this.conn.user}'`,
      );
    }
    if (p.expiration !== undefined) {
      const ttl = checkExpiration(p.expiration);
      if (typeof ttl === 'string') throw new AmqpChannelError(ReplyCode.PRECONDITION_FAILED, ttl);
    }
    const mode = p.deliveryMode;
    if (mode !== undefined && mode !== 1 && mode !== 2) {
      throw new AmqpChannelError(ReplyCode.PRECONDITION_FAILED, `invalid message: {delivery_mode_unknown,${mode}}`);
    }
  }

  /**
   * Answers tx.commit once every persistent message the transaction published is in the message
   * store (after fsync, as publisher confirms), as RabbitMQ does: a client that saw tx.commit-ok
   * may forget its messages, so a crash right after must not lose them. Commits answer in the
   * order they came, a later one with nothing to store included.
   */
  private answerCommit(onDisk: Promise<void>[]): void {
    if (onDisk.length === 0 && this.commitsWaiting === 0) {
      this.conn.sendMethod(this.number, M.txCommitOk, {});
      return;
    }
    this.commitsWaiting++;
    const stored = Promise.all(onDisk);
    this.commitAnswers = this.commitAnswers
      .then(() => stored)
      .then(
        () => {
          if (this.state === 'open' && !this.tornDown) this.conn.sendMethod(this.number, M.txCommitOk, {});
        },
        (err: unknown) => {
          this.conn.log.error({ conn: this.conn.name, channel: this.number, err }, 'message store failed; tx.commit not confirmed');
          if (this.state === 'open' && !this.tornDown) {
            this.conn.fail(new AmqpConnectionError(ReplyCode.INTERNAL_ERROR, `the message store failed at tx.commit: ${(err as Error)?.message ?? err}`), TX_CLASS, TX_COMMIT_METHOD);
          }
        },
      )
      .finally(() => {
        this.commitsWaiting--;
      });
  }

  /** accepted is false when a queue refused it (x-overflow reject-publish); durable settles once it is stored */
  private publish(message: Message, mandatory: boolean, target: PublishTarget): { accepted: boolean; durable: Promise<void> } {
    const stats = this.conn.ctx.stats;
    stats.published++;
    this.conn.notePublish();
    const confirms = this.confirms;
    const seq = confirms ? confirms.next() : 0;
    const result = message.exchange === '' && DirectReplyTo.isReplyAddress(message.routingKey) ? this.reply(message) : this.conn.broker.publish(message, target);
    if (!result.routed && mandatory) {
      stats.returned++;
      const w = this.conn.w;
      writeMethodFrame(w, this.number, M.ret, {
        replyCode: ReplyCode.NO_ROUTE,
        replyText: 'NO_ROUTE',
        exchange: message.exchange,
        routingKey: message.routingKey,
      });
      writeHeaderFrame(w, this.number, message.body.length, message.properties);
      writeBodyFrames(w, this.number, message.body, this.conn.frameMax);
      this.conn.scheduleFlush();
    }
    if (!confirms) {
      // the durable promise still settles; keep an unhandled rejection from taking us down
      result.durable.catch(() => {});
      return result;
    }
    if (!result.accepted) {
      result.durable.catch(() => {});
      confirms.settle(seq, false);
      return result;
    }
    result.durable.then(
      () => confirms.settle(seq, true),
      (err: unknown) => {
        this.conn.log.error({ conn: this.conn.name, err }, 'message store failed; nacking publish');
        confirms.settle(seq, false);
      },
    );
    return result;
  }

  // ---------------------------------------------------------------- methods

  private onMethod(def: MethodDef, a: MethodArgs): void {
    const broker = this.conn.broker;
    const reply = (d: MethodDef, args: MethodArgs = {}): void => {
      if (!a.nowait) this.conn.sendMethod(this.number, d, args);
    };
    switch (def.name) {
      case 'channel.open':
        if (this.opened) throw new AmqpConnectionError(ReplyCode.CHANNEL_ERROR, `second 'channel.open' seen`);
        this.opened = true;
        this.conn.sendMethod(this.number, M.openOk, { channelId: '' });
        return;
      case 'channel.flow':
        this.flowActive = a.active as boolean;
        this.conn.sendMethod(this.number, M.flowOk, { active: this.flowActive });
        if (this.flowActive) this.wakeConsumers();
        return;
      case 'channel.flow-ok':
        return;
      case 'channel.close':
        this.teardown();
        this.conn.sendMethod(this.number, M.closeOk, {});
        this.conn.releaseChannel(this.number);
        return;
      case 'channel.close-ok':
        return;
      case 'access.request':
        this.conn.sendMethod(this.number, M.accessOk, { ticket: 1 });
        return;

      case 'exchange.declare': {
        const type = a.type as string;
        if (!a.passive && !EXCHANGE_TYPES.has(type)) {
          throw new AmqpConnectionError(ReplyCode.COMMAND_INVALID, `unknown exchange type '${type}'`);
        }
        broker.declareExchange(
          a.exchange,
          type as ExchangeType,
          { durable: a.durable, autoDelete: a.autoDelete, internal: a.internal, arguments: a.arguments },
          a.passive,
        );
        return reply(M.exchangeDeclareOk);
      }
      case 'exchange.delete':
        broker.deleteExchange(a.exchange, a.ifUnused);
        return reply(M.exchangeDeleteOk);
      case 'exchange.bind':
        broker.bindExchange(a.destination, a.source, a.routingKey, a.arguments);
        return reply(M.exchangeBindOk);
      case 'exchange.unbind':
        broker.unbindExchange(a.destination, a.source, a.routingKey, a.arguments);
        return reply(M.exchangeUnbindOk);

      case 'queue.declare': {
        const r = broker.declareQueue(
          a.queue,
          {
            durable: a.durable,
            exclusiveOwner: a.exclusive ? this.conn.id : null,
            autoDelete: a.autoDelete,
            arguments: a.arguments,
          },
          a.passive,
          this.conn.id,
        );
        this.lastQueue = r.queue;
        return reply(M.queueDeclareOk, r);
      }
      case 'queue.bind':
        broker.bindQueue(this.queueName(a.queue), a.exchange, this.routingKeyFor(a.queue, a.routingKey), a.arguments, this.conn.id);
        return reply(M.queueBindOk);
      case 'queue.unbind':
        broker.unbindQueue(this.queueName(a.queue), a.exchange, this.routingKeyFor(a.queue, a.routingKey), a.arguments, this.conn.id);
        this.conn.sendMethod(this.number, M.queueUnbindOk, {});
        return;
      case 'queue.purge': {
        const messageCount = broker.purgeQueue(this.queueName(a.queue), this.conn.id);
        return reply(M.queuePurgeOk, { messageCount });
      }
      case 'queue.delete': {
        const messageCount = broker.deleteQueue(this.queueName(a.queue), a.ifUnused, a.ifEmpty, this.conn.id);
        return reply(M.queueDeleteOk, { messageCount });
      }

      case 'basic.qos':
        if (a.prefetchSize !== 0) {
          throw new AmqpConnectionError(ReplyCode.NOT_IMPLEMENTED, `prefetch_size!=0 (${a.prefetchSize})`);
        }
        if (a.global) {
          this.channelPrefetch = a.prefetchCount;
          this.wakeConsumers();
        } else {
          this.consumerPrefetch = a.prefetchCount;
        }
        this.conn.sendMethod(this.number, M.qosOk, {});
        return;
      case 'basic.consume':
        return this.consume(a);
      case 'basic.cancel': {
        const c = this.consumers.get(a.consumerTag);
        if (c) {
          this.consumers.delete(c.tag);
          c.cancelled = true;
          if (c === this.replyConsumer?.consumer) this.dropReplyConsumer();
          else broker.cancel(c.queue, c.tag);
        }
        return reply(M.cancelOk, { consumerTag: a.consumerTag });
      }
      case 'basic.publish':
        if (a.immediate) throw new AmqpConnectionError(ReplyCode.NOT_IMPLEMENTED, 'immediate=true');
        this.content = {
          exchange: a.exchange,
          routingKey: a.routingKey,
          mandatory: a.mandatory,
          properties: null,
          bodySize: 0,
          body: null,
          received: 0,
        };
        return;
      case 'basic.get':
        return this.get(a);
      case 'basic.ack':
        return this.settle(a.deliveryTag, a.multiple, 'ack');
      case 'basic.reject':
        return this.settle(a.deliveryTag, false, a.requeue ? 'requeue' : 'drop');
      case 'basic.nack':
        return this.settle(a.deliveryTag, a.multiple, a.requeue ? 'requeue' : 'drop');
      case 'basic.recover':
      case 'basic.recover-async':
        if (!a.requeue) throw new AmqpConnectionError(ReplyCode.NOT_IMPLEMENTED, 'requeue=false');
        this.requeueAll();
        if (def.name === 'basic.recover') this.conn.sendMethod(this.number, M.recoverOk, {});
        return;

      case 'confirm.select':
        if (this.tx) throw new AmqpChannelError(ReplyCode.PRECONDITION_FAILED, 'cannot switch from tx to confirm mode');
        if (!this.confirms) {
          this.confirms = new PublisherConfirms(
            (tag, multiple, ack) => this.sendConfirm(tag, multiple, ack),
            () => this.conn.flush(),
          );
        }
        return reply(M.confirmSelectOk);
      case 'tx.select':
        if (this.confirms) throw new AmqpChannelError(ReplyCode.PRECONDITION_FAILED, 'cannot switch from confirm to tx mode');
        this.tx ??= [];
        this.conn.sendMethod(this.number, M.txSelectOk, {});
        return;
      case 'tx.commit': {
        if (!this.tx) throw new AmqpChannelError(ReplyCode.PRECONDITION_FAILED, 'channel is not transactional');
        const entries = this.tx;
        this.tx = [];
        let refused = false;
        const onDisk: Promise<void>[] = [];
        for (const e of entries) {
          if (e.kind === 'publish') {
            const published = this.publish(e.message, e.mandatory, e.target);
            refused = !published.accepted || refused;
            onDisk.push(published.durable);
          } else for (const [, u] of e.entries) this.release(u, e.action);
        }
        // a queue refused a publish (x-overflow reject-publish): RabbitMQ applies the rest of the
        // transaction, then closes the channel with these words instead of tx.commit-ok
        if (refused) throw new AmqpChannelError(ReplyCode.PRECONDITION_FAILED, 'partial tx completion');
        this.answerCommit(onDisk);
        return;
      }
      case 'tx.rollback':
        if (!this.tx) throw new AmqpChannelError(ReplyCode.PRECONDITION_FAILED, 'channel is not transactional');
        this.restoreUnacked(this.tx);
        this.tx = [];
        this.conn.sendMethod(this.number, M.txRollbackOk, {});
        return;

      default:
        throw new AmqpConnectionError(ReplyCode.COMMAND_INVALID, `unexpected method '${def.name}' from client`);
    }
  }

  /** "" means the queue this channel declared last (as RabbitMQ allows) */
  private queueName(name: string): string {
    if (name !== '') return name;
    if (this.lastQueue === null) throw new AmqpChannelError(ReplyCode.NOT_FOUND, 'no previously declared queue');
    return this.lastQueue;
  }

  private routingKeyFor(queue: string, routingKey: string): string {
    // queue.bind with empty queue and empty routing key binds with the last queue's name
    return queue === '' && routingKey === '' ? this.queueName('') : routingKey;
  }

  private consume(a: MethodArgs): void {
    const queue = this.queueName(a.queue);
    let tag = a.consumerTag as string;
    if (tag === '') tag = `amq.ctag-${randomBytes(16).toString('base64url')}`;
    else if (this.consumers.has(tag)) {
      throw new AmqpConnectionError(ReplyCode.NOT_ALLOWED, `attempt to reuse consumer tag '${tag}'`);
    }
    if (queue === REPLY_TO) return this.consumeReplies(tag, a);
    const consumer = new Consumer(this, tag, queue, a.noAck, this.consumerPrefetch, consumerPriority(a.arguments as FieldTable, queue, this.conn.vhost));
    consumer.exclusive = a.exclusive === true;
    consumer.arguments = (a.arguments as FieldTable | undefined) ?? {};
    // the core validates and attaches; deliveries wait until consume-ok is written
    this.conn.broker.consume(queue, consumer, a.exclusive);
    this.consumers.set(tag, consumer);
    if (!a.nowait) this.conn.sendMethod(this.number, M.consumeOk, { consumerTag: tag });
    consumer.ready = true;
    this.conn.dirtyQueues.add(queue);
  }

  /** basic.consume on amq.rabbitmq.reply-to: no queue, a token in the server-wide registry */
  private consumeReplies(tag: string, a: MethodArgs): void {
    if (!a.noAck) throw new AmqpChannelError(ReplyCode.PRECONDITION_FAILED, 'reply consumer cannot acknowledge');
    if (this.replyConsumer) throw new AmqpChannelError(ReplyCode.PRECONDITION_FAILED, 'reply consumer already set');
    const consumer = new Consumer(this, tag, REPLY_TO, true, 0);
    this.replyConsumer = { consumer, token: this.conn.ctx.directReplyTo.register(consumer) };
    this.consumers.set(tag, consumer);
    if (!a.nowait) this.conn.sendMethod(this.number, M.consumeOk, { consumerTag: tag });
    consumer.ready = true;
  }

  private dropReplyConsumer(): void {
    if (!this.replyConsumer) return;
    this.conn.ctx.directReplyTo.unregister(this.replyConsumer.token);
    this.replyConsumer = null;
  }

  private get(a: MethodArgs): void {
    const d = this.conn.broker.get(this.queueName(a.queue), a.noAck, this.conn.id);
    if (!d) {
      this.conn.sendMethod(this.number, M.getEmpty, { clusterId: '' });
      return;
    }
    const tag = ++this.deliveryTag;
    if (!a.noAck) this.unacked.set(tag, { ref: d.ref, consumer: null });
    this.conn.ctx.stats.delivered++;
    const w = this.conn.w;
    const m = d.message;
    writeMethodFrame(w, this.number, M.getOk, {
      deliveryTag: tag,
      redelivered: d.redelivered,
      exchange: m.exchange,
      routingKey: m.routingKey,
      messageCount: d.remaining,
    });
    writeHeaderFrame(w, this.number, m.body.length, m.properties);
    writeBodyFrames(w, this.number, m.body, this.conn.frameMax);
    this.conn.scheduleFlush();
  }

  private settle(tag: number, multiple: boolean, action: SettleAction): void {
    const entries = this.takeUnacked(tag, multiple);
    // in a transaction the tags leave the unacked list now and the queue learns at commit
    if (this.tx) this.tx.push({ kind: 'settle', entries, action });
    else for (const [, u] of entries) this.release(u, action);
  }

  /** the deliveries an ack/nack/reject names, taken off the unacked list (406 for an unknown tag) */
  private takeUnacked(tag: number, multiple: boolean): Array<[number, Unacked]> {
    if (!multiple) {
      const u = this.unacked.get(tag);
      if (!u) this.unknownTag(tag);
      this.unacked.delete(tag);
      return [[tag, u]];
    }
    if (tag !== 0 && !this.unacked.has(tag)) this.unknownTag(tag);
    const taken: Array<[number, Unacked]> = [];
    for (const [t, u] of this.unacked) {
      if (tag !== 0 && t > tag) break;
      taken.push([t, u]);
    }
    for (const [t] of taken) this.unacked.delete(t);
    return taken;
  }

  /** a transaction's settlements go back on the unacked list, in delivery-tag order */
  private restoreUnacked(entries: TxEntry[]): void {
    const back = entries.flatMap((e) => (e.kind === 'settle' ? e.entries : []));
    if (back.length === 0) return;
    const all = [...this.unacked, ...back].sort((a, b) => a[0] - b[0]);
    this.unacked.clear();
    for (const [t, u] of all) this.unacked.set(t, u);
  }

  private unknownTag(tag: number): never {
    throw new AmqpChannelError(ReplyCode.PRECONDITION_FAILED, `unknown delivery tag ${tag}`);
  }

  private release(u: Unacked, action: 'ack' | 'requeue' | 'drop'): void {
    const c = u.consumer;
    if (c) {
      c.unacked--;
      this.consumerUnacked--;
      if (c.starved && !c.cancelled) {
        c.starved = false;
        this.conn.dirtyQueues.add(c.queue);
      }
      if (this.channelPrefetch > 0) this.wakeConsumers();
    }
    const stats = this.conn.ctx.stats;
    if (action === 'ack') {
      stats.acked++;
      this.conn.broker.ack(u.ref);
    } else {
      stats.rejected++;
      this.conn.broker.reject(u.ref, action === 'requeue');
    }
  }

  // ---------------------------------------------------------------- deliveries out

  /** flow on and the socket keeps up */
  canDeliver(): boolean {
    return this.state === 'open' && this.flowActive && !this.conn.writeBackedUp;
  }

  hasGlobalRoom(): boolean {
    return this.channelPrefetch === 0 || this.consumerUnacked < this.channelPrefetch;
  }

  /** mark starved consumers' queues for a pump at the end of this turn */
  wakeConsumers(): void {
    for (const c of this.consumers.values()) {
      if (c.starved && c.hasRoom()) {
        c.starved = false;
        this.conn.dirtyQueues.add(c.queue);
      }
    }
  }

  deliver(c: Consumer, d: Delivery): void {
    const tag = ++this.deliveryTag;
    if (!c.noAck) {
      this.unacked.set(tag, { ref: d.ref, consumer: c });
      c.unacked++;
      this.consumerUnacked++;
    }
    this.conn.ctx.stats.delivered++;
    const w = this.conn.w;
    const m = d.message;
    writeDeliverFrame(w, this.number, c.tag, tag, d.redelivered, m.exchange, m.routingKey);
    writeHeaderFrame(w, this.number, m.body.length, m.properties);
    writeBodyFrames(w, this.number, m.body, this.conn.frameMax);
    this.conn.scheduleFlush();
  }

  consumerCancelledByServer(c: Consumer): void {
    if (c.cancelled) return;
    c.cancelled = true;
    this.consumers.delete(c.tag);
    if (this.state === 'open' && this.conn.consumerCancelNotify) {
      this.conn.sendMethod(this.number, M.cancel, { consumerTag: c.tag, nowait: true });
    }
  }

  private sendConfirm(tag: number, multiple: boolean, ack: boolean): void {
    if (this.state !== 'open') return;
    const stats = this.conn.ctx.stats;
    if (ack) stats.confirmed++;
    else stats.nacked++;
    writeConfirmFrame(this.conn.w, this.number, ack, tag, multiple);
  }

  // ---------------------------------------------------------------- errors and teardown

  private fail(err: unknown, classId: number, methodId: number): void {
    if (err instanceof AmqpChannelError) {
      this.conn.log.debug({ conn: this.conn.name, channel: this.number, code: err.code, text: err.replyText }, 'channel error');
      this.teardown();
      this.state = 'closing';
      this.conn.sendMethod(this.number, M.close, {
        replyCode: err.code,
        replyText: fitShortstr(err.replyText),
        classId,
        methodId,
      });
      return;
    }
    this.conn.fail(err, classId, methodId);
  }

  private requeueAll(): void {
    const entries = [...this.unacked.values()];
    this.unacked.clear();
    for (const u of entries) this.release(u, 'requeue');
  }

  /** cancel consumers, then requeue what they had not acknowledged; idempotent */
  teardown(): void {
    this.tornDown = true;
    this.content = null;
    this.confirms?.close();
    // what an open transaction settled was never committed: it is requeued with the rest
    if (this.tx) this.restoreUnacked(this.tx);
    this.tx = null;
    const broker = this.conn.broker;
    this.dropReplyConsumer();
    // unacknowledged messages go back before the consumers leave: a single-active-consumer
    // queue hands over to the next consumer as soon as this one is gone, and that consumer must
    // get the requeued messages first, in their original order
    const consumers = [...this.consumers.values()];
    for (const c of consumers) c.cancelled = true;
    this.consumers.clear();
    const entries = [...this.unacked.values()];
    this.unacked.clear();
    this.consumerUnacked = 0;
    for (const u of entries) {
      try {
        broker.reject(u.ref, true);
      } catch (err) {
        if (!(err instanceof AmqpChannelError)) this.conn.log.error({ err }, 'requeue on channel close failed');
      }
    }
    for (const c of consumers) {
      try {
        broker.cancel(c.queue, c.tag);
      } catch {
        // queue already gone
      }
    }
  }
}

/** basic.consume's x-priority argument: an integer, as RabbitMQ requires */
function consumerPriority(args: FieldTable | undefined, queue: string, vhost: string): number {
  const v = args?.['x-priority'];
  if (v === undefined) return 0;
  const n = typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : typeof v === 'object' && v !== null && 'value' in v && typeof v.value !== 'object' ? Number(v.value) : NaN;
  if (!Number.isInteger(n)) {
    throw new AmqpChannelError(ReplyCode.PRECONDITION_FAILED, `invalid arg 'x-priority' for queue '${queue}' in vhost '${vhost}': expected an integer`);
  }
  return n;
}
