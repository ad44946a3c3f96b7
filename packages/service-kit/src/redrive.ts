import { randomUUID } from 'node:crypto';
import type { ChannelModel, ConfirmChannel, Message } from 'amqplib';
import { DEAD_LETTER_HEADERS, EXCHANGES, readDeadLetter, redriveCount, redriveHeaders, type DeadLetterOrigin } from '@riderflow/contracts';

// Redrive: put dead letters back where they came from, each exactly once.
//
// 1. Take at most min(limit, messages ready at the start) and HOLD them unacked: a consumer with
//    that prefetch, cancelled once it has them (one round trip for all, where basic.get costs one
//    per message). A held message cannot be handed out again, and nothing is released before the
//    consumer is cancelled, so no message (nor a copy of a moved one that dies again at once) is
//    picked twice.
// 2. Each message whose origin is known goes back to its origin exchange with its routing key
//    and original headers, as mandatory, on a confirm channel.
// 3. A dead letter is acked only after the broker confirmed its republish AND did not return it as
//    unroutable. Everything else (unknown origin, exchange gone, unroutable, refused) is released
//    back to the queue at the end, untouched, and reported with why.
// 4. A message redriven `maxRedrives` times already (header x-redriven) died again after each of
//    them: a poison message that comes straight back. It is left where it is, with why, unless the
//    operator forces it; moved messages that had been redriven before are counted in the answer,
//    so a redrive never reads as a clean fix when the same messages keep coming back.
// 5. A moved message that dies again at once (a poison message the consumer rejects on sight)
//    lands in the queue again before the redrive ends and would read as "left". Each republish
//    carries the run's id (header x-redrive-run); a throwaway queue bound to the dead-letter
//    exchange sees a copy of everything dead-lettered during the run, so the answer says how many
//    of the moved came straight back and why, waiting for them at most RETURN_WAIT_MS.

export interface RedriveOptions {
  /** The dead-letter queue, e.g. tasks.dead. */
  queue: string;
  /** At most this many messages (default 100). */
  limit?: number;
  /** Look and report, move nothing. */
  dryRun?: boolean;
  /** Leave messages already redriven this many times (default 3) where they are... */
  maxRedrives?: number;
  /** ...unless forced: then every message with a known origin goes back. */
  force?: boolean;
  /**
   * The exchange that dead-letters into `queue` (default dead-letters, which feeds tasks.dead):
   * watched during the run to see moved messages come straight back. Absent exchange: not watched.
   */
  deadLetterExchange?: string;
  /** Wait for moved messages coming back until none came for this long (default RETURN_QUIET_MS)... */
  returnQuietMs?: number;
  /** ...or this long in all (default RETURN_WAIT_MS); it ends at once when every moved one is back. */
  returnWaitMs?: number;
}

/** Redrives after which a message that keeps dying is left in place unless forced. */
export const DEFAULT_MAX_REDRIVES = 3;

export interface RedriveLeft {
  /** First characters of the body, to recognise the message. */
  preview: string;
  routingKey: string;
  why: string;
  /** Times it had been redriven before (header x-redriven). */
  redriven: number;
}

export interface RedriveReport {
  queue: string;
  dryRun: boolean;
  /** Messages looked at. */
  examined: number;
  /** Moved (or, in a dry run, would move) per origin exchange and routing key. */
  moved: { exchange: string; routingKey: string; count: number }[];
  movedTotal: number;
  /** Of the moved, those redriven before (they died again after it) and the most times any was. */
  movedRedrivenBefore: number;
  mostRedriven: number;
  /** Left because they were redriven maxRedrives times already (also listed in `left`). */
  tooOftenRedriven: number;
  maxRedrives: number;
  left: RedriveLeft[];
  /** Of the moved, those dead-lettered again before the redrive ended (they are among `remaining`). */
  cameBack: number;
  /** Why they died again, most frequent first. */
  cameBackWhy: { why: string; count: number }[];
  /** Ready messages in the queue when the redrive ended. */
  remaining: number;
  /** Taking, republishing and acking (what bench:redrive times)... */
  elapsedMs: number;
  /** ...then watching for moved messages that come straight back dead (0 when none moved or no watch). */
  returnWaitMs: number;
  /** The whole answer in words. */
  summary: string;
}

function preview(content: Buffer): string {
  const text = content.toString('utf8').replace(/\s+/g, ' ');
  return text.length > 80 ? text.slice(0, 79) + '…' : text;
}

/** Does `exchange` exist? Asked on a throwaway channel, since a failed check closes its channel. */
async function exchangeExists(connection: ChannelModel, exchange: string): Promise<boolean> {
  if (exchange === '') return true; // the default exchange always exists
  const ch = await connection.createChannel();
  ch.on('error', () => {});
  try {
    await ch.checkExchange(exchange);
    await ch.close().catch(() => {});
    return true;
  } catch {
    return false;
  }
}

/** How long to wait for the next delivery before deciding the queue gave all it had. */
const FIRST_DELIVERY_MS = 2_000;
const NEXT_DELIVERY_MS = 300;

/**
 * Up to `n` messages of `queue`, held unacked: a consumer with prefetch `n`, cancelled once it has
 * `n` (or the queue stops giving: another consumer may have taken some meanwhile).
 */
async function takeAndHold(ch: ConfirmChannel, queue: string, n: number): Promise<Message[]> {
  if (n <= 0) return [];
  const got: Message[] = [];
  let finish!: () => void;
  const done = new Promise<void>((resolve) => { finish = resolve; });
  let timer = setTimeout(finish, FIRST_DELIVERY_MS);
  await ch.prefetch(n);
  const { consumerTag } = await ch.consume(queue, (msg) => {
    if (!msg) return finish(); // cancelled by the broker (queue deleted)
    got.push(msg);
    clearTimeout(timer);
    if (got.length >= n) finish();
    else timer = setTimeout(finish, NEXT_DELIVERY_MS);
  }, { noAck: false });
  await done;
  clearTimeout(timer);
  // Deliveries that arrive before cancel-ok are ours too; the prefetch keeps them at most n.
  await ch.cancel(consumerTag);
  return got;
}

/** After the last ack or return, wait this long for (more) moved messages to come back dead... */
export const RETURN_QUIET_MS = 500;
/** ...and never longer than this in all. */
export const RETURN_WAIT_MS = 3_000;

interface DeadLetterWatch {
  /** headers of every copy dead-lettered since the watch began */
  seen: Record<string, unknown>[];
  /** wall ms of the latest copy */
  lastAt: number;
  stop(): Promise<void>;
}

/**
 * A server-named, exclusive queue bound to the dead-letter exchange, so every message
 * dead-lettered while the redrive runs is seen as a copy (the dead-letter queue itself is
 * untouched). Null when the exchange does not exist.
 */
async function watchDeadLetters(connection: ChannelModel, exchange: string): Promise<DeadLetterWatch | null> {
  const ch = await connection.createChannel();
  ch.on('error', () => {});
  try {
    await ch.checkExchange(exchange);
    const { queue } = await ch.assertQueue('', { exclusive: true, autoDelete: true, durable: false });
    await ch.bindQueue(queue, exchange, '#');
    const watch: DeadLetterWatch = {
      seen: [],
      lastAt: 0,
      stop: async () => { await ch.deleteQueue(queue).catch(() => {}); await ch.close().catch(() => {}); },
    };
    await ch.consume(queue, (msg) => {
      if (!msg) return;
      watch.seen.push(msg.properties.headers ?? {});
      watch.lastAt = Date.now();
    }, { noAck: true });
    return watch;
  } catch {
    await ch.close().catch(() => {});
    return null;
  }
}

/** Waits until every moved message came back, or none came for RETURN_QUIET_MS, or RETURN_WAIT_MS passed. */
async function awaitReturns(watch: DeadLetterWatch, runId: string, moved: number, since: number, quietMs: number, waitMs: number): Promise<Record<string, unknown>[]> {
  const ours = () => watch.seen.filter((h) => str(h[DEAD_LETTER_HEADERS.redriveRun]) === runId);
  const deadline = since + waitMs;
  while (ours().length < moved && Date.now() < deadline && Date.now() - Math.max(since, watch.lastAt) < quietMs) {
    await new Promise((r) => setTimeout(r, 50));
  }
  return ours();
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return undefined;
}

interface Pending { msg: Message; origin: DeadLetterOrigin; times: number; returned: boolean; settled: Promise<string | null> }

/**
 * Moves up to `limit` dead letters of `queue` back to their origin (see the file comment).
 * Opens its own confirm channel on `connection` and closes it when done.
 */
export async function redrive(connection: ChannelModel, options: RedriveOptions): Promise<RedriveReport> {
  const started = performance.now();
  const limit = options.limit ?? 100;
  // The limit becomes a consumer prefetch, a 16-bit number in AMQP.
  if (!Number.isInteger(limit) || limit < 1 || limit > 65_535) throw new Error(`limit must be a whole number from 1 to 65535, got ${limit}`);
  const dryRun = options.dryRun ?? false;
  const maxRedrives = options.maxRedrives ?? DEFAULT_MAX_REDRIVES;
  if (!Number.isInteger(maxRedrives) || maxRedrives < 1) throw new Error(`maxRedrives must be a whole number of at least 1, got ${maxRedrives}`);
  const force = options.force ?? false;
  const runId = randomUUID();
  // watched from before the first republish, so no copy of a moved message that dies is missed
  const watch = dryRun ? null : await watchDeadLetters(connection, options.deadLetterExchange ?? EXCHANGES.deadLetters);
  const ch: ConfirmChannel = await connection.createConfirmChannel();
  let channelError: Error | null = null;
  ch.on('error', (err: Error) => { channelError = err; });

  const left: RedriveLeft[] = [];
  const movedBy = new Map<string, { exchange: string; routingKey: string; count: number }>();
  const held: Message[] = [];
  const toRelease: Message[] = [];
  let movedRedrivenBefore = 0;
  let mostRedriven = 0;
  let tooOftenRedriven = 0;
  const moved = (origin: DeadLetterOrigin, times: number) => {
    count(movedBy, origin);
    if (times > 0) movedRedrivenBefore++;
    mostRedriven = Math.max(mostRedriven, times);
  };
  try {
    const { messageCount } = await ch.checkQueue(options.queue);
    held.push(...(await takeAndHold(ch, options.queue, Math.min(limit, messageCount))));

    const exists = new Map<string, boolean>();
    // Pending publishes in publish order: a basic.return always arrives before the confirm of the
    // same publish, so a return belongs to the oldest publish not yet confirmed.
    const pending: Pending[] = [];
    let confirmedUpTo = 0;
    const onReturn = () => { const p = pending[confirmedUpTo]; if (p) p.returned = true; };
    ch.on('return', onReturn);

    for (const msg of held) {
      const info = readDeadLetter(msg.properties.headers);
      const times = redriveCount(msg.properties.headers);
      if (!info.known) {
        left.push({ preview: preview(msg.content), routingKey: msg.fields.routingKey, why: info.why, redriven: times });
        toRelease.push(msg);
        continue;
      }
      const { origin } = info;
      if (!exists.has(origin.exchange)) exists.set(origin.exchange, await exchangeExists(connection, origin.exchange));
      if (!exists.get(origin.exchange)) {
        left.push({ preview: preview(msg.content), routingKey: origin.routingKey, why: `its origin exchange "${origin.exchange}" does not exist any more`, redriven: times });
        toRelease.push(msg);
        continue;
      }
      if (!force && times >= maxRedrives) {
        tooOftenRedriven++;
        left.push({ preview: preview(msg.content), routingKey: origin.routingKey, why: `it was redriven ${maxRedrives} or more times already and dead-lettered again each time (force redrives it anyway)`, redriven: times });
        toRelease.push(msg);
        continue;
      }
      if (dryRun) {
        moved(origin, times);
        toRelease.push(msg);
        continue;
      }
      const entry = { msg, origin, times, returned: false } as Pending;
      entry.settled = new Promise<string | null>((resolve) => {
        const { headers: _h, ...props } = msg.properties;
        ch.publish(origin.exchange, origin.routingKey, msg.content, {
          ...props,
          // amqplib reports absent properties as undefined; pass only what the message had
          headers: { ...redriveHeaders(msg.properties.headers), [DEAD_LETTER_HEADERS.redriveRun]: runId },
          mandatory: true,
        }, (err) => {
          confirmedUpTo++;
          if (err) resolve(`the broker refused the republish to ${origin.exchange} (${origin.routingKey})`);
          else if (entry.returned) resolve(`no queue is bound to ${origin.exchange} for routing key ${origin.routingKey}`);
          else resolve(null);
        });
      });
      pending.push(entry);
    }

    for (const p of pending) {
      const failed = await p.settled;
      if (failed) {
        left.push({ preview: preview(p.msg.content), routingKey: p.origin.routingKey, why: failed, redriven: p.times });
        toRelease.push(p.msg);
      } else {
        ch.ack(p.msg);
        moved(p.origin, p.times);
      }
    }
    ch.off('return', onReturn);
    const movedTotal = [...movedBy.values()].reduce((n, m) => n + m.count, 0);
    // the moved that were dead-lettered again meanwhile are in the queue again: count them as such
    const movedAt = performance.now();
    const back = watch && !dryRun && movedTotal > 0 ? await awaitReturns(watch, runId, movedTotal, Date.now(), options.returnQuietMs ?? RETURN_QUIET_MS, options.returnWaitMs ?? RETURN_WAIT_MS) : [];
    const returnWaitMs = Math.round(performance.now() - movedAt);
    const why = new Map<string, number>();
    for (const h of back) {
      const info = readDeadLetter(h);
      const text = info.reason ?? 'no reason given';
      why.set(text, (why.get(text) ?? 0) + 1);
    }
    // Counted before the release: RabbitMQ answers a queue's depth through another process than
    // the one taking nacks, so a count just after them can miss the released ones.
    const remaining = (await ch.checkQueue(options.queue)).messageCount + toRelease.length;
    // Release what stays only now: nothing of this redrive can be picked up again.
    for (const msg of toRelease) ch.nack(msg, false, true);
    const movedTo = [...movedBy.values()];
    const report: RedriveReport = {
      queue: options.queue, dryRun, examined: held.length, moved: movedTo, movedTotal,
      movedRedrivenBefore, mostRedriven, tooOftenRedriven, maxRedrives,
      left, cameBack: back.length, cameBackWhy: [...why].map(([w, n]) => ({ why: w, count: n })).sort((a, b) => b.count - a.count), remaining,
      elapsedMs: Math.round(movedAt - started), returnWaitMs, summary: '',
    };
    report.summary = describeRedrive(report);
    return report;
  } catch (err) {
    // Whatever we held and did not ack goes back with the channel; say what broke.
    const cause = channelError ?? err;
    throw new Error(`redrive of ${options.queue} stopped: ${(cause as Error).message ?? String(cause)}; nothing unconfirmed was removed`);
  } finally {
    await ch.close().catch(() => {});
    await watch?.stop();
  }
}

function count(into: Map<string, { exchange: string; routingKey: string; count: number }>, origin: DeadLetterOrigin): void {
  const key = `${origin.exchange}\u0000${origin.routingKey}`;
  const e = into.get(key) ?? { exchange: origin.exchange, routingKey: origin.routingKey, count: 0 };
  e.count++;
  into.set(key, e);
}

const plural = (n: number, one: string, many = one + 's') => `${n} ${n === 1 ? one : many}`;
const exchangeName = (x: string) => (x === '' ? 'the default exchange' : x);
// Each reason is written for one message ("it was redriven 3 or more times…"): "2 because it was"
// read wrong, "2, each because it was" reads right.
const becauseOf = (n: number) => (n === 1 ? '1 because' : `${n}, each because`);

/**
 * "Moved 2 messages back to notifications (customer.email); 0 left in tasks.dead.", how many of
 * the moved had been redriven before (they are likely to come straight back), and why any stayed.
 */
export function describeRedrive(r: Pick<RedriveReport, 'queue' | 'dryRun' | 'examined' | 'moved' | 'movedTotal' | 'left' | 'remaining'> & Partial<Pick<RedriveReport, 'movedRedrivenBefore' | 'mostRedriven' | 'cameBack' | 'cameBackWhy'>>): string {
  if (r.examined === 0) return `No dead letters in ${r.queue}: nothing to redrive.`;
  const verb = r.dryRun ? 'Would move' : 'Moved';
  const where = r.moved.length === 1
    ? ` to ${exchangeName(r.moved[0]!.exchange)} (${r.moved[0]!.routingKey})`
    : ': ' + r.moved.map((m) => `${m.count} to ${exchangeName(m.exchange)} (${m.routingKey})`).join(', ');
  const parts = [r.movedTotal > 0 ? `${verb} ${plural(r.movedTotal, 'message')} back${where}` : `${verb} nothing`];
  const back = r.cameBack ?? 0;
  if (back > 0) {
    const who = back === r.movedTotal ? (back === 1 ? 'it' : back === 2 ? 'both' : `all ${back}`) : `${back} of them`;
    const whys = r.cameBackWhy ?? [];
    const why = whys.length === 1 ? whys[0]!.why : whys.map((w) => `${becauseOf(w.count)} ${w.why}`).join(', ');
    parts.push(`${who} came straight back dead${why ? ` (${why})` : ''}`);
    // what is left is mostly what came back: say so rather than read as "not moved"
    const others = Math.max(0, r.remaining - back);
    parts.push(`${r.remaining} left in ${r.queue}: ${back === 1 ? 'the one' : `the ${back}`} that came back${others > 0 ? ` and ${plural(others, 'other')}` : ''}`);
  } else {
    parts.push(`${r.remaining} left in ${r.queue}`);
  }
  let text = parts.join('; ') + '.';
  const before = r.movedRedrivenBefore ?? 0;
  if (before > 0) {
    const most = r.mostRedriven ?? 1;
    text += ` Of these, ${before} had been redriven before (${most === 1 ? 'once' : `up to ${most} times`}) and died again ${most === 1 ? 'after it' : 'each time'}`;
    // seen coming back already: no need to predict it
    text += back > 0 ? '.' : `: unless the cause is fixed, expect ${before === 1 ? 'it' : 'them'} straight back.`;
  }
  if (r.left.length > 0) {
    const reasons = new Map<string, number>();
    for (const l of r.left) reasons.set(l.why, (reasons.get(l.why) ?? 0) + 1);
    text += ` Left ${plural(r.left.length, 'message')} where ${r.left.length === 1 ? 'it was' : 'they were'}: ` + [...reasons].map(([why, n]) => `${becauseOf(n)} ${why}`).join('; ') + '.';
  }
  return text;
}
