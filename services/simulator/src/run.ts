import fs from 'node:fs';
import path from 'node:path';
import { type LogEvent, type TopicName } from '@riderflow/contracts';
import { createKafka, ensureTopics } from '@riderflow/service-kit';
import type { SimOptions } from './cli/options.js';
import { EventProducer, type EventProducerOptions } from './adapters/event-producer.js';
import { InstructionInbox } from './adapters/instruction-inbox.js';
import { readOrderEventsSince } from './adapters/open-orders-reader.js';
import { computeDigest, formatDigest, type Digest } from './engine/digest.js';
import { eventBudget, judge, paceFrom, targetSimTime } from './engine/pacing.js';
import { Simulation, type SimulationStats } from './engine/simulation.js';
import { formatStranded, inFlightOrders, restartCancellations } from './engine/stranded-orders.js';
import { formatTakeOver, handoverMismatch, HandoverError, parseHandover, type HistoryHandover } from './engine/history-handover.js';
import { InputError } from './cli/options.js';
import { buildScenario } from './scenario.js';
import { formatSimTime } from './world/time.js';

/** The log or the queue cannot be reached: a clear, one-line failure before anything is written. */
export class BrokerUnreachableError extends Error {
  override name = 'BrokerUnreachableError';
}

export interface RunIo {
  /** One-off lines (digest, summary). */
  info(line: string): void;
  /** The progress line, repeatedly. */
  progress(line: string): void;
  signal?: AbortSignal;
  /** Called with every slice of events before it is produced (tests, metrics). */
  onEvents?(events: readonly LogEvent[]): void;
}

export interface RunSummary {
  digest: Digest;
  stats: SimulationStats;
  eventsSent: number;
  sentByTopic: Record<string, number>;
  simStartMs: number;
  simEndMs: number;
  wallMs: number;
  instructionsReceived: number;
  instructionsDeadLettered: number;
  stoppedEarly: boolean;
  /** --resume: orders an earlier run left in flight, cancelled at the start (reason simulator_restart). */
  strandedCancelled: number;
}

/** The topics the simulator writes. */
const SIM_TOPICS: TopicName[] = ['rider.location', 'rider.shifts', 'order.events', 'weather.updates'];
const HIGH_WATER = 40_000; // events generated but not yet handed to the client: bounds memory
const SLICE = 5_000; // events per engine slice, so I/O callbacks interleave with generation
/**
 * How far back a resumed start reads order.events for orders still in flight. An order lives at
 * most --cancel-after unassigned plus a rider's queue of jobs: a simulated day is far beyond
 * that, and reading it stays cheap beside a history of weeks.
 */
const RESUME_LOOKBACK_MS = 86_400_000;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => { timer = setTimeout(() => reject(new BrokerUnreachableError(`${what}: no answer within ${ms} ms`)), ms); }),
  ]);
}

/** Each file is written beside its final name and renamed, so a reader never sees half a file. */
function writeSolution(dir: string, texts: Record<'assignments' | 'orders' | 'couriers', string>): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const [kind, text] of Object.entries(texts)) {
    const file = path.join(dir, `solution_info_${kind}.txt`);
    fs.writeFileSync(`${file}.tmp`, text);
    fs.renameSync(`${file}.tmp`, file);
  }
}

async function openInbox(o: SimOptions): Promise<InstructionInbox | null> {
  if (!o.amqp) return null;
  const safeUrl = o.amqp.replace(/\/\/[^@/]*@/, '//');
  try {
    return await withTimeout(InstructionInbox.open(o.amqp, o.connectTimeoutMs), o.connectTimeoutMs + 500, `task queue at ${safeUrl} unreachable`);
  } catch (err) {
    if (err instanceof BrokerUnreachableError) throw err;
    throw new BrokerUnreachableError(`task queue at ${safeUrl} unreachable: ${(err as Error).message}`);
  }
}

export async function runSimulation(o: SimOptions, io: RunIo, tuning: EventProducerOptions = {}): Promise<RunSummary> {
  const { world, settings, mdrpIds } = buildScenario(o);
  const handoverWorld = { seed: o.seed, riders: o.riders, stores: o.stores, zones: o.zones };
  // Read and checked before anything is connected or written: a hand-over of another city is bad input.
  let takeOver: HistoryHandover | undefined;
  if (o.takeOver) {
    try {
      takeOver = parseHandover(fs.readFileSync(o.takeOver, 'utf8'), o.takeOver);
    } catch (err) {
      throw new InputError(err instanceof HandoverError ? `--take-over: ${err.message}` : `--take-over: cannot read ${o.takeOver}: ${(err as Error).message}`);
    }
    const mismatch = handoverMismatch(takeOver, handoverWorld, settings.startMs);
    if (mismatch) throw new InputError(`--take-over: ${o.takeOver} does not fit this run: ${mismatch}`);
  }
  const digest = computeDigest(world, settings, o.digestOrders);
  const summaryBase = { digest, simStartMs: settings.startMs };
  const announce = () => {
    io.info(`${world.name}: ${world.zones.length} zones, ${world.stores.length} stores, ${world.customers.length} customers, ${world.riders.length} riders; seed "${o.seed}"`);
    io.info(formatDigest(digest));
  };
  if (o.dryRun) {
    announce();
    return { ...summaryBase, stats: new Simulation({ ...world, riders: [] }, settings).stats, eventsSent: 0, sentByTopic: {}, simEndMs: settings.startMs, wallMs: 0, instructionsReceived: 0, instructionsDeadLettered: 0, stoppedEarly: false, strandedCancelled: 0 };
  }

  // Reach both brokers before producing anything, so a bad address writes nothing.
  // The kit's client factory, as every service uses (quiet: kafkajs' own logger is not JSON).
  const kafka = createKafka({ kafkaBrokers: o.brokers, logLevel: 'info', kafkaSasl: o.kafkaSasl }, 'simulator', {
    connectionTimeout: o.connectTimeoutMs,
    retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 2_000 },
  });
  const admin = kafka.admin({ retry: { retries: 0 } });
  // The queue is checked before any topic is created, so a bad --amqp leaves the log untouched.
  let inbox: InstructionInbox | null = null;
  const partitions = new Map<string, number>();
  try {
    await withTimeout(admin.connect(), o.connectTimeoutMs + 500, `log at ${o.brokers.join(',')} unreachable`);
    inbox = await openInbox(o);
    await withTimeout(ensureTopics(admin), 30_000, `log at ${o.brokers.join(',')} did not create topics`);
    // Partition counts as the log has them (an existing cluster may differ from our defaults).
    const meta = await withTimeout(admin.fetchTopicMetadata({ topics: SIM_TOPICS }), 10_000, `log at ${o.brokers.join(',')} gave no metadata`);
    for (const t of meta.topics) partitions.set(t.name, t.partitions.length);
  } catch (err) {
    await admin.disconnect().catch(() => {});
    await inbox?.close();
    if (err instanceof BrokerUnreachableError) throw err;
    const message = (err as Error).message;
    if (/SASL|authenticat/i.test(message)) throw new BrokerUnreachableError(`log at ${o.brokers.join(',')} refused the credentials (KAFKA_SASL_USERNAME/KAFKA_SASL_PASSWORD): ${message}`);
    throw new BrokerUnreachableError(`log at ${o.brokers.join(',')} unreachable: ${message}`);
  } finally {
    await admin.disconnect().catch(() => {});
  }
  const producer = new EventProducer(kafka, partitions, tuning);
  try {
    await withTimeout(producer.connect(), o.connectTimeoutMs + 500, `log at ${o.brokers.join(',')} unreachable`);
  } catch (err) {
    await inbox?.close();
    throw err instanceof BrokerUnreachableError ? err : new BrokerUnreachableError(`log at ${o.brokers.join(',')} unreachable: ${(err as Error).message}`);
  }

  announce();
  // Riders' jobs and customers' orders live in memory only: what an earlier run left in flight
  // is cancelled on the log at the start (reason simulator_restart), so no order stays open for ever.
  let strandedCancelled = 0;
  let atStart: LogEvent[] = [];
  if (o.resume) {
    let read;
    try {
      read = await readOrderEventsSince(kafka, settings.startMs - RESUME_LOOKBACK_MS);
    } catch (err) {
      await inbox?.close();
      await producer.disconnect();
      throw new BrokerUnreachableError(`resumed start: could not read order.events back from the log: ${(err as Error).message}`);
    }
    const stranded = inFlightOrders(read.events, settings.startMs);
    const cancels = restartCancellations(stranded, settings.startMs);
    strandedCancelled = cancels.length;
    atStart = cancels;
    io.info(formatStranded(stranded) + (read.invalid > 0 ? ` (${read.invalid} unreadable records skipped)` : ''));
  }
  if (takeOver) io.info(formatTakeOver(takeOver));
  let queueLost: Error | null = null;
  inbox?.onClose((err) => { queueLost = new Error(`lost the task queue connection${err ? `: ${err.message}` : ''}`); });

  // The cancellations go out at the start, after the world's own start burst (see atStart).
  const sim = new Simulation(world, { ...settings, ...(atStart.length > 0 ? { atStart } : {}), ...(takeOver ? { takeOver } : {}) });
  const pace = paceFrom(o.speed, o.rate);
  const wallStart = Date.now();
  let generated = 0;
  let lastSample = { at: wallStart, sent: 0 };
  let lastProgress = wallStart;
  let refusedBookingsLogged = 0;
  const buf: LogEvent[] = [];
  let stoppedEarly = false;

  const printProgress = (final = false) => {
    const now = Date.now();
    const v = judge(pace, { wallElapsedMs: now - wallStart, simNowMs: sim.now, simStartMs: settings.startMs, sentDelta: producer.sent - lastSample.sent, wallDeltaMs: now - lastSample.at, pendingEvents: producer.pending });
    lastSample = { at: now, sent: producer.sent };
    const s = sim.stats;
    io.progress(
      `${final ? 'done' : 'sim'} ${formatSimTime(sim.now)} | ${Math.round(v.eventsPerSec).toLocaleString('en-US')} ev/s | ${v.text} | sent ${producer.sent.toLocaleString('en-US')}` +
        ` | riders on shift ${sim.ridersOnShift} | orders ${s.ordersCreated} created, ${s.ordersDelivered} delivered, ${s.ordersCancelled} cancelled` +
        (inbox ? ` | instructions ${s.instructionsAccepted} ok, ${s.instructionsRejected} refused` : '') +
        (s.shiftsBooked + s.shiftBookingsRefused > 0 ? ` | shift bookings ${s.shiftsBooked} taken, ${s.shiftBookingsRefused} refused` : ''),
    );
  };

  try {
    for (;;) {
      if (io.signal?.aborted) {
        stoppedEarly = true;
        // A hand-over describes one whole instant: finish the one the loop may have stopped inside
        // (an event budget can end a slice mid-instant), so its events go on the log before it.
        if (o.writeLiveHandover) {
          sim.advance(sim.now + 1, buf);
          if (buf.length > 0) { generated += buf.length; io.onEvents?.(buf); producer.enqueue(buf); buf.length = 0; }
        }
        break;
      }
      if (producer.failure) throw new Error(`log rejected a produce request: ${producer.failure.message}`);
      if (queueLost) throw queueLost;
      if (inbox) {
        for (const instr of inbox.take()) {
          const res = sim.instruct(instr, buf);
          // Refused bookings are rare and worth a line each (the first few): rostering asked for something the rider cannot do.
          if (!res.accepted && instr.type === 'roster.shift' && refusedBookingsLogged++ < 20) io.info(`shift booking ${instr.id} refused: ${res.reason}`);
        }
      }
      const elapsed = Date.now() - wallStart;
      const target = targetSimTime(pace, settings.startMs, elapsed);
      let budget = eventBudget(pace, elapsed, generated);
      // Generate while there is room in the pipeline, time on the clock and budget in rate mode.
      let spins = 0;
      while (producer.pending < HIGH_WATER && budget > 0 && !sim.done && spins++ < 8) {
        sim.advance(target, buf, Math.min(SLICE, budget));
        budget -= buf.length;
        generated += buf.length;
        if (buf.length > 0) {
          io.onEvents?.(buf);
          producer.enqueue(buf);
          buf.length = 0;
        }
        if (sim.nextAt >= Math.min(target, settings.endMs)) break; // caught up with the clock
      }
      if (buf.length > 0) { generated += buf.length; io.onEvents?.(buf); producer.enqueue(buf); buf.length = 0; }

      if (Date.now() - lastProgress >= 2_000) { lastProgress = Date.now(); if (!o.quiet) printProgress(); }
      if (sim.done && !producer.busy) break;

      if (producer.pending >= HIGH_WATER) await producer.waitForProgress();
      else if (pace.kind === 'max' && !sim.done) await new Promise((r) => setImmediate(r));
      else await new Promise((r) => setTimeout(r, 10));
    }
    await producer.drain();
  } finally {
    await inbox?.close();
    await producer.disconnect();
  }
  if (!o.quiet) printProgress(true);
  // Only a history that ran to its end hands over: a stopped one's state is not where the log ends.
  if (o.writeHandover && !stoppedEarly) {
    const handover = sim.historyHandover(handoverWorld);
    writeHandoverFile(o.writeHandover, handover);
    io.info(`hand-over for the live run written to ${o.writeHandover}: ${handover.positions.length} riders on shift, ${handover.orders.length} orders in flight at ${formatSimTime(handover.endMs)}`);
  }
  // A graceful stop hands the live world over to the next start (--take-over), once every event is on the log (drained above).
  if (o.writeLiveHandover && stoppedEarly) {
    const handover = sim.liveHandover(handoverWorld);
    writeHandoverFile(o.writeLiveHandover, handover);
    io.info(`stopped: hand-over for the next start written to ${o.writeLiveHandover}: ${handover.positions.length} riders on shift, ${handover.orders.length} orders in flight at ${formatSimTime(handover.endMs)}`);
  }
  if (o.solutionDir && sim.trace && mdrpIds) {
    writeSolution(o.solutionDir, sim.trace.format(settings.startMs, mdrpIds.couriers, mdrpIds.orders));
    io.info(`solution written to ${o.solutionDir} (${sim.stats.ordersDelivered} orders delivered)`);
  }
  return {
    ...summaryBase,
    stats: sim.stats,
    eventsSent: producer.sent,
    sentByTopic: Object.fromEntries(producer.sentByTopic),
    simEndMs: sim.now,
    wallMs: Date.now() - wallStart,
    instructionsReceived: inbox?.received ?? 0,
    instructionsDeadLettered: inbox?.deadLettered ?? 0,
    stoppedEarly,
    strandedCancelled,
  };
}

/** Written whole or not at all: a reader never sees half a hand-over. */
function writeHandoverFile(file: string, handover: HistoryHandover): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(handover));
  fs.renameSync(`${file}.tmp`, file);
}
