// One queue: the ready list (FIFO, O(1) at both ends), consumers served round-robin as far as
// their prefetch windows allow, unacknowledged messages, and the queue arguments that remove
// messages: x-message-ttl / per-message expiration (expired at the head), x-max-length(-bytes)
// with x-overflow, and x-expires for the queue itself. Anything that leaves the queue goes
// through the hooks so the broker can dead-letter it and the store can forget it.

import type { ConsumerSink, Delivery, Message, QueueOptions, QueueStats } from './contract.js';
import { Deque } from './deque.js';
import { cappedPriority, PriorityDeque, type ReadyList } from './priority-deque.js';
import { numberArg, stringArg } from './field-table-values.js';
import { clearLongTimeout, setLongTimeout, type LongTimer } from './long-timer.js';

export type DeadLetterReason = 'rejected' | 'expired' | 'maxlen';

export interface QueuedMessage {
  /** broker-wide sequence number: unique per copy, increasing in publish order */
  readonly id: number;
  message: Message;
  readonly size: number;
  /** epoch ms after which the message expires (Infinity: never) */
  readonly expiresAt: number;
  redelivered: boolean;
  /** written to the message store (persistent message on a durable queue) */
  persisted: boolean;
}

export interface QueueHooks {
  /** the message left the queue for good (acked, dropped, dead-lettered, purged, deleted) */
  removed(queue: Queue, m: QueuedMessage): void;
  /** first hand-out of a stored message that will await an ack */
  firstDelivery(queue: Queue, m: QueuedMessage): void;
  /** dead-letter it if the queue has a dead-letter exchange (called before removed()) */
  deadLetter(queue: Queue, m: QueuedMessage, reason: DeadLetterReason): void;
  /** x-expires elapsed with the queue unused, or auto-delete after the last consumer left */
  deleteMe(queue: Queue): void;
}

/** broker-wide cumulative counters (the management overview turns them into rates) */
export interface BrokerTotals {
  published: number;
  delivered: number;
  acked: number;
  redelivered: number;
  deadLettered: number;
  unroutable: number;
}

export type Overflow = 'drop-head' | 'reject-publish' | 'reject-publish-dlx';

interface Unacked {
  m: QueuedMessage;
  consumerTag: string | null;
}

export class Queue {
  /** x-max-priority (1..255): one FIFO per priority; absent or 0: a plain FIFO */
  readonly maxPriority: number | undefined;
  readonly ready: ReadyList<QueuedMessage>;
  readonly unacked = new Map<number, Unacked>();
  readonly consumers: ConsumerSink[] = [];
  readonly messageTtl: number | undefined;
  readonly maxLength: number | undefined;
  readonly maxLengthBytes: number | undefined;
  readonly overflow: Overflow;
  readonly expires: number | undefined;
  readonly deadLetterExchange: string | undefined;
  readonly deadLetterRoutingKey: string | undefined;
  readyBytes = 0;
  unackedBytes = 0;
  /** x-single-active-consumer: only the first consumer (highest priority, earliest) receives; the next takes over when it goes */
  readonly singleActive: boolean;
  /** some consumer has a non-zero x-priority: consumers are kept sorted, highest first */
  private prioritised = false;
  /** round-robin position within each consumer priority */
  private readonly priorityRr = new Map<number, number>();
  /** a consumer holds exclusive access (basic.consume exclusive) */
  exclusiveConsumer = false;
  deleted = false;

  published = 0;
  delivered = 0;
  acked = 0;
  redeliveredCount = 0;
  deadLettered = 0;

  private rr = 0;
  private draining = false;
  private drainAgain = false;
  private hadConsumer = false;
  private ttlTimer: LongTimer | undefined;
  private ttlTimerAt = Infinity;
  private expiresTimer: LongTimer | undefined;

  constructor(readonly name: string, readonly options: QueueOptions, private readonly hooks: QueueHooks, private readonly totals: BrokerTotals) {
    const a = options.arguments ?? {};
    this.messageTtl = numberArg(a['x-message-ttl']);
    this.maxLength = numberArg(a['x-max-length']);
    this.maxLengthBytes = numberArg(a['x-max-length-bytes']);
    this.overflow = (stringArg(a['x-overflow']) as Overflow | undefined) ?? 'drop-head';
    this.expires = numberArg(a['x-expires']);
    this.deadLetterExchange = stringArg(a['x-dead-letter-exchange']);
    this.deadLetterRoutingKey = stringArg(a['x-dead-letter-routing-key']);
    this.singleActive = a['x-single-active-consumer'] === true;
    const maxPriority = numberArg(a['x-max-priority']);
    if (maxPriority !== undefined && maxPriority > 0) {
      this.maxPriority = maxPriority;
      this.ready = new PriorityDeque<QueuedMessage>(maxPriority, (m) => cappedPriority(m.message.properties.priority, maxPriority));
    } else {
      this.ready = new Deque<QueuedMessage>();
    }
    this.touch();
  }

  get messageCount(): number {
    return this.ready.length + this.unacked.size;
  }

  /** would x-overflow=reject-publish refuse one more message of this size? */
  refuses(size: number): boolean {
    if (this.overflow === 'drop-head') return false;
    if (this.maxLength !== undefined && this.ready.length >= this.maxLength) return true;
    if (this.maxLengthBytes !== undefined && this.readyBytes + size > this.maxLengthBytes) return true;
    return false;
  }

  /** expiry for a message published now, from x-message-ttl and its expiration property */
  expiryFor(perMessageTtl: number | undefined, now: number): number {
    let ttl = this.messageTtl;
    if (perMessageTtl !== undefined) ttl = ttl === undefined ? perMessageTtl : Math.min(ttl, perMessageTtl);
    return ttl === undefined ? Infinity : now + ttl;
  }

  enqueue(m: QueuedMessage): void {
    this.published++;
    this.pushReady(m);
    this.enforceMaxLength();
    this.drain();
  }

  /** restore a message recovered from disk (ids arrive ascending) */
  restore(m: QueuedMessage): void {
    this.pushReady(m);
  }

  private pushReady(m: QueuedMessage): void {
    this.ready.push(m);
    this.readyBytes += m.size;
  }

  private shiftReady(): QueuedMessage | undefined {
    const m = this.ready.shift();
    if (m) this.readyBytes -= m.size;
    return m;
  }

  private enforceMaxLength(): void {
    if (this.maxLength === undefined && this.maxLengthBytes === undefined) return;
    while (
      this.ready.length > 0 &&
      ((this.maxLength !== undefined && this.ready.length > this.maxLength) ||
        (this.maxLengthBytes !== undefined && this.readyBytes > this.maxLengthBytes))
    ) {
      const head = this.shiftReady()!;
      this.drop(head, 'maxlen');
    }
  }

  private drop(m: QueuedMessage, reason: DeadLetterReason): void {
    this.deadLettered++;
    this.totals.deadLettered++;
    this.hooks.deadLetter(this, m, reason);
    this.hooks.removed(this, m);
  }

  /** deliver ready messages to consumers that can take them; expire what reached its TTL at the head */
  drain(): void {
    if (this.draining) {
      this.drainAgain = true;
      return;
    }
    this.draining = true;
    try {
      do {
        this.drainAgain = false;
        this.drainOnce();
      } while (this.drainAgain && !this.deleted);
    } finally {
      this.draining = false;
    }
    this.armTtlTimer();
  }

  private drainOnce(): void {
    const consumers = this.consumers;
    let now = 0;
    while (this.ready.length > 0) {
      const head = this.ready.peek(0)!;
      if (head.expiresAt !== Infinity) {
        now ||= Date.now();
        if (head.expiresAt < now) {
          this.shiftReady();
          this.drop(head, 'expired');
          continue;
        }
      }
      const n = consumers.length;
      if (n === 0) break;
      let sink: ConsumerSink | undefined;
      if (this.singleActive) {
        const active = consumers[0]!;
        if (active.canAccept()) sink = active;
      } else if (this.prioritised) {
        sink = this.nextByPriority();
      } else {
        for (let i = 0; i < n; i++) {
          const c = consumers[(this.rr + i) % n];
          if (c.canAccept()) {
            sink = c;
            this.rr = (this.rr + i + 1) % n;
            break;
          }
        }
      }
      if (!sink) break;
      this.shiftReady();
      this.handOut(head, sink.noAck, sink.tag);
      sink.deliver(this.delivery(head));
      if (this.deleted) return;
    }
    // messages that cannot be delivered at once expire on the spot (x-message-ttl 0 included)
    while (this.ready.length > 0) {
      const head = this.ready.peek(0)!;
      if (head.expiresAt === Infinity) break;
      now ||= Date.now();
      if (head.expiresAt > now) break;
      this.shiftReady();
      this.drop(head, 'expired');
    }
  }

  /** highest consumer priority with room wins; round-robin among consumers of that priority */
  private nextByPriority(): ConsumerSink | undefined {
    const consumers = this.consumers;
    for (let start = 0; start < consumers.length; ) {
      const p = consumers[start]!.priority ?? 0;
      let end = start + 1;
      while (end < consumers.length && (consumers[end]!.priority ?? 0) === p) end++;
      const size = end - start;
      const rr = (this.priorityRr.get(p) ?? 0) % size;
      for (let i = 0; i < size; i++) {
        const c = consumers[start + ((rr + i) % size)]!;
        if (c.canAccept()) {
          this.priorityRr.set(p, (rr + i + 1) % size);
          return c;
        }
      }
      start = end;
    }
    return undefined;
  }

  private handOut(m: QueuedMessage, noAck: boolean, consumerTag: string | null): void {
    this.delivered++;
    this.totals.delivered++;
    if (m.redelivered) {
      this.redeliveredCount++;
      this.totals.redelivered++;
    }
    if (noAck) {
      this.hooks.removed(this, m);
    } else {
      if (m.persisted && !m.redelivered) this.hooks.firstDelivery(this, m);
      this.unacked.set(m.id, { m, consumerTag });
      this.unackedBytes += m.size;
    }
  }

  private delivery(m: QueuedMessage): Delivery {
    return { ref: { queue: this.name, id: m.id }, queue: this.name, message: m.message, redelivered: m.redelivered, remaining: this.ready.length };
  }

  /** basic.get */
  get(noAck: boolean): Delivery | null {
    this.touch();
    const now = Date.now();
    for (;;) {
      const head = this.shiftReady();
      if (!head) return null;
      if (head.expiresAt <= now) {
        this.drop(head, 'expired');
        continue;
      }
      this.handOut(head, noAck, null);
      const d = this.delivery(head);
      this.armTtlTimer();
      return d;
    }
  }

  private takeUnacked(id: number): QueuedMessage | undefined {
    const u = this.unacked.get(id);
    if (!u) return undefined;
    this.unacked.delete(id);
    this.unackedBytes -= u.m.size;
    return u.m;
  }

  ack(id: number): boolean {
    const m = this.takeUnacked(id);
    if (!m) return false;
    this.acked++;
    this.totals.acked++;
    this.hooks.removed(this, m);
    return true;
  }

  reject(id: number, requeue: boolean): boolean {
    const m = this.takeUnacked(id);
    if (!m) return false;
    if (requeue) {
      m.redelivered = true;
      // back at its original position: ids grow in publish order
      this.ready.insertSorted(m, byId);
      this.readyBytes += m.size;
      this.enforceMaxLength();
      this.drain();
    } else {
      this.drop(m, 'rejected');
    }
    return true;
  }

  addConsumer(sink: ConsumerSink, exclusive: boolean): void {
    const p = sink.priority ?? 0;
    if (p !== 0) this.prioritised = true;
    if (this.prioritised || this.singleActive) {
      // sorted by priority, highest first; equal priorities in arrival order
      let i = this.consumers.length;
      while (i > 0 && (this.consumers[i - 1]!.priority ?? 0) < p) i--;
      this.consumers.splice(i, 0, sink);
    } else {
      this.consumers.push(sink);
    }
    this.hadConsumer = true;
    if (exclusive) this.exclusiveConsumer = true;
    this.stopExpiresTimer();
    this.drain();
  }

  /** true when the consumer existed */
  removeConsumer(tag: string, connectionId?: string): boolean {
    const i = this.consumers.findIndex((c) => c.tag === tag && (connectionId === undefined || c.connectionId === connectionId));
    if (i < 0) return false;
    this.consumers.splice(i, 1);
    if (this.rr > i) this.rr--;
    if (this.rr >= this.consumers.length) this.rr = 0;
    if (this.consumers.length === 0) this.exclusiveConsumer = false;
    if (this.consumers.length === 0 && this.options.autoDelete && this.hadConsumer) {
      this.hooks.deleteMe(this);
      return true;
    }
    this.touch();
    // single active consumer: the next in line takes over at once
    if (this.singleActive && i === 0 && this.consumers.length > 0) this.drain();
    return true;
  }

  /** ready messages are removed; unacknowledged ones stay (as RabbitMQ does) */
  purge(): number {
    const all = this.ready.clear();
    this.readyBytes = 0;
    for (const m of all) this.hooks.removed(this, m);
    this.armTtlTimer();
    return all.length;
  }

  /** the queue is being deleted: forget everything, cancel consumers */
  destroy(): number {
    this.deleted = true;
    const count = this.ready.length;
    for (const m of this.ready.clear()) this.hooks.removed(this, m);
    for (const u of this.unacked.values()) this.hooks.removed(this, u.m);
    this.unacked.clear();
    this.readyBytes = 0;
    this.unackedBytes = 0;
    this.stopExpiresTimer();
    clearLongTimeout(this.ttlTimer);
    this.ttlTimer = undefined;
    const consumers = this.consumers.splice(0);
    for (const c of consumers) c.cancelledByServer();
    return count;
  }

  peek(count: number): QueuedMessage[] {
    const out: QueuedMessage[] = [];
    for (let i = 0; i < count && i < this.ready.length; i++) out.push(this.ready.peek(i)!);
    return out;
  }

  /** the queue was used (declare, get, consumer left): restart the x-expires clock */
  touch(): void {
    if (this.expires === undefined || this.deleted) return;
    this.stopExpiresTimer();
    if (this.consumers.length > 0) return;
    this.expiresTimer = setLongTimeout(() => {
      this.expiresTimer = undefined;
      if (!this.deleted && this.consumers.length === 0) this.hooks.deleteMe(this);
    }, this.expires);
  }

  private stopExpiresTimer(): void {
    clearLongTimeout(this.expiresTimer);
    this.expiresTimer = undefined;
  }

  private armTtlTimer(): void {
    if (this.deleted) return;
    const head = this.ready.peek(0);
    const at = head ? head.expiresAt : Infinity;
    if (at === Infinity) {
      clearLongTimeout(this.ttlTimer);
      this.ttlTimer = undefined;
      this.ttlTimerAt = Infinity;
      return;
    }
    if (this.ttlTimer && this.ttlTimerAt <= at) return;
    clearLongTimeout(this.ttlTimer);
    this.ttlTimerAt = at;
    this.ttlTimer = setLongTimeout(() => {
      this.ttlTimer = undefined;
      this.ttlTimerAt = Infinity;
      this.drain();
    }, Math.max(0, at - Date.now() + 1));
  }

  stats(): QueueStats {
    return {
      name: this.name,
      vhost: '/',
      durable: this.options.durable,
      autoDelete: this.options.autoDelete,
      exclusive: this.options.exclusiveOwner !== null,
      arguments: this.options.arguments,
      messages: this.messageCount,
      messagesReady: this.ready.length,
      messagesUnacknowledged: this.unacked.size,
      consumers: this.consumers.length,
      bytes: this.readyBytes + this.unackedBytes,
      published: this.published,
      delivered: this.delivered,
      acked: this.acked,
      redelivered: this.redeliveredCount,
      deadLettered: this.deadLettered,
    };
  }
}

const byId = (m: QueuedMessage) => m.id;
