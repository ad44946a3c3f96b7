// An exchange and its routing: direct (exact key, hash map), topic (word trie), fanout (every
// binding) and headers (x-match all/any over the message headers).

import type { ExchangeOptions, ExchangeStats, ExchangeType, FieldTable, FieldValue } from './contract.js';
import type { Binding } from './binding.js';
import { canonical, stringArg } from './field-table-values.js';
import { TopicMatcher } from './topic-matcher.js';

export const BUILT_IN_EXCHANGES: ReadonlyArray<[string, ExchangeType]> = [
  ['', 'direct'],
  ['amq.direct', 'direct'],
  ['amq.topic', 'topic'],
  ['amq.fanout', 'fanout'],
  ['amq.headers', 'headers'],
  ['amq.match', 'headers'],
  // RabbitMQ's firehose tracer publishes here when tracing is on; with tracing off (RabbitMQ's default,
  // and all this broker has) it exists, takes bindings and receives nothing. Internal: clients cannot publish.
  ['amq.rabbitmq.trace', 'topic'],
];

/** built-in exchanges clients may not publish to */
export const INTERNAL_BUILT_INS: ReadonlySet<string> = new Set(['amq.rabbitmq.trace']);

export class Exchange {
  readonly bindings = new Map<string, Binding>();
  publishedIn = 0;
  publishedOut = 0;
  private readonly direct = new Map<string, Binding[]>();
  private readonly topic = new TopicMatcher<Binding>();
  /** every binding as an array (fanout routes to all), rebuilt only when bindings change */
  private all: Binding[] | null = null;

  constructor(readonly name: string, readonly type: ExchangeType, readonly options: ExchangeOptions) {}

  get isDefault(): boolean {
    return this.name === '';
  }

  /** true when the binding is new */
  bind(b: Binding): boolean {
    if (this.bindings.has(b.key)) return false;
    this.bindings.set(b.key, b);
    this.all = null;
    if (this.type === 'direct') {
      const list = this.direct.get(b.routingKey);
      if (list) list.push(b);
      else this.direct.set(b.routingKey, [b]);
    } else if (this.type === 'topic') {
      this.topic.add(b.routingKey, b);
    }
    return true;
  }

  unbind(key: string): Binding | undefined {
    const b = this.bindings.get(key);
    if (!b) return undefined;
    this.bindings.delete(key);
    this.all = null;
    if (this.type === 'direct') {
      const list = this.direct.get(b.routingKey)?.filter((x) => x !== b) ?? [];
      if (list.length > 0) this.direct.set(b.routingKey, list);
      else this.direct.delete(b.routingKey);
    } else if (this.type === 'topic') {
      this.topic.remove(b.routingKey, b);
    }
    return b;
  }

  route(routingKey: string, headers: FieldTable | undefined): readonly Binding[] {
    switch (this.type) {
      case 'direct':
        return this.direct.get(routingKey) ?? NONE;
      case 'topic':
        return this.topic.match(routingKey);
      case 'fanout':
        return (this.all ??= [...this.bindings.values()]);
      case 'headers':
        return (this.all ??= [...this.bindings.values()]).filter((b) => headersMatch(b.arguments, headers ?? {}));
    }
  }

  stats(): ExchangeStats {
    return {
      name: this.name,
      vhost: '/',
      type: this.type,
      durable: this.options.durable,
      autoDelete: this.options.autoDelete,
      internal: this.options.internal,
      arguments: this.options.arguments,
      publishedIn: this.publishedIn,
      publishedOut: this.publishedOut,
    };
  }
}

const NONE: readonly Binding[] = [];

/** RabbitMQ's headers exchange: x-match all (default) or any; keys starting "x-" are ignored */
export function headersMatch(bindingArgs: FieldTable, headers: FieldTable): boolean {
  const mode = stringArg(bindingArgs['x-match']) ?? 'all';
  const any = mode === 'any' || mode === 'any-with-x';
  const withX = mode.endsWith('-with-x');
  for (const [k, expected] of Object.entries(bindingArgs)) {
    if (k.startsWith('x-') && !withX) continue;
    if (k === 'x-match') continue;
    const actual = headers[k];
    const ok = actual !== undefined && (isVoid(expected) || canonical(actual) === canonical(expected));
    if (any && ok) return true;
    if (!any && !ok) return false;
  }
  return !any;
}

function isVoid(v: FieldValue): boolean {
  return v === null;
}
