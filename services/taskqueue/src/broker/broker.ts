// The broker core: exchanges, queues and bindings of vhost "/", publishing and routing,
// consumers and acknowledgements, dead-lettering, and the message store behind durable queues.
// No sockets here; the AMQP layer (src/amqp) calls these methods and maps errors to frames.

import { randomBytes } from 'node:crypto';
import { AmqpChannelError, AmqpConnectionError, ReplyCode } from '../errors.js';
import type {
  BindingInfo, Broker, BrokerOptions, ConsumerSink, Delivery, ExchangeOptions, ExchangeStats, ExchangeType,
  FieldTable, Message, MessageRef, PublishResult, PublishTarget, QueueDeclareResult, QueueOptions, QueueStats,
} from './contract.js';
import { makeBinding, type Binding } from './binding.js';
import { deadLetteredMessage, isDeadLetterCycle } from './dead-letter.js';
import { checkExpiration } from './expiration.js';
import { BUILT_IN_EXCHANGES, Exchange, INTERNAL_BUILT_INS } from './exchange.js';
import { canonical, numberArg, rabbitTypeName, rabbitValueText, stringArg } from './field-table-values.js';
import { senderSelected } from './sender-selected.js';
import { Queue, type BrokerTotals, type DeadLetterReason, type QueueHooks, type QueuedMessage } from './queue.js';
export type { BrokerTotals } from './queue.js';
import type { MessageStore, OpenedStore, Topology } from './store-types.js';

/** broker-wide cumulative counters (the management overview turns them into rates) */

const RESOLVED: Promise<void> = Promise.resolve();
const EXCHANGE_TYPES = new Set<ExchangeType>(['direct', 'topic', 'fanout', 'headers']);
/** queue arguments RabbitMQ compares on redeclare */
const EQUIVALENCE_ARGS = [
  'x-expires', 'x-message-ttl', 'x-dead-letter-exchange', 'x-dead-letter-routing-key', 'x-max-length',
  'x-max-length-bytes', 'x-max-priority', 'x-overflow', 'x-queue-mode', 'x-queue-type', 'x-single-active-consumer',
];

const chanErr = (code: number, text: string) => new AmqpChannelError(code, text);

export class CoreBroker implements Broker {
  private qname(name: string): string {
    return `queue '${name}' in vhost '${this.vhost}'`;
  }
  private xname(name: string): string {
    return `exchange '${name}' in vhost '${this.vhost}'`;
  }
  private readonly exchangeMap = new Map<string, Exchange>();
  private readonly queueMap = new Map<string, Queue>();
  /** bindings whose destination is a queue/exchange, to drop them with it */
  private readonly bindingsTo = new Map<string, Set<Binding>>();
  private readonly queueKeys = new Map<Queue, number>();
  private nextId = 1;
  private nextQueueKey = 1;
  private closed = false;
  readonly totals: BrokerTotals = { published: 0, delivered: 0, acked: 0, redelivered: 0, deadLettered: 0, unroutable: 0 };
  private readonly hooks: QueueHooks;

  /** `vhost` names the virtual host in error texts, as RabbitMQ's do ("no queue 'q' in vhost 'v'") */
  constructor(
    private readonly store: MessageStore | null,
    readonly vhost = '/',
  ) {
    for (const [name, type] of BUILT_IN_EXCHANGES) {
      this.exchangeMap.set(name, new Exchange(name, type, { durable: true, autoDelete: false, internal: INTERNAL_BUILT_INS.has(name), arguments: {} }));
    }
    this.hooks = {
      removed: (_q, m) => {
        if (m.persisted) {
          m.persisted = false;
          this.store?.remove(m.id);
        }
      },
      firstDelivery: (_q, m) => this.store?.delivered(m.id),
      deadLetter: (q, m, reason) => this.deadLetter(q, m, reason),
      deleteMe: (q) => {
        if (this.queueMap.get(q.name) === q) this.removeQueue(q);
      },
    };
  }

  /** rebuild state from what the store recovered */
  restore(opened: OpenedStore): void {
    const t = opened.topology;
    if (t) {
      this.nextQueueKey = t.nextQueueKey;
      for (const x of t.exchanges) {
        if (!this.exchangeMap.has(x.name)) {
          this.exchangeMap.set(x.name, new Exchange(x.name, x.type, { durable: true, autoDelete: x.autoDelete, internal: x.internal, arguments: x.arguments }));
        }
      }
      for (const r of t.queues) {
        const q = new Queue(r.name, { durable: true, exclusiveOwner: null, autoDelete: r.autoDelete, arguments: r.arguments }, this.hooks, this.totals);
        this.queueMap.set(r.name, q);
        this.queueKeys.set(q, r.key);
      }
      for (const b of t.bindings) {
        const src = this.exchangeMap.get(b.source);
        const destOk = b.destinationType === 'queue' ? this.queueMap.has(b.destination) : this.exchangeMap.has(b.destination);
        if (src && destOk) this.addBinding(src, makeBinding(b.source, b.destination, b.destinationType, b.routingKey, b.arguments));
      }
    }
    const byKey = new Map<number, Queue>();
    for (const [q, key] of this.queueKeys) byKey.set(key, q);
    for (const r of opened.messages) {
      this.nextId = Math.max(this.nextId, r.id + 1);
      const q = byKey.get(r.queueKey);
      if (!q) {
        this.store?.remove(r.id);
        continue;
      }
      q.restore({ id: r.id, message: r.message, size: r.message.body.length, expiresAt: r.expiresAt, redelivered: r.redelivered, persisted: true });
    }
    for (const q of this.queueMap.values()) q.drain();
  }

  // ---- exchanges ----

  declareExchange(name: string, type: ExchangeType, options: ExchangeOptions, passive: boolean): void {
    const existing = this.exchangeMap.get(name);
    if (passive) {
      if (!existing) throw chanErr(ReplyCode.NOT_FOUND, `no ${this.xname(name)}`);
      return;
    }
    if (!EXCHANGE_TYPES.has(type)) throw new AmqpConnectionError(ReplyCode.COMMAND_INVALID, `unknown exchange type '${type}'`);
    if (name === '') throw chanErr(ReplyCode.ACCESS_REFUSED, `operation not permitted on the default exchange`);
    // RabbitMQ checks the reserved prefix only for new exchanges: redeclaring amq.direct as it is succeeds
    if (!existing && name.startsWith('amq.')) throw chanErr(ReplyCode.ACCESS_REFUSED, `exchange name '${name}' contains reserved prefix 'amq.*'`);
    if (existing) {
      assertField(existing.type, type, this.xname(name), 'type');
      assertField(existing.options.durable, options.durable, this.xname(name), 'durable');
      assertField(existing.options.autoDelete, options.autoDelete, this.xname(name), 'auto_delete');
      assertField(existing.options.internal, options.internal, this.xname(name), 'internal');
      assertArgs(existing.options.arguments, options.arguments ?? {}, this.xname(name), ['alternate-exchange']);
      return;
    }
    const x = new Exchange(name, type, { ...options, arguments: options.arguments ?? {} });
    this.exchangeMap.set(name, x);
    if (options.durable) this.saveTopology();
  }

  deleteExchange(name: string, ifUnused: boolean): void {
    if (name === '') throw chanErr(ReplyCode.ACCESS_REFUSED, `operation not permitted on the default exchange`);
    if (name.startsWith('amq.')) throw chanErr(ReplyCode.ACCESS_REFUSED, `deletion of system ${this.xname(name)} not allowed`);
    const x = this.exchangeMap.get(name);
    if (!x) return; // RabbitMQ: deleting a missing exchange succeeds
    if (ifUnused && x.bindings.size > 0) throw chanErr(ReplyCode.PRECONDITION_FAILED, `${this.xname(name)} in use`);
    this.removeExchange(x);
  }

  bindExchange(destination: string, source: string, routingKey: string, args: FieldTable): void {
    const dst = this.mustExchange(destination);
    const src = this.mustExchange(source);
    if (dst.isDefault || src.isDefault) throw chanErr(ReplyCode.ACCESS_REFUSED, `operation not permitted on the default exchange`);
    if (this.addBinding(src, makeBinding(source, destination, 'exchange', routingKey, args ?? {})) && src.options.durable && dst.options.durable) this.saveTopology();
  }

  unbindExchange(destination: string, source: string, routingKey: string, args: FieldTable): void {
    const dst = this.mustExchange(destination);
    const src = this.mustExchange(source);
    if (dst.isDefault || src.isDefault) throw chanErr(ReplyCode.ACCESS_REFUSED, `operation not permitted on the default exchange`);
    this.removeBinding(src, makeBinding(source, destination, 'exchange', routingKey, args ?? {}).key);
  }

  // ---- queues ----

  declareQueue(name: string, options: QueueOptions, passive: boolean, connectionId: string): QueueDeclareResult {
    if (passive) {
      const q = this.mustQueue(name, connectionId);
      q.touch();
      return { queue: name, messageCount: q.ready.length, consumerCount: q.consumers.length };
    }
    if (name === '') name = `amq.gen-${randomBytes(16).toString('base64url')}`;
    else if (name.startsWith('amq.')) throw chanErr(ReplyCode.ACCESS_REFUSED, `queue name '${name}' contains reserved prefix 'amq.*'`);
    const args = options.arguments ?? {};
    const existing = this.queueMap.get(name);
    if (existing) {
      const owner = existing.options.exclusiveOwner;
      if (owner !== options.exclusiveOwner && !(owner === null && options.exclusiveOwner === null)) {
        throw lockedError(this.qname(name));
      }
      assertField(existing.options.durable, options.durable, this.qname(name), 'durable');
      assertField(existing.options.autoDelete, options.autoDelete, this.qname(name), 'auto_delete');
      assertArgs(existing.options.arguments, args, this.qname(name), EQUIVALENCE_ARGS);
      existing.touch();
      return { queue: name, messageCount: existing.ready.length, consumerCount: existing.consumers.length };
    }
    validateQueueArgs(this.qname(name), args);
    const q = new Queue(name, { ...options, arguments: args }, this.hooks, this.totals);
    this.queueMap.set(name, q);
    if (this.isStored(q)) {
      this.queueKeys.set(q, this.nextQueueKey++);
      this.saveTopology();
    }
    // every queue is bound to the default exchange by its name (implicitly)
    return { queue: name, messageCount: 0, consumerCount: 0 };
  }

  deleteQueue(name: string, ifUnused: boolean, ifEmpty: boolean, connectionId: string): number {
    const q = this.queueMap.get(name);
    if (!q) return 0; // RabbitMQ: deleting a missing queue succeeds with 0
    this.checkExclusive(q, connectionId);
    if (ifUnused && q.consumers.length > 0) throw chanErr(ReplyCode.PRECONDITION_FAILED, `${this.qname(name)} in use`);
    if (ifEmpty && q.messageCount > 0) throw chanErr(ReplyCode.PRECONDITION_FAILED, `${this.qname(name)} not empty`);
    return this.removeQueue(q);
  }

  purgeQueue(name: string, connectionId: string): number {
    const q = this.mustQueue(name, connectionId);
    return q.purge();
  }

  bindQueue(queue: string, exchange: string, routingKey: string, args: FieldTable, connectionId: string): void {
    const q = this.mustQueue(queue, connectionId);
    const x = this.mustExchange(exchange);
    if (x.isDefault) throw chanErr(ReplyCode.ACCESS_REFUSED, `operation not permitted on the default exchange`);
    if (this.addBinding(x, makeBinding(exchange, queue, 'queue', routingKey, args ?? {})) && this.isStored(q) && x.options.durable) this.saveTopology();
  }

  unbindQueue(queue: string, exchange: string, routingKey: string, args: FieldTable, connectionId: string): void {
    const q = this.mustQueue(queue, connectionId);
    const x = this.mustExchange(exchange);
    if (x.isDefault) throw chanErr(ReplyCode.ACCESS_REFUSED, `operation not permitted on the default exchange`);
    if (this.removeBinding(x, makeBinding(exchange, queue, 'queue', routingKey, args ?? {}).key) && this.isStored(q)) this.saveTopology();
  }

  // ---- messages ----

  publishTarget(exchange: string): Exchange {
    const x = this.exchangeMap.get(exchange);
    if (!x) throw chanErr(ReplyCode.NOT_FOUND, `no ${this.xname(exchange)}`);
    if (x.options.internal) throw chanErr(ReplyCode.ACCESS_REFUSED, `cannot publish to internal ${this.xname(exchange)}`);
    return x;
  }

  publish(message: Message, target?: PublishTarget): PublishResult {
    // a target comes from publishTarget of this core (the contract keeps it opaque)
    const x = target ? (target as Exchange) : this.publishTarget(message.exchange);
    const perMessageTtl = parseExpiration(message.properties.expiration);
    // 1 (transient) and 2 (persistent) are the only delivery modes; RabbitMQ refuses others in these words
    const mode = message.properties.deliveryMode;
    if (mode !== undefined && mode !== 1 && mode !== 2) throw chanErr(ReplyCode.PRECONDITION_FAILED, `invalid message: {delivery_mode_unknown,${mode}}`);
    this.totals.published++;
    let targets = this.route(x, message);
    const cc = senderSelected(message);
    if (cc) {
      message = cc.message;
      const seen = new Set(targets);
      for (const key of cc.keys) {
        for (const q of this.route(x, message, key)) {
          if (!seen.has(q)) {
            seen.add(q);
            targets = [...targets, q];
          }
        }
      }
    }
    if (targets.length === 0) {
      this.totals.unroutable++;
      return { routed: false, accepted: true, durable: RESOLVED };
    }
    return this.deliverTo(targets, message, perMessageTtl);
  }

  private deliverTo(targets: Queue[], message: Message, perMessageTtl: number | undefined, skipCycles = false): PublishResult {
    let accepted = true;
    let durable: Promise<void> | Promise<void>[] = RESOLVED;
    const now = perMessageTtl !== undefined || targets.some((q) => q.messageTtl !== undefined) ? Date.now() : 0;
    const persistent = message.properties.deliveryMode === 2;
    const size = message.body.length;
    for (const q of targets) {
      if (skipCycles && isDeadLetterCycle(message, q.name)) continue;
      if (q.refuses(size)) {
        accepted = false;
        if (q.overflow === 'reject-publish-dlx') {
          const m: QueuedMessage = { id: this.nextId++, message, size, expiresAt: Infinity, redelivered: false, persisted: false };
          q.deadLettered++;
          this.totals.deadLettered++;
          this.deadLetter(q, m, 'maxlen');
        }
        continue;
      }
      const m: QueuedMessage = { id: this.nextId++, message, size, expiresAt: q.expiryFor(perMessageTtl, now), redelivered: false, persisted: false };
      if (persistent && this.store) {
        const key = this.queueKeys.get(q);
        if (key !== undefined) {
          m.persisted = true;
          const p = this.store.append(m.id, key, m.expiresAt, message);
          if (durable === RESOLVED) durable = p;
          else if (Array.isArray(durable)) durable.push(p);
          else durable = [durable as Promise<void>, p];
        }
      }
      q.enqueue(m);
    }
    const all = Array.isArray(durable) ? Promise.all(durable).then(() => undefined) : durable;
    // a store failure must reach confirm channels that wait, never crash the process for the rest
    if (all !== RESOLVED) all.catch(() => undefined);
    return { routed: true, accepted, durable: all };
  }

  /** queues a message reaches from an exchange, following exchange-to-exchange bindings once each */
  private route(x: Exchange, message: Message, routingKey = message.routingKey): Queue[] {
    if (x.isDefault) {
      x.publishedIn++;
      const q = this.queueMap.get(routingKey);
      if (!q) return [];
      x.publishedOut++;
      return [q];
    }
    // the common case: one binding to one queue, no sets or closures needed
    const direct = x.route(routingKey, message.properties.headers);
    if (direct.length === 1 && direct[0].destinationType === 'queue') {
      const q = this.queueMap.get(direct[0].destination);
      if (q) {
        x.publishedIn++;
        x.publishedOut++;
        return [q];
      }
    }
    const out: Queue[] = [];
    const seenQueues = new Set<string>();
    const seenExchanges = new Set<string>([x.name]);
    const visit = (ex: Exchange) => {
      ex.publishedIn++;
      const routed = ex.route(routingKey, message.properties.headers);
      let n = 0;
      for (const b of routed) {
        if (b.destinationType === 'queue') {
          if (seenQueues.has(b.destination)) continue;
          const q = this.queueMap.get(b.destination);
          if (!q) continue;
          seenQueues.add(b.destination);
          out.push(q);
          n++;
        } else {
          if (seenExchanges.has(b.destination)) continue;
          seenExchanges.add(b.destination);
          const next = this.exchangeMap.get(b.destination);
          if (next) {
            n++;
            visit(next);
          }
        }
      }
      ex.publishedOut += n > 0 ? 1 : 0;
      if (n === 0) {
        const alt = stringArg(ex.options.arguments['alternate-exchange']);
        const ae = alt !== undefined ? this.exchangeMap.get(alt) : undefined;
        if (ae && !seenExchanges.has(alt!)) {
          seenExchanges.add(alt!);
          visit(ae);
        }
      }
    };
    visit(x);
    return out;
  }

  private deadLetter(q: Queue, m: QueuedMessage, reason: DeadLetterReason): void {
    const dlx = q.deadLetterExchange;
    if (dlx === undefined) return;
    const x = this.exchangeMap.get(dlx);
    if (!x) return; // RabbitMQ drops it when the dead-letter exchange is missing
    const message = deadLetteredMessage(m.message, q.name, reason, { exchange: dlx, routingKey: q.deadLetterRoutingKey });
    const targets = this.route(x, message);
    if (targets.length > 0) this.deliverTo(targets, message, undefined, true);
  }

  consume(queue: string, sink: ConsumerSink, exclusive: boolean): void {
    const q = this.mustQueue(queue, sink.connectionId);
    if (q.exclusiveConsumer || (exclusive && q.consumers.length > 0)) {
      throw chanErr(ReplyCode.ACCESS_REFUSED, `${this.qname(queue)} in exclusive use`);
    }
    q.addConsumer(sink, exclusive);
  }

  cancel(queue: string, consumerTag: string): void {
    this.queueMap.get(queue)?.removeConsumer(consumerTag);
  }

  get(queue: string, noAck: boolean, connectionId: string): Delivery | null {
    const q = this.mustQueue(queue, connectionId);
    return q.get(noAck);
  }

  ack(ref: MessageRef): void {
    const q = this.queueMap.get(ref.queue);
    q?.ack(ref.id);
  }

  reject(ref: MessageRef, requeue: boolean): void {
    this.queueMap.get(ref.queue)?.reject(ref.id, requeue);
  }

  pump(queue: string): void {
    this.queueMap.get(queue)?.drain();
  }

  connectionClosed(connectionId: string): void {
    for (const q of [...this.queueMap.values()]) {
      if (q.deleted) continue;
      if (q.options.exclusiveOwner === connectionId) {
        this.removeQueue(q);
        continue;
      }
      for (const c of q.consumers.filter((c) => c.connectionId === connectionId)) q.removeConsumer(c.tag, connectionId);
    }
  }

  // ---- introspection ----

  queues(): QueueStats[] {
    return [...this.queueMap.values()].map((q) => q.stats());
  }

  exchanges(): ExchangeStats[] {
    return [...this.exchangeMap.values()].map((x) => x.stats());
  }

  bindings(): BindingInfo[] {
    const out: BindingInfo[] = [];
    // RabbitMQ lists the implicit default-exchange binding of every queue
    for (const q of this.queueMap.values()) out.push({ source: '', destination: q.name, destinationType: 'queue', routingKey: q.name, arguments: {} });
    for (const x of this.exchangeMap.values()) {
      for (const b of x.bindings.values()) out.push({ source: b.source, destination: b.destination, destinationType: b.destinationType, routingKey: b.routingKey, arguments: b.arguments });
    }
    return out;
  }

  peek(queue: string, count: number): Message[] {
    const q = this.queueMap.get(queue);
    if (!q) throw chanErr(ReplyCode.NOT_FOUND, `no ${this.qname(queue)}`);
    return q.peek(count).map((m) => m.message);
  }

  /** like peek, with the flags the management API shows */
  peekDetailed(queue: string, count: number): Array<{ message: Message; redelivered: boolean }> {
    const q = this.queueMap.get(queue);
    if (!q) throw chanErr(ReplyCode.NOT_FOUND, `no ${this.qname(queue)}`);
    return q.peek(count).map((m) => ({ message: m.message, redelivered: m.redelivered }));
  }

  overview(): BrokerTotals {
    return { ...this.totals };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.store?.close();
  }

  // ---- internals ----

  private mustExchange(name: string): Exchange {
    const x = this.exchangeMap.get(name);
    if (!x) throw chanErr(ReplyCode.NOT_FOUND, `no ${this.xname(name)}`);
    return x;
  }

  private mustQueue(name: string, connectionId: string): Queue {
    const q = this.queueMap.get(name);
    if (!q) throw chanErr(ReplyCode.NOT_FOUND, `no ${this.qname(name)}`);
    this.checkExclusive(q, connectionId);
    return q;
  }

  private checkExclusive(q: Queue, connectionId: string): void {
    const owner = q.options.exclusiveOwner;
    if (owner !== null && owner !== connectionId) throw lockedError(this.qname(q.name));
  }

  private isStored(q: Queue): boolean {
    return q.options.durable && q.options.exclusiveOwner === null;
  }

  private addBinding(x: Exchange, b: Binding): boolean {
    if (!x.bind(b)) return false;
    const destKey = `${b.destinationType}\u0000${b.destination}`;
    let set = this.bindingsTo.get(destKey);
    if (!set) this.bindingsTo.set(destKey, (set = new Set()));
    set.add(b);
    return true;
  }

  private removeBinding(x: Exchange, key: string): boolean {
    const b = x.unbind(key);
    if (!b) return false;
    const destKey = `${b.destinationType}\u0000${b.destination}`;
    const set = this.bindingsTo.get(destKey);
    if (set) {
      for (const other of set) if (other.key === key) set.delete(other);
      if (set.size === 0) this.bindingsTo.delete(destKey);
    }
    if (x.options.autoDelete && x.bindings.size === 0 && !x.isDefault && !x.name.startsWith('amq.')) this.removeExchange(x);
    return true;
  }

  private removeBindingsTo(type: 'queue' | 'exchange', name: string): void {
    const set = this.bindingsTo.get(`${type}\u0000${name}`);
    if (!set) return;
    for (const b of [...set]) {
      const src = this.exchangeMap.get(b.source);
      if (src) this.removeBinding(src, b.key);
    }
    this.bindingsTo.delete(`${type}\u0000${name}`);
  }

  private removeExchange(x: Exchange): void {
    if (this.exchangeMap.get(x.name) !== x) return;
    this.exchangeMap.delete(x.name);
    for (const b of [...x.bindings.values()]) {
      const set = this.bindingsTo.get(`${b.destinationType}\u0000${b.destination}`);
      set?.delete(b);
    }
    this.removeBindingsTo('exchange', x.name);
    if (x.options.durable) this.saveTopology();
  }

  private removeQueue(q: Queue): number {
    if (this.queueMap.get(q.name) !== q) return 0;
    this.queueMap.delete(q.name);
    const count = q.destroy();
    this.removeBindingsTo('queue', q.name);
    if (this.queueKeys.delete(q)) this.saveTopology();
    return count;
  }

  /** topology changes are rare: write the whole thing, coalesced per tick */
  private saveTopology(): void {
    // synchronous, so a message journaled for a just-declared queue never precedes its queue
    this.store?.saveTopology(this.topology());
  }

  private topology(): Topology {
    const builtIn = new Set(BUILT_IN_EXCHANGES.map(([n]) => n));
    const exchanges = [...this.exchangeMap.values()]
      .filter((x) => x.options.durable && !builtIn.has(x.name))
      .map((x) => ({ name: x.name, type: x.type, autoDelete: x.options.autoDelete, internal: x.options.internal, arguments: x.options.arguments }));
    const queues = [...this.queueKeys].map(([q, key]) => ({ name: q.name, key, autoDelete: q.options.autoDelete, arguments: q.options.arguments }));
    const bindings = [];
    for (const x of this.exchangeMap.values()) {
      if (!x.options.durable) continue;
      for (const b of x.bindings.values()) {
        const durableDest = b.destinationType === 'queue' ? this.isStoredName(b.destination) : this.exchangeMap.get(b.destination)?.options.durable;
        if (durableDest) bindings.push({ source: b.source, destination: b.destination, destinationType: b.destinationType, routingKey: b.routingKey, arguments: b.arguments });
      }
    }
    return { nextQueueKey: this.nextQueueKey, exchanges, queues, bindings };
  }

  private isStoredName(name: string): boolean {
    const q = this.queueMap.get(name);
    return q !== undefined && this.queueKeys.has(q);
  }
}

/** `queue` as the error names it: "queue 'q' in vhost '/'" */
function lockedError(queue: string): AmqpChannelError {
  return chanErr(
    ReplyCode.RESOURCE_LOCKED,
    `cannot obtain exclusive access to locked ${queue}. It could be originally declared on another connection or the exclusive property is not set on the current connection.`,
  );
}

function assertField(current: unknown, received: unknown, what: string, field: string): void {
  if (current !== received) {
    throw chanErr(ReplyCode.PRECONDITION_FAILED, `inequivalent arg '${field}' for ${what}: received '${String(received)}' but current is '${String(current)}'`);
  }
}

/** an absent argument RabbitMQ takes as equal to this value (but names as none when it differs) */
const IMPLIED_ARGS: FieldTable = { 'x-queue-type': 'classic' };

function assertArgs(current: FieldTable, received: FieldTable, what: string, keys: readonly string[]): void {
  for (const key of keys) {
    const a = current[key];
    const b = received[key];
    if (a === undefined && b === undefined) continue;
    if (key in IMPLIED_ARGS && canonical(a ?? IMPLIED_ARGS[key]) === canonical(b ?? IMPLIED_ARGS[key])) continue;
    if (a !== undefined && b !== undefined && canonical(a) === canonical(b)) continue;
    const text = (v: typeof a) => (v === undefined ? 'none' : `the value '${rabbitValueText(v)}' of type '${rabbitTypeName(v)}'`);
    if (a !== undefined && b !== undefined) {
      throw chanErr(ReplyCode.PRECONDITION_FAILED, `inequivalent arg '${key}' for ${what}: received '${rabbitValueText(b)}' but current is '${rabbitValueText(a)}'`);
    }
    throw chanErr(ReplyCode.PRECONDITION_FAILED, `inequivalent arg '${key}' for ${what}: received ${text(b)} but current is ${text(a)}`);
  }
}

/** `queue` as the errors name it: "queue 'q' in vhost '/'" */
function validateQueueArgs(queue: string, args: FieldTable): void {
  const nonNegative = (key: string, positive = false) => {
    const v = args[key];
    if (v === undefined) return;
    const n = numberArg(v);
    // the wire type decides, as in RabbitMQ: a float 5.0 is no integer
    const type = rabbitTypeName(v);
    if (n === undefined || !Number.isInteger(n) || type === 'float' || type === 'double') {
      throw chanErr(ReplyCode.PRECONDITION_FAILED, `invalid arg '${key}' for ${queue}: "expected integer, got ${type}"`);
    }
    if (n < 0 || (positive && n === 0)) {
      throw chanErr(ReplyCode.PRECONDITION_FAILED, `invalid arg '${key}' for ${queue}: {value_${positive && n === 0 ? 'zero' : 'negative'},${n}}`);
    }
  };
  nonNegative('x-message-ttl');
  nonNegative('x-expires', true);
  nonNegative('x-max-length');
  nonNegative('x-max-length-bytes');
  const maxPriority = args['x-max-priority'];
  if (maxPriority !== undefined) {
    nonNegative('x-max-priority');
    const n = numberArg(maxPriority)!;
    // RabbitMQ keeps one sub-queue per level and caps them at 255
    if (n > 255) throw chanErr(ReplyCode.PRECONDITION_FAILED, `invalid arg 'x-max-priority' for ${queue}: {max_value_exceeded,${n}}`);
  }
  const overflow = args['x-overflow'];
  if (overflow !== undefined && !['drop-head', 'reject-publish', 'reject-publish-dlx'].includes(stringArg(overflow) ?? '')) {
    throw chanErr(ReplyCode.PRECONDITION_FAILED, `invalid arg 'x-overflow' for ${queue}: invalid_overflow`);
  }
}

function parseExpiration(expiration: string | undefined): number | undefined {
  if (expiration === undefined) return undefined;
  const parsed = checkExpiration(expiration);
  if (typeof parsed === 'string') throw chanErr(ReplyCode.PRECONDITION_FAILED, parsed);
  return parsed;
}

export async function openCoreBroker(options: BrokerOptions, openStore: ((options: BrokerOptions) => Promise<OpenedStore>) | null): Promise<CoreBroker> {
  if (!openStore) return new CoreBroker(null, options.vhost);
  const opened = await openStore(options);
  const broker = new CoreBroker(opened.store, options.vhost);
  broker.restore(opened);
  return broker;
}
