import { setImmediate } from 'node:timers/promises';
import type { Admin, Consumer, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { TOPIC, TOPIC_NAMES, parseEvent } from '@riderflow/contracts';
import { deadLetterFor, ensureTopics } from '@riderflow/service-kit';
import type { LiveState } from '../core/live-state.js';
import { headersOf } from '../core/record-headers.js';
import { readBack } from './warm-start.js';

// The dashboard's own consumer group on every topic: it folds events into the live state and
// keeps the newest records per topic for the message browser's "tail" mode.
//
// Offsets are committed by a background loop rather than by kafkajs after every batch: kafkajs's
// auto-commit sends one OffsetCommit per partition batch and waits for it before the next fetch,
// so under a flood (24 partitions, thousands of events per second) those round trips, not the work,
// set the pace and the live view falls behind. The loop commits the newest processed offsets every
// COMMIT_EVERY_MS, off the fetch path; after a crash the group re-reads at most that much.
//
// kafkajs restarts a consumer by itself only after retriable errors; a TypeError from our own
// record handling (a bug, an event it cannot fold) crashes it for good, and the live view froze
// with the group Empty. So a crash that kafkajs will not restart is restarted here, with backoff,
// from the committed offsets. Records between the committed and the processed offset are read
// again and skipped (`processed`), so none is folded twice and none is lost.
//
// A record that throws every time it is folded would crash the reader at the same offset forever
// (a restart every 30 s at most, the live view frozen behind it). After SET_ASIDE_AFTER failures at
// one offset the record is set aside instead: written to events.dead like every other consumer's
// dead letters (source topic, partition, offset, key and headers, the reason), then counted as
// read, so the reader moves on; the log status names what was set aside.
//
// A fresh process resumes at its group's committed offsets with an empty live state: a resumed
// `npm start` showed 4 of 120 stores and none of the orders still open. So before its group joins
// it reads back the recent past up to those offsets with a reader of its own (adapters/warm-start.ts,
// windows in core/warm-window.ts), which commits nothing: the group's offsets never move back and
// no record is folded twice. Once per process: a restart after a crash keeps the state it has.

const COMMIT_EVERY_MS = 100;
const RESTART_FIRST_MS = 500;
const RESTART_MAX_MS = 30_000;
/** failures of one record (each a crash and a restart) after which it is set aside into events.dead */
export const SET_ASIDE_AFTER = 3;
/** messages folded between yields to the event loop */
const SLICE = 1_000;

/** the log lines the reader writes (the gateway's pino logger; none in tests that pass none) */
export type ReaderLog = Pick<Logger, 'info' | 'warn' | 'error'>;
const SILENT: ReaderLog = { info: () => {}, warn: () => {}, error: () => {} };

/** a record the reader could not fold and wrote to events.dead instead */
export interface SetAsideRecord { topic: string; partition: number; offset: string; reason: string; failures: number }

export interface TailRecord { topic: string; partition: number; offset: string; key: string | null; timestamp: string; value: string; headers?: Record<string, string> }

export class LogStream {
  private consumer: Consumer | null = null;
  /** "topic/partition" keys whose `processed` offset is not committed yet */
  private readonly uncommitted = new Set<string>();
  /** next offset not yet folded per "topic/partition": what a re-read after a crash skips */
  private readonly processed = new Map<string, bigint>();
  /** log end per "topic/partition" at start where the group had no offset: where reading began */
  private readonly startAt = new Map<string, string>();
  private commitLoop: Promise<void> | null = null;
  private running = false;
  /** the consumer is in its group: commits before the (re)join would only fail */
  private joined = false;
  private restartTimer: NodeJS.Timeout | null = null;
  private restarts = 0;
  private readonly tails = new Map<string, TailRecord[]>();
  /** wall-clock ms of the last completed fetch: the log is "live" while this is recent */
  lastFetchAt = 0;
  /** why the reader is not reading (its crash), until a fetch succeeds again */
  crash: string | null = null;
  private commitError: string | null = null;
  private readonly log: ReaderLog;
  /** failures per "topic/partition@offset" of a record whose fold threw, and the latest error */
  private readonly failures = new Map<string, { count: number; error: string }>();
  /** records set aside into events.dead since the start, oldest first */
  readonly setAside: SetAsideRecord[] = [];
  private producer: Producer | null = null;
  /** the read-back at start is done (or failed and was given up): never again in this process */
  private warmed = false;
  /** what the read-back at start folded, for the log line and tests (null: not run) */
  warm: { records: number; events: number; invalid: number; now: number | null } | null = null;

  constructor(private readonly kafka: Kafka, private readonly groupId: string, private readonly live: LiveState, private readonly tailSize = 50, log?: ReaderLog) {
    this.log = log ?? SILENT;
  }

  /** the reason shown in the status: a crash first (a later commit failure is only its echo) */
  get lastError(): string | null {
    return this.crash ?? this.commitError;
  }

  /** what was set aside, in words, for the status (null: nothing) */
  get setAsideNote(): string | null {
    const n = this.setAside.length;
    if (n === 0) return null;
    const last = this.setAside.at(-1)!;
    const which = `${last.topic}/${last.partition} offset ${last.offset} (${last.reason}, ${last.failures} failures)`;
    return n === 1
      ? `1 record set aside into ${TOPIC.eventsDead}: ${which}`
      : `${n} records set aside into ${TOPIC.eventsDead}, the latest ${which}`;
  }

  async start(): Promise<void> {
    const admin = this.kafka.admin();
    let handover = new Map<string, bigint>();
    await admin.connect();
    try {
      await ensureTopics(admin);
      // Where this reader starts in partitions its group has no offset for (a new group reads from
      // the end): kept so that a restart after a crash starts there too, not at a later end.
      handover = await this.noteStartOffsets(admin);
    } finally {
      await admin.disconnect();
    }
    if (!this.warmed) await this.warmStart(handover);
    this.running = true;
    try {
      await this.connect();
    } catch (err) {
      this.running = false;
      throw err;
    }
    this.commitLoop = this.commitInBackground().catch((err: unknown) => {
      this.commitError = `commit loop stopped: ${(err as Error).message}`;
    });
  }

  /** Notes the start offsets of uncommitted partitions; returns where the group resumes in every partition. */
  private async noteStartOffsets(admin: Admin): Promise<Map<string, bigint>> {
    const resumeAt = new Map<string, bigint>();
    const committed = await admin.fetchOffsets({ groupId: this.groupId, topics: [...TOPIC_NAMES] });
    for (const { topic, partitions } of committed) {
      for (const p of partitions) if (BigInt(p.offset) >= 0n) resumeAt.set(`${topic}/${p.partition}`, BigInt(p.offset));
      const uncommitted = new Set(partitions.filter((p) => BigInt(p.offset) < 0n).map((p) => p.partition));
      if (uncommitted.size === 0) continue;
      for (const end of await admin.fetchTopicOffsets(topic)) {
        if (!uncommitted.has(end.partition)) continue;
        const key = `${topic}/${end.partition}`;
        // a restart after a crash keeps the first start's offset
        const at = this.startAt.get(key) ?? end.high;
        this.startAt.set(key, at);
        resumeAt.set(key, BigInt(at));
      }
    }
    return resumeAt;
  }

  /** Folds the read-back (up to where the group resumes) into the live state, before the group joins. */
  private async warmStart(handover: Map<string, bigint>): Promise<void> {
    const began = Date.now();
    try {
      const read = await readBack(this.kafka, handover);
      for (const event of read.events) {
        try {
          this.live.apply(event);
        } catch (err) {
          // one event the live state cannot take must not cost the rest (the group's reader sets such records aside)
          this.log.warn({ group: this.groupId, id: event.id, err: (err as Error).message }, 'read-back event not folded');
        }
      }
      for (let i = 0; i < read.invalid; i++) this.live.countInvalid();
      this.warm = { records: read.records, events: read.events.length, invalid: read.invalid, now: read.now };
      this.log.info({ group: this.groupId, ...this.warm, ms: Date.now() - began }, 'live state read back from the log up to the group offsets');
    } catch (err) {
      // a cold live view (it fills as events arrive) rather than none
      this.log.warn({ group: this.groupId, err: (err as Error).message }, 'could not read the recent log back at start: the live view starts empty');
    }
    this.warmed = true;
  }

  /**
   * On joining its group (first start, rebalance, restart): each partition continues after the last
   * record folded here, or at its start offset while its group has none committed; others resume at
   * the committed offset. Without this a restart would jump to the end of uncommitted partitions.
   */
  private seekOnJoin(consumer: Consumer, assignment: Record<string, number[]>): void {
    for (const [topic, partitions] of Object.entries(assignment)) {
      for (const partition of partitions) {
        const key = `${topic}/${partition}`;
        const offset = this.processed.get(key)?.toString() ?? this.startAt.get(key);
        if (offset !== undefined) consumer.seek({ topic, partition, offset });
      }
    }
  }

  private async connect(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.groupId,
      sessionTimeout: 10_000,
      heartbeatInterval: 3_000,
      maxWaitTimeInMs: 250,
      // kafkajs decodes a whole fetch response in one go: responses smaller than its defaults
      // (1 MiB per partition, 10 MiB in all) keep that pause short when catching up after a stall
      maxBytesPerPartition: 256 * 1024,
      maxBytes: 2 * 1024 * 1024,
    });
    this.consumer = consumer;
    this.joined = false;
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      this.joined = true;
      this.seekOnJoin(consumer, e.payload.memberAssignment);
    });
    consumer.on(consumer.events.FETCH, () => {
      this.lastFetchAt = Date.now();
      if (this.crash !== null) this.log.info({ group: this.groupId, after: this.crash }, 'dashboard log reader reading again');
      this.crash = null;
      this.restarts = 0;
    });
    consumer.on(consumer.events.CRASH, (e) => {
      this.joined = false;
      const err = e.payload.error as Error | undefined;
      this.crash = `log reader crashed: ${err?.message ?? String(err)}`;
      // kafkajs restarts by itself only when payload.restart says so
      const restart = !e.payload.restart && this.running && this.consumer === consumer;
      this.log.error({ group: this.groupId, err: err?.message, kafkajsRestarts: e.payload.restart }, this.crash);
      if (restart) this.scheduleRestart(consumer);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [...TOPIC_NAMES], fromBeginning: false });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch, isRunning, isStale }) => {
        const key = `${batch.topic}/${batch.partition}`;
        // a re-read after a crash or a retried batch: what was folded already is not folded again
        const from = this.processed.get(key);
        const first = from === undefined ? 0 : batch.messages.findIndex((m) => BigInt(m.offset) >= from);
        if (first < 0) return;
        const messages = first === 0 ? batch.messages : batch.messages.slice(first);
        let done = 0;
        try {
          while (done < messages.length) {
            const end = Math.min(messages.length, done + SLICE);
            for (; done < end; done++) {
              const message = messages[done]!;
              const at = `${key}@${message.offset}`;
              const failed = this.failures.get(at);
              if (failed && failed.count >= SET_ASIDE_AFTER) {
                // throws if events.dead cannot be written: then the record is retried, not lost
                await this.setAsideRecord(batch.topic, batch.partition, message, failed);
                this.failures.delete(at);
                continue;
              }
              try {
                const parsed = parseEvent(message.value);
                if (parsed.ok) this.live.apply(parsed.event);
                else this.live.countInvalid();
              } catch (err) {
                this.failures.set(at, { count: (failed?.count ?? 0) + 1, error: `${(err as Error).name ?? 'Error'}: ${(err as Error).message ?? String(err)}` });
                throw err;
              }
            }
            if (done < messages.length) {
              // let frame ticks and socket writes run between slices of a large (catch-up) batch
              await setImmediate();
              if (!isRunning() || isStale()) break;
            }
          }
        } finally {
          // also when folding threw: the records before the one that threw are done
          if (done > 0) this.folded(batch.topic, batch.partition, messages.slice(0, done));
        }
      },
    });
  }

  /** Writes a record that keeps failing to events.dead under the dead-letter contract. */
  private async setAsideRecord(topic: string, partition: number, message: KafkaMessage, failed: { count: number; error: string }): Promise<void> {
    const reason = `the dashboard's log reader failed to fold it ${failed.count} times: ${failed.error}`;
    const dead = deadLetterFor(topic, partition, message, reason, this.groupId);
    if (!this.producer) {
      const producer = this.kafka.producer();
      await producer.connect();
      this.producer = producer;
    }
    await this.producer.send({ topic: TOPIC.eventsDead, messages: [{ key: dead.sourceTopic, value: JSON.stringify(dead), timestamp: String(dead.ts) }] });
    this.setAside.push({ topic, partition, offset: message.offset, reason: failed.error, failures: failed.count });
    this.log.warn({ group: this.groupId, topic, partition, offset: message.offset, failures: failed.count, err: failed.error }, `record set aside into ${TOPIC.eventsDead}`);
  }

  /** Bookkeeping for records folded into the live state: tail, skip mark, offset to commit. */
  private folded(topic: string, partition: number, processed: KafkaMessage[]): void {
    // only the newest tailSize records can stay in the tail: skip building the others
    const tail = this.tails.get(topic) ?? [];
    for (const m of processed.slice(-this.tailSize)) {
      tail.push({ topic, partition, offset: m.offset, key: m.key?.toString() ?? null, timestamp: m.timestamp, value: m.value?.toString() ?? '', headers: headersOf(m.headers) });
    }
    if (tail.length > this.tailSize) tail.splice(0, tail.length - this.tailSize);
    this.tails.set(topic, tail);
    const next = BigInt(processed.at(-1)!.offset) + 1n;
    this.processed.set(`${topic}/${partition}`, next);
    this.uncommitted.add(`${topic}/${partition}`);
  }

  /** A new consumer in the same group after a crash kafkajs gave up on; backoff doubles per failed try. */
  private scheduleRestart(crashed: Consumer): void {
    const delay = Math.min(RESTART_MAX_MS, RESTART_FIRST_MS * 2 ** this.restarts++);
    this.log.warn({ group: this.groupId, inMs: delay }, 'restarting the dashboard log reader');
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      void (async () => {
        if (!this.running) return;
        await crashed.disconnect().catch(() => {});
        try {
          await this.connect();
          // stop() ran meanwhile and disconnected the consumer before this one
          if (!this.running) await this.consumer?.disconnect();
        } catch (err) {
          this.crash = `log reader restart failed: ${(err as Error).message}`;
          this.log.error({ group: this.groupId, err: (err as Error).message }, this.crash);
          if (this.running) this.scheduleRestart(this.consumer ?? crashed);
        }
      })();
    }, delay);
  }

  private async commitInBackground(): Promise<void> {
    while (this.running) {
      await new Promise((r) => setTimeout(r, COMMIT_EVERY_MS));
      await this.commitNow();
    }
  }

  private async commitNow(): Promise<void> {
    // not while the reader is out of its group (crashed, restarting): the offsets wait for the rejoin
    if (!this.consumer || !this.joined || this.uncommitted.size === 0) return;
    const keys = [...this.uncommitted];
    this.uncommitted.clear();
    // the offset to commit is the next one not yet folded (topic names hold no '/')
    const offsets = keys.map((key) => {
      const cut = key.lastIndexOf('/');
      return { topic: key.slice(0, cut), partition: Number(key.slice(cut + 1)), offset: String(this.processed.get(key)!) };
    });
    try {
      await this.consumer.commitOffsets(offsets);
      this.commitError = null;
    } catch (err) {
      // Tried again next round, with whatever has been folded by then (e.g. during a rebalance).
      for (const key of keys) this.uncommitted.add(key);
      this.commitError = `commit failed: ${(err as Error).message}`;
    }
  }

  tail(topic: string): TailRecord[] {
    return [...(this.tails.get(topic) ?? [])].reverse();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    await this.commitLoop;
    await this.commitNow().catch(() => {});
    await this.consumer?.disconnect();
    await this.producer?.disconnect().catch(() => {});
  }
}
