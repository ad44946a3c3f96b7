import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Kafka, Producer } from 'kafkajs';
import type { ChannelModel, ConfirmChannel, Channel } from 'amqplib';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { JobRetrainSchema, QUEUES, routeForTask, TOPIC, type JobRetrain, type LogEvent, type RiderRepositionInstruction, type RosterCallIn, type RosterModel, type RosterPlan, type RosterShift, type RosterShiftPlan } from '@riderflow/contracts';
import { consumeValidated, declareTopology, encodeEvent, encodeTask, ensureTopics, runValidatedConsumer, type Logger } from '@riderflow/service-kit';
import { BUCKETS_PER_DAY, bucketOf, bucketStartMs } from './core/buckets.js';
import { DemandHistory } from './core/demand-history.js';
import { HISTORY_KEEP_BUCKETS, plan, type Plan } from './core/planner.js';
import { CallInLimiter, trimRequests } from './core/call-in-requests.js';
import { worthwhileCallIns } from './core/call-in-worth.js';
import { AvailabilityBook } from './core/availability-book.js';
import { hourlySummary, planDay, type DayForecast } from './core/shift-plan.js';
import { DEMAND_TOPICS, replayLog } from './adapters/replay.js';
import type { BackendChoice } from './model/backend.js';
import { BaselineForecastSource, loadForecastSource, type ForecastSource } from './model/forecast-source.js';
import type { RosteringConfig } from './config.js';
import { trainFromLog } from './train-job.js';

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
  close(): Promise<void>;
}

/**
 * The rostering worker: rebuilds demand history by replaying the log, then follows it live with
 * consumer group "rostering"; each time simulated time enters a new 15-minute bucket it
 * forecasts, allocates, publishes a roster.plan and sends reposition instructions. Retrain jobs
 * arrive on jobs.rostering.
 */
export async function startRostering(opts: RosteringServiceOptions): Promise<RosteringService> {
  const { kafka, settings, logger: log } = opts;
  const history = new DemandHistory();
  const plans: Plan[] = [];
  const callInsSent: RosterCallIn[] = [];
  const callInLimiter = new CallInLimiter({ intervalMin: settings.ROSTERING_CALL_IN_INTERVAL_MIN, maxPerRound: settings.ROSTERING_CALL_IN_MAX });
  const availability = new AvailabilityBook();
  const shiftPlans: RosterShiftPlan[] = [];
  const noteAvailability = (e: LogEvent) => {
    if (e.type === 'rider.availability') availability.add(e);
  };
  let source: ForecastSource;
  let lastOrigin = Number.NEGATIVE_INFINITY;
  let live = false;
  let retraining: Promise<void> | undefined;
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

  const registry = new Registry();
  if (opts.processMetrics) collectDefaultMetrics({ register: registry });
  const m = {
    events: new Counter({ name: 'rostering_events_total', help: 'Events folded into demand history', labelNames: ['type', 'phase'], registers: [registry] }),
    plans: new Counter({ name: 'rostering_plans_total', help: 'roster.plan events published', registers: [registry] }),
    moves: new Counter({ name: 'rostering_moves_total', help: 'Reposition instructions sent', registers: [registry] }),
    callIns: new Counter({ name: 'rostering_call_in_riders_total', help: 'Riders asked for in call-in requests', registers: [registry] }),
    shiftsBooked: new Counter({ name: 'rostering_shifts_booked_total', help: 'Shift bookings sent (roster.shift)', registers: [registry] }),
    planSeconds: new Histogram({ name: 'rostering_plan_seconds', help: 'Wall time of one planning step', buckets: [0.005, 0.02, 0.05, 0.1, 0.25, 1, 5], registers: [registry] }),
    needed: new Gauge({ name: 'rostering_riders_needed', help: 'Riders needed per zone in the last plan', labelNames: ['zone'], registers: [registry] }),
    present: new Gauge({ name: 'rostering_riders_present', help: 'Riders present per zone in the last plan', labelNames: ['zone'], registers: [registry] }),
    forecast: new Gauge({ name: 'rostering_forecast_orders', help: 'Forecast orders per zone over the plan window', labelNames: ['zone'], registers: [registry] }),
    usingModel: new Gauge({ name: 'rostering_forecast_model_loaded', help: '1 when the TensorFlow.js model forecasts, 0 when a baseline does', registers: [registry] }),
    retrains: new Counter({ name: 'rostering_retrains_total', help: 'Retrain jobs', labelNames: ['result'], registers: [registry] }),
  };

  const useSource = async (version?: string) => {
    if (opts.forecastOverride) {
      source = opts.forecastOverride.source;
      m.usingModel.set(0);
      return;
    }
    const loaded = await loadForecastSource(settings.MODELS_DIR, version);
    if (loaded.error) log.warn({ reason: loaded.error.message, fallback: loaded.source.version }, 'forecasting model unavailable; using the best baseline instead');
    else log.info({ version: loaded.source.version }, 'forecasting model loaded');
    const old = source as ForecastSource | undefined;
    source = loaded.source;
    m.usingModel.set(source.kind === 'model' ? 1 : 0);
    old?.dispose();
  };
  await useSource(settings.MODEL_VERSION);

  // HTTP first, so /healthz answers during the (possibly long) history replay.
  const server = http.createServer((req, res) => {
    if (req.url === '/metrics') {
      registry.metrics().then(
        (body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body),
        (err: unknown) => res.writeHead(500).end(String(err)),
      );
    } else if (req.url === '/healthz') {
      res.writeHead(amqpLost === undefined ? 200 : 503, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          status: amqpLost === undefined ? 'ok' : 'amqp-lost',
          live,
          backend: opts.backend.backend,
          forecastSource: source.version,
          forecastKind: source.kind,
          watermark: Number.isFinite(history.watermark()) ? history.watermark() : null,
          zones: history.zoneIds().length,
          plans: plans.length,
          retraining: retraining !== undefined,
        }),
      );
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.ROSTERING_HTTP_PORT, settings.ROSTERING_HOST, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const producer: Producer = kafka.producer();
  await producer.connect();
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin).finally(() => admin.disconnect());

  const pub: ConfirmChannel = await opts.amqp.createConfirmChannel();
  watchChannel(pub, 'publish');
  await declareTopology(pub);

  // Rebuild history from the log (fresh group), then hand over to the live group at the offsets
  // the replay ended on, so no event is counted twice.
  opts.preload?.((e) => { history.add(e); noteAvailability(e); });
  const replayStart = Date.now();
  const replay = await replayLog({ kafka, onEvent: (e) => {
    history.add(e);
    noteAvailability(e);
    m.events.inc({ type: e.type, phase: 'replay' });
  }, logger: log });
  log.info({ events: replay.events, seconds: (Date.now() - replayStart) / 1000, zones: history.zoneIds().length }, 'history rebuilt from the log');

  const staffing = {
    serviceMin: settings.ROSTERING_SERVICE_MIN,
    doorMin: settings.ROSTERING_DOOR_MIN,
    targetMin: settings.ROSTERING_TARGET_MIN,
    targetShare: settings.ROSTERING_TARGET_SHARE,
  };

  /** Books the announced hours of every day that is due (see AvailabilityBook) and publishes the day's plan. */
  const bookDueShifts = async (now: number) => {
    const dayEndsAt = (day: number) => day + settings.ROSTERING_CLOSE_HOUR * 3_600_000;
    for (const due of availability.due(now, 15 * 60_000, dayEndsAt)) {
      const ids = due.riders.map((r) => r.riderId);
      const dayPlan = planDay(history, due.day, due.riders, {
        staffing,
        openHour: settings.ROSTERING_OPEN_HOUR,
        closeHour: settings.ROSTERING_CLOSE_HOUR,
        notBefore: now + settings.ROSTERING_SHIFT_LEAD_MIN * 60_000,
        ...(opts.forecastOverride ? { dayForecast: opts.forecastOverride.dayForecast } : {}),
      }, due.alreadyBooked);
      if (!dayPlan) {
        log.warn({ day: new Date(due.day).toISOString(), riders: ids.length }, 'no history for a day-ahead forecast; riders keep their own start times');
        availability.markBooked(due.day, ids, due.alreadyBooked);
        continue;
      }
      const { shifts, booked, unplaced } = dayPlan.booking;
      const ts = Math.trunc(now);
      const planId = `shifts-${due.day}-${ts}`;
      for (const sh of shifts) {
        const task: RosterShift = { type: 'roster.shift', v: 1, id: `shift:${due.day}:${sh.riderId}`, ts, riderId: sh.riderId, day: due.day, start: sh.start, end: sh.end, planId };
        const route = routeForTask(task);
        pub.publish(route.exchange, route.routingKey, encodeTask(task), { persistent: true, contentType: 'application/json', messageId: task.id });
      }
      if (shifts.length > 0) await pub.waitForConfirms();
      m.shiftsBooked.inc(shifts.length);
      availability.markBooked(due.day, ids, booked, shifts, dayPlan.need);
      const event: RosterShiftPlan = {
        type: 'roster.shift_plan', v: 1, id: `roster.shift_plan:${planId}`, ts, planId, day: due.day, forecastSource: dayPlan.forecast.source,
        hours: hourlySummary(due.day, dayPlan),
        shifts: shifts.map((sh) => ({ riderId: sh.riderId, start: sh.start, end: sh.end })),
      };
      await producer.send({ topic: TOPIC.rosterPlans, messages: [{ key: 'all', value: encodeEvent(event as LogEvent), timestamp: String(ts) }] });
      shiftPlans.push(event);
      if (shiftPlans.length > 30) shiftPlans.shift();
      log.info({ day: new Date(due.day).toISOString().slice(0, 10), booked: shifts.length, unplaced: unplaced.length, forecast: dayPlan.forecast.source }, 'shifts booked from the day-ahead forecast');
    }
  };

  const step = async () => {
    const origin = bucketOf(history.watermark()) - 1;
    if (!(origin > lastOrigin)) return;
    lastOrigin = origin;
    const t0 = Date.now();
    let forecasts: Map<string, number[]>;
    try {
      forecasts = source.forecast(history, origin);
    } catch (err) {
      log.error({ err: (err as Error).message, source: source.version }, 'forecast failed; switching to the best baseline');
      source.dispose();
      source = new BaselineForecastSource('auto');
      m.usingModel.set(0);
      forecasts = source.forecast(history, origin);
    }
    const p = plan(history, origin, forecasts, {
      staffing,
      speedKmh: settings.ROSTERING_RIDER_SPEED_KMH,
      maxTravelMin: settings.ROSTERING_MAX_MOVE_MIN,
    });
    const ts = Math.max(0, Math.trunc(history.watermark()));
    const moves = settings.ROSTERING_SEND_MOVES ? p.moves : [];
    const event: RosterPlan = {
      type: 'roster.plan',
      v: 1,
      id: `roster.plan:${p.bucketStart}`,
      ts,
      planId: `plan-${p.bucketStart}`,
      modelVersion: source.version,
      bucketStart: p.bucketStart,
      horizonMin: p.horizonMin,
      zones: p.zones.map((z) => ({ zoneId: z.zoneId, forecastOrders: z.forecastOrders, ridersNeeded: z.ridersNeeded, ridersPresent: z.ridersPresent })),
      moves: moves.map((mv) => ({ riderId: mv.riderId, fromZoneId: mv.fromZoneId, toZoneId: mv.toZoneId })),
      callIns: p.callIns,
      cityRidersNeeded: p.cityRidersNeeded,
      ridersOnShift: p.ridersAvailable,
    };
    await producer.send({ topic: TOPIC.rosterPlans, messages: [{ key: 'all', value: encodeEvent(event as LogEvent), timestamp: String(ts) }] });
    for (const mv of moves) {
      const task: RiderRepositionInstruction = { type: 'rider.instruction', v: 1, id: `reposition:${p.bucketStart}:${mv.riderId}`, ts, riderId: mv.riderId, action: 'reposition', zoneId: mv.toZoneId, lat: mv.lat, lon: mv.lon };
      const route = routeForTask(task);
      pub.publish(route.exchange, route.routingKey, encodeTask(task), { persistent: true, contentType: 'application/json', messageId: task.id });
    }
    const hourCallIn = p.callIns[0];
    // Book a due day first: call-ins are then weighed against its plan.
    if (settings.ROSTERING_BOOK_SHIFTS) await bookDueShifts(ts);
    const hourOfDay = new Date(ts).getUTCHours();
    const operating = hourOfDay >= settings.ROSTERING_OPEN_HOUR && hourOfDay < settings.ROSTERING_CLOSE_HOUR;
    let requests = settings.ROSTERING_SEND_CALL_INS && operating ? callInLimiter.next(ts, p.callIns, p.zones) : [];
    // With a day plan, a call-in takes hours from the end of a booked shift: ask only for the riders worth it.
    const today = bucketStartMs(Math.floor(bucketOf(ts) / BUCKETS_PER_DAY) * BUCKETS_PER_DAY);
    const roster = requests.length > 0 ? availability.roster(today) : undefined;
    if (roster) {
      const wanted = requests.reduce((s, r) => s + r.riders, 0);
      const worth = worthwhileCallIns(roster, ts, wanted);
      if (worth.riders < wanted) log.info({ wanted, worthIt: worth.riders }, 'call-ins trimmed: the hours they would take from later in the day are worth more');
      requests = trimRequests(requests, worth.riders);
      availability.updateRoster(worth.roster);
    }
    requests.forEach((rq, i) => {
      const task: RosterCallIn = {
        type: 'roster.call_in', v: 1, id: `call-in:${p.bucketStart}:${i}`, ts, riders: rq.riders,
        ...(rq.zoneId !== undefined ? { zoneId: rq.zoneId } : {}),
        reason: `plan-${p.bucketStart}: ${hourCallIn?.riders ?? 0} riders short for the hour from ${new Date(hourCallIn?.hourStart ?? p.bucketStart).toISOString()}`,
      };
      const route = routeForTask(task);
      pub.publish(route.exchange, route.routingKey, encodeTask(task), { persistent: true, contentType: 'application/json', messageId: task.id });
      m.callIns.inc(rq.riders);
      callInsSent.push(task);
      if (callInsSent.length > 200) callInsSent.shift();
    });
    if (moves.length > 0 || requests.length > 0) await pub.waitForConfirms();
    m.plans.inc();
    m.moves.inc(moves.length);
    for (const z of p.zones) {
      m.needed.set({ zone: z.zoneId }, z.ridersNeeded);
      m.present.set({ zone: z.zoneId }, z.ridersPresent);
      m.forecast.set({ zone: z.zoneId }, z.forecastOrders);
    }
    m.planSeconds.observe((Date.now() - t0) / 1000);
    plans.push(p);
    if (plans.length > 200) plans.shift();
    log.info({ bucketStart: new Date(p.bucketStart).toISOString(), source: source.version, riders: p.ridersAvailable, needed: p.zones.reduce((s, z) => s + z.ridersNeeded, 0), moves: moves.length, callIns: p.callIns.map((c) => c.riders), callInRequests: requests.map((r) => r.riders) }, 'roster plan published');
    if (origin % 96 === 0) history.prune(origin - HISTORY_KEEP_BUCKETS);
  };

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
      history.add(event);
      noteAvailability(event);
      m.events.inc({ type: event.type, phase: 'live' });
      try {
        await step();
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
  /** A retrain's progress on the log, so the dashboard can say running / finished / failed and which model is active. */
  const reportModel = async (fields: Omit<RosterModel, 'type' | 'v' | 'id' | 'ts' | 'activeModel'>) => {
    const ts = Math.max(0, Math.trunc(Number.isFinite(history.watermark()) ? history.watermark() : Date.now()));
    const event: RosterModel = { type: 'roster.model', v: 1, id: `roster.model:${fields.jobId}:${fields.status}`, ts, activeModel: source.version, ...fields };
    await producer.send({ topic: TOPIC.rosterPlans, messages: [{ key: 'all', value: encodeEvent(event as LogEvent), timestamp: String(ts) }] }).catch((err: unknown) => {
      log.warn({ err: (err as Error).message, status: fields.status }, 'could not publish the retrain status');
    });
  };
  const onRetrain = async (job: JobRetrain) => {
    log.info({ jobId: job.jobId, from: job.from, to: job.to }, 'retrain job received');
    await reportModel({ jobId: job.jobId, status: 'running' });
    const run = trainFromLog({ kafka, modelsDir: settings.MODELS_DIR, backend: opts.backend.backend, from: job.from, to: job.to, databaseUrl: opts.databaseUrl, logger: log })
      .then(async (res) => {
        log.info({ version: res.metadata.version, mae: res.metadata.metrics.mae, bestBaseline: res.metadata.bestBaseline }, `retrained\n${res.table}`);
        await useSource(res.metadata.version);
        m.retrains.inc({ result: 'ok' });
        const best = res.metadata.baselines[res.metadata.bestBaseline];
        await reportModel({ jobId: job.jobId, status: 'finished', version: res.metadata.version, mae: res.metadata.metrics.mae, ...(best ? { bestBaselineMae: best.mae } : {}) });
      })
      .catch(async (err: unknown) => {
        // A failed retrain keeps the current model; the job is done (acked) and reported.
        m.retrains.inc({ result: 'failed' });
        log.error({ jobId: job.jobId, err: (err as Error).message }, 'retrain failed; keeping the current forecaster');
        await reportModel({ jobId: job.jobId, status: 'failed', error: (err as Error).message });
      });
    retraining = run;
    await run;
    retraining = undefined;
  };
  await consumeValidated(jobs, QUEUES.jobsRostering, JobRetrainSchema, onRetrain, { prefetch: 1, logger: log });

  log.info({ port, group: settings.ROSTERING_GROUP, backend: opts.backend.backend, source: source!.version }, 'rostering running');

  return {
    port,
    history,
    source: () => source,
    plans,
    callIns: callInsSent,
    shiftPlans,
    async close() {
      closing = true;
      opts.amqp.off('close', onConnectionClose);
      await consumer.disconnect().catch(() => {});
      await retraining?.catch(() => {});
      await jobs.close().catch(() => {});
      await pub.close().catch(() => {});
      await producer.disconnect().catch(() => {});
      await new Promise<void>((resolve) => server.close(() => resolve()));
      source.dispose();
    },
  };
}
