// The one dead-letter contract. Every place that sets a task aside (the validating queue consumer,
// the notifier) writes these headers, and every place that reads or redrives a dead letter (the
// dashboard, the redrive CLI, the walkthrough) reads them through `readDeadLetter`.
//
// Two writers exist and both are covered:
// - the broker, when a queue with x-dead-letter-exchange rejects, expires or drops a message: it
//   writes x-death, x-first-death-* (and x-last-death-* on RabbitMQ 3.13+). We never touch those.
// - our code, when it republishes a task to `dead-letters` itself: it adds the x-original-*,
//   x-reason, x-attempt and x-dead-lettered-at headers below, and keeps every other header
//   (including any x-death from earlier deaths) as it was.
// The origin is ours when present (it is always the latest death: redrive strips our headers),
// else the broker's newest x-death entry.

/** Header names of the contract. */
export const DEAD_LETTER_HEADERS = {
  originExchange: 'x-original-exchange',
  originRoutingKey: 'x-original-routing-key',
  originQueue: 'x-original-queue',
  /** Why, in one line. */
  reason: 'x-reason',
  /** Attempts made before giving up (the task's own attempt counter). */
  attempts: 'x-attempt',
  /** When it was set aside: ISO 8601 UTC. */
  at: 'x-dead-lettered-at',
  /** Set by redrive: how many times this message has been redriven. */
  redriven: 'x-redriven',
  /** Set by redrive: which run put it back (a copy that dies again at once is recognised by it). */
  redriveRun: 'x-redrive-run',
} as const;

/** What the broker writes; kept untouched by everyone. */
export const BROKER_DEATH_HEADERS = [
  'x-death',
  'x-first-death-reason', 'x-first-death-queue', 'x-first-death-exchange',
  'x-last-death-reason', 'x-last-death-queue', 'x-last-death-exchange',
] as const;

/** Headers that describe one death by our code; redrive removes them so the message is as it was before. */
const OUR_DEATH_HEADERS = [
  DEAD_LETTER_HEADERS.originExchange, DEAD_LETTER_HEADERS.originRoutingKey, DEAD_LETTER_HEADERS.originQueue,
  DEAD_LETTER_HEADERS.reason, DEAD_LETTER_HEADERS.at,
];

export interface DeadLetterOrigin {
  exchange: string;
  routingKey: string;
  queue: string;
}

export interface DeadLetterFacts {
  origin: DeadLetterOrigin;
  /** One line; newlines and runs of spaces are collapsed, long reasons are cut at 500 characters. */
  reason: string;
  attempts: number;
  at?: Date;
}

/** One line, bounded: a stack trace or a multi-line provider error must not end up in a header. */
export function oneLine(text: string, max = 500): string {
  const flat = text.replace(/\s+/g, ' ').trim() || 'no reason given';
  return flat.length > max ? flat.slice(0, max - 1) + '…' : flat;
}

/**
 * The headers of a dead letter our code publishes to `dead-letters`: the message's own headers
 * (broker's x-death etc. untouched) plus the origin, the reason in one line, the attempts and the time.
 */
export function deadLetterHeaders(existing: Record<string, unknown> | undefined, facts: DeadLetterFacts): Record<string, unknown> {
  return {
    ...(existing ?? {}),
    [DEAD_LETTER_HEADERS.originExchange]: facts.origin.exchange,
    [DEAD_LETTER_HEADERS.originRoutingKey]: facts.origin.routingKey,
    [DEAD_LETTER_HEADERS.originQueue]: facts.origin.queue,
    [DEAD_LETTER_HEADERS.reason]: oneLine(facts.reason),
    [DEAD_LETTER_HEADERS.attempts]: facts.attempts,
    [DEAD_LETTER_HEADERS.at]: (facts.at ?? new Date()).toISOString(),
  };
}

/** What a dead letter says about itself. */
export type DeadLetterInfo =
  | { known: true; origin: DeadLetterOrigin; reason: string; attempts: number | null; at: string | null; by: 'consumer' | 'broker' }
  | { known: false; why: string; reason: string | null };

interface BrokerDeath { queue?: unknown; reason?: unknown; exchange?: unknown; 'routing-keys'?: unknown; count?: unknown; time?: unknown }

// A header value may arrive as bytes (amqplib gives long strings as a Buffer, which is a Uint8Array).
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return utf8.decode(v);
  return undefined;
}

function num(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  if (v && typeof v === 'object' && 'value' in v) return num((v as { value: unknown }).value);
  return null;
}

function deathTime(v: unknown): string | null {
  if (v instanceof Date) return v.toISOString();
  const n = num(v); // AMQP timestamps are seconds
  return n === null ? null : new Date(n * 1000).toISOString();
}

/** Reads the contract (ours first, then the broker's newest x-death). Never throws. */
export function readDeadLetter(headers: Record<string, unknown> | undefined | null): DeadLetterInfo {
  const h = headers ?? {};
  const reason = str(h[DEAD_LETTER_HEADERS.reason]);
  const exchange = str(h[DEAD_LETTER_HEADERS.originExchange]);
  const routingKey = str(h[DEAD_LETTER_HEADERS.originRoutingKey]);
  if (exchange !== undefined && routingKey !== undefined) {
    return {
      known: true,
      by: 'consumer',
      origin: { exchange, routingKey, queue: str(h[DEAD_LETTER_HEADERS.originQueue]) ?? '' },
      reason: reason ?? 'no reason given',
      attempts: num(h[DEAD_LETTER_HEADERS.attempts]),
      at: str(h[DEAD_LETTER_HEADERS.at]) ?? null,
    };
  }
  const deaths = Array.isArray(h['x-death']) ? (h['x-death'] as BrokerDeath[]) : [];
  const newest = deaths[0];
  const keys = Array.isArray(newest?.['routing-keys']) ? (newest['routing-keys'] as unknown[]).map(str).filter((k): k is string => k !== undefined) : [];
  const deathExchange = str(newest?.exchange);
  if (newest && deathExchange !== undefined && keys.length > 0) {
    const queue = str(newest.queue) ?? '';
    return {
      known: true,
      by: 'broker',
      origin: { exchange: deathExchange, routingKey: keys[0], queue },
      reason: oneLine(`${str(newest.reason) ?? 'dead-lettered'} by the broker in ${queue || 'a queue'}${(num(newest.count) ?? 1) > 1 ? ` (×${num(newest.count)})` : ''}`),
      attempts: num(h[DEAD_LETTER_HEADERS.attempts]),
      at: deathTime(newest.time),
    };
  }
  if (exchange === undefined && routingKey !== undefined) {
    return { known: false, reason: reason ?? null, why: `it names its routing key (${routingKey}) but not the exchange it came from (no ${DEAD_LETTER_HEADERS.originExchange}, no x-death)` };
  }
  return { known: false, reason: reason ?? null, why: `it carries neither ${DEAD_LETTER_HEADERS.originExchange}/${DEAD_LETTER_HEADERS.originRoutingKey} nor a broker x-death entry, so nothing says where it came from` };
}

/**
 * The headers a redriven message goes back with: the original ones, without the headers of our
 * latest death (the broker's x-death history stays), and with the redrive count raised by one.
 */
export function redriveHeaders(headers: Record<string, unknown> | undefined | null): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(headers ?? {}) };
  for (const h of OUR_DEATH_HEADERS) delete out[h];
  out[DEAD_LETTER_HEADERS.redriven] = (num(out[DEAD_LETTER_HEADERS.redriven]) ?? 0) + 1;
  return out;
}

/** How many times a message has been redriven (0: never). */
export function redriveCount(headers: Record<string, unknown> | undefined | null): number {
  return num(headers?.[DEAD_LETTER_HEADERS.redriven]) ?? 0;
}
