import type { Kafka, Producer } from 'kafkajs';
import type { ChannelModel, ConfirmChannel, Channel } from 'amqplib';
import { type LogEvent, type RosterCallIn, type RosterShiftPlan } from '@riderflow/contracts';
import { declareTopology, ensureTopics, runValidatedConsumer, startHealthServer, type Logger } from '@riderflow/service-kit';
import type { DemandHistory } from './core/demand-history.js';
import type { Plan } from './core/planner.js';
import { RosteringRound, type RoundSettings } from './core/round.js';
import type { DayForecast } from './core/shift-plan.js';
import { rebuildActiveModel, type ActiveModel } from './adapters/active-model.js';
import { ForecastHolder } from './adapters/forecast-holder.js';
import { markLatest, materializeModel, removeRetiredModels } from './adapters/model-topic.js';
import { RegistryFollower } from './adapters/registry-follower.js';
import { createRosteringMetrics, type RosteringMetrics } from './adapters/metrics.js';
import { RosterOutbox } from './adapters/outbox.js';
import { DEMAND_TOPICS, replayLog } from './adapters/replay.js';
import { consumeRetrainJobs } from './adapters/retrain-jobs.js';
import { RoundSender } from './adapters/round-sender.js';
import type { BackendChoice } from './model/backend.js';
import type { ForecastSource } from './model/forecast-source.js';
import type { RosteringConfig } from './config.js';

export interface RosteringServiceOptions {
  kafka: Kafka;
  amqp: ChannelModel;
  settings: RosteringConfig['rostering'];
  backend: BackendChoice;
  logger: Logger;
  databaseUrl?: string;
  /** Collect process metrics (only for the one service of a process). */
  processMetrics?: boolean;
  /** Events to fold into history before the log replay (benchmarks seed history that is not on the log). */
  preload?: (add: (event: LogEvent) => void) => void;
  /**
   * Called once when the AMQP connection or one of the service's channels is lost while running
   * (plans could no longer send moves nor receive retrain jobs); /healthz reports 503 from then on.
   * main.ts exits so the platform supervisor restarts the service.
   */
  onAmqpLost?: (reason: string) => void;
  /**
   * Replaces the forecasts, and only them (the bench's oracle arm: the day's true demand): the
   * two-hour source for plans, moves and call-ins, and the day-ahead forecast for booking.
   * Retrains then leave the forecast source alone.
   */
  forecastOverride?: { source: ForecastSource; dayForecast: (history: DemandHistory, day: number) => DayForecast | null };
}

export interface RosteringService {
  port: number;
  history: DemandHistory;
  source(): ForecastSource;
  /** Plans published so far (most recent last, capped). */
  plans: Plan[];
  /** Call-in requests sent to the operations office so far (most recent last, capped). */
  callIns: RosterCallIn[];
  /** Day-ahead shift plans published so far (most recent last, capped). */
  shiftPlans: RosterShiftPlan[];
  /** The model registry as read from rostering.models on start (undefined with the topic off or a forecast override). */
  registryAtStart: ActiveModel | undefined;
  close(): Promise<void>;
}

/** The environment settings a round decides from. */
export function roundSettings(s: RosteringConfig['rostering'], dayForecast?: RoundSettings['dayForecast']): RoundSettings {
  return {
    staffing: { serviceMin: s.ROSTERING_SERVICE_MIN, doorMin: s.ROSTERING_DOOR_MIN, targetMin: s.ROSTERING_TARGET_MIN, targetShare: s.ROSTERING_TARGET_SHARE },
    serviceFromLog: s.ROSTERING_SERVICE_FROM_LOG,
    speedKmh: s.ROSTERING_RIDER_SPEED_KMH,
    maxTravelMin: s.ROSTERING_MAX_MOVE_MIN,
    sendMoves: s.ROSTERING_SEND_MOVES,
    sendCallIns: s.ROSTERING_SEND_CALL_INS,
    bookShifts: s.ROSTERING_BOOK_SHIFTS,
    bookPasses: s.ROSTERING_BOOK_PASSES,
    bookPairs: s.ROSTERING_BOOK_PAIRS,
    bookKicks: s.ROSTERING_BOOK_KICKS,
    bookWorth: s.ROSTERING_BOOK_WORTH,
    openHour: s.ROSTERING_OPEN_HOUR,
    closeHour: s.ROSTERING_CLOSE_HOUR,
    shiftLeadMin: s.ROSTERING_SHIFT_LEAD_MIN,
    callInIntervalMin: s.ROSTERING_CALL_IN_INTERVAL_MIN,
    callInMax: s.ROSTERING_CALL_IN_MAX,
    ...(dayForecast ? { dayForecast } : {}),
  };
}

/**
 * The rostering worker's shell: wires the pure round (core/round.ts) to the log, the task queues
 * and the forecast sources. It rebuilds demand history by replaying the log, then follows it live
 * with consumer group "rostering"; each time simulated time enters a new 15-minute bucket it runs
 * a round and sends what the round decided (adapters/round-sender.ts). Retrain jobs arrive on
 * jobs.rostering (adapters/retrain-jobs.ts).
 */
export async function startRostering(opts: RosteringServiceOptions): Promise<RosteringService> {
  const { kafka, settings, logger: log } = opts;
  const round = new RosteringRound(roundSettings(settings, opts.forecastOverride?.dayForecast));
  const { history } = round;
  const plans: Plan[] = [];
  const callInsSent: RosterCallIn[] = [];
  const shiftPlans: RosterShiftPlan[] = [];
  let live = false;
  let retrains: { running(): Promise<void> | undefined } | undefined;
  let closing = false;
  let amqpLost: string | undefined;
  const lostAmqp = (reason: string) => {
    if (closing || amqpLost !== undefined) return;
    amqpLost = reason;
    log.error({ reason }, 'AMQP lost');
    opts.onAmqpLost?.(reason);
  };
  // amqplib rethrows 'error' events nobody listens to, which would crash the process.
  const watchChannel = (ch: Channel, name: string) => {
    ch.on('error', (err: Error) => log.error({ err: err.message, channel: name }, 'AMQP channel error'));
    ch.on('close', () => lostAmqp(`${name} channel closed`));
  };
  const onConnectionClose = () => lostAmqp('connection closed');
  opts.amqp.on('close', onConnectionClose);

  const m: RosteringMetrics = createRosteringMetrics({ processMetrics: opts.processMetrics });
  // The registry on the compacted topic decides the model, before any planning: read it to its
  // end and write the active model's files (carried in the record) into the models folder.
  const useTopic = settings.ROSTERING_MODEL_TOPIC && !opts.forecastOverride;
  const registryAtStart = useTopic
    ? await rebuildActiveModel({ kafka, modelsDir: settings.MODELS_DIR, pinned: settings.MODEL_VERSION, keep: settings.ROSTERING_KEEP_MODELS, log })
    : undefined;
  const forecasts = await ForecastHolder.open({
    modelsDir: settings.MODELS_DIR,
    version: registryAtStart ? registryAtStart.version : settings.MODEL_VERSION,
    levelCorrection: settings.ROSTERING_LEVEL_CORRECTION,
    log,
    onKind: (kind) => m.usingModel.set(kind === 'model' ? 1 : 0),
    override: opts.forecastOverride?.source,
  });

  // Then follow the registry, so an activation made elsewhere (a rollback, another trainer) or the
  // active version's retirement reaches this service without a restart. A pinned MODEL_VERSION stays pinned.
  const follower = registryAtStart && !settings.MODEL_VERSION
    ? new RegistryFollower(kafka, log, async (state) => {
      const removed = removeRetiredModels(state.retired, settings.MODELS_DIR);
      if (removed.length > 0) log.info({ versions: removed }, 'removed the files of versions retired on rostering.models');
      const wanted = state.active?.version ?? null;
      if (wanted === forecasts.source.version || (wanted === null && forecasts.source.kind === 'baseline')) return;
      if (state.active) {
        materializeModel(state.active, settings.MODELS_DIR);
        markLatest(settings.MODELS_DIR, state.active.version);
      }
      log.info({ from: forecasts.source.version, to: wanted ?? 'the best baseline' }, 'the active model changed on rostering.models');
      await forecasts.use(wanted);
    })
    : undefined;
  await follower?.start();

  // HTTP first, so /healthz answers during the (possibly long) history replay.
  const http = await startHealthServer({
    host: settings.ROSTERING_HOST,
    port: settings.ROSTERING_HTTP_PORT,
    registry: m.registry,
    healthy: () => ({
      ok: amqpLost === undefined,
      status: amqpLost === undefined ? 'ok' : 'amqp-lost',
      live,
      backend: opts.backend.backend,
      forecastSource: forecasts.source.version,
      forecastKind: forecasts.source.kind,
      watermark: Number.isFinite(history.watermark()) ? history.watermark() : null,
      zones: history.zoneIds().length,
      plans: plans.length,
      modelRegistry: registryAtStart ? { topic: 'rostering.models', versionsAtStart: registryAtStart.registry.models.length, activeAtStart: registryAtStart.registry.active?.version ?? null } : { topic: null },
      retraining: retrains?.running() !== undefined,
    }),
  });

  const producer: Producer = kafka.producer();
  await producer.connect();
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin).finally(() => admin.disconnect());

  const pub: ConfirmChannel = await opts.amqp.createConfirmChannel();
  watchChannel(pub, 'publish');
  await declareTopology(pub);
  const outbox = new RosterOutbox(producer, pub);

  // Rebuild history from the log (fresh group), then hand over to the live group at the offsets
  // the replay ended on, so no event is counted twice.
  opts.preload?.((e) => round.fold(e));
  const replayStart = Date.now();
  const replay = await replayLog({ kafka, onEvent: (e) => {
    round.fold(e);
    m.events.inc({ type: e.type, phase: 'replay' });
  }, logger: log });
  log.info({ events: replay.events, seconds: (Date.now() - replayStart) / 1000, zones: history.zoneIds().length }, 'history rebuilt from the log');

  const rounds = new RoundSender({ round, forecasts, outbox, metrics: m, log, sent: { plans, callIns: callInsSent, shiftPlans } });

  live = true;
  const consumer = await runValidatedConsumer({
    kafka,
    groupId: settings.ROSTERING_GROUP,
    topics: [...DEMAND_TOPICS],
    fromBeginning: true,
    deadLetterProducer: producer,
    logger: log,
    handle: async (event, meta) => {
      const end = replay.ends.get(`${meta.topic}/${meta.partition}`);
      if (end !== undefined && BigInt(meta.offset) <= end) return; // already in history
      round.fold(event);
      m.events.inc({ type: event.type, phase: 'live' });
      try {
        await rounds.runDue();
      } catch (err) {
        // The event is already in history; a failed plan (broker hiccup) is retried next bucket.
        log.error({ err: (err as Error).message }, 'planning step failed');
      }
    },
  });

  consumer.on(consumer.events.GROUP_JOIN, (e) => log.info({ group: settings.ROSTERING_GROUP, assignment: e.payload.memberAssignment }, 'joined consumer group'));
  consumer.on(consumer.events.CRASH, (e) => log.error({ err: e.payload.error?.message, restart: e.payload.restart }, 'log consumer crashed'));

  const jobs: Channel = await opts.amqp.createChannel();
  watchChannel(jobs, 'jobs');
  retrains = await consumeRetrainJobs({
    channel: jobs,
    kafka,
    modelsDir: settings.MODELS_DIR,
    backend: opts.backend.backend,
    databaseUrl: opts.databaseUrl,
    modelTopic: useTopic,
    keepModels: settings.ROSTERING_KEEP_MODELS,
    log,
    forecasts,
    metrics: m,
    outbox,
    now: () => (Number.isFinite(history.watermark()) ? history.watermark() : Date.now()),
  });

  log.info({ port: http.port, group: settings.ROSTERING_GROUP, backend: opts.backend.backend, source: forecasts.source.version }, 'rostering running');

  return {
    port: http.port,
    history,
    source: () => forecasts.source,
    plans,
    callIns: callInsSent,
    shiftPlans,
    registryAtStart,
    async close() {
      closing = true;
      opts.amqp.off('close', onConnectionClose);
      await consumer.disconnect().catch(() => {});
      await follower?.stop();
      await retrains?.running()?.catch(() => {});
      await jobs.close().catch(() => {});
      await pub.close().catch(() => {});
      await producer.disconnect().catch(() => {});
      await http.close();
      forecasts.dispose();
    },
  };
}
