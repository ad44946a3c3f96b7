import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import amqp from 'amqplib';
import { pino } from 'pino';
import { type LogEvent } from '@riderflow/contracts';
import { createKafka, loadConfig } from '@riderflow/service-kit';
import { startStreamlog } from '@riderflow/streamlog';
import { startTaskqueue } from '@riderflow/taskqueue';
import { startDispatchService, loadServiceSettings } from '@riderflow/dispatch';
import { buildProgram, resolveOptions, runSimulation } from '@riderflow/simulator';
import { RosteringEnvSchema, type BackendChoice, startRostering } from '@riderflow/rostering';
import type { HistorySource } from './sim-history.js';
import { LoopTap, type LoopDiagnostics } from './loop-diagnostics.js';
import { CalibrationTap, type CalibrationHour } from '@riderflow/rostering/core';
import { OracleForecastSource, oracleDayForecast, trueDemand } from './oracle.js';

/** off: riders keep their habits; ml: rostering with its forecasts; oracle: the same rostering code given the day's true demand. */
export type LoopArm = 'off' | 'ml' | 'oracle';

export interface LoopOptions {
  seed: string;
  riders: number;
  zones: number;
  stores: number;
  startIso: string;
  duration: string;
  speed: number;
  pingIntervalS: number;
  demandFactor: number;
  /** Minutes an order waits unassigned before it is cancelled (the simulator's --cancel-after). */
  cancelAfterMin?: number;
  /** Settings for the rostering service (env names), e.g. {ROSTERING_BOOK_SHIFTS: 'false'}. */
  rosteringEnv?: Record<string, string>;
  /** Dispatch policy overrides (JSON), e.g. {"prepositionEnabled":false}: same in both arms. */
  dispatchPolicy?: string;
  modelsDir: string;
  backend: BackendChoice;
  /** History of the same world before startIso, fed to rostering (yesterday / last week features). */
  history?: HistorySource;
}

export interface LoopResult {
  arm: LoopArm;
  rostering: boolean;
  /** 90th percentile of click-to-door over delivered orders, minutes. */
  p90ClickToDoorMin: number;
  /** Per hour: riders the staffing rule needed on the orders that came, riders on shift, on-time share. */
  calibration: CalibrationHour[];
  created: number;
  delivered: number;
  cancelled: number;
  meanClickToDoorMin: number;
  within40Share: number;
  /** Delivered within 40 min over all orders created (a cancelled order counts as a miss). */
  within40OfCreated: number;
  plans: number;
  moves: number;
  /** Riders the simulated operations office called in (their later shift moved to now, same length). */
  ridersCalledIn: number;
  /** Shifts rostering booked that the operations office took (and refused). */
  shiftsBooked: number;
  shiftBookingsRefused: number;
  /** Rider-hours on shift inside the run's window (call-ins move hours into it; the day's total is unchanged). */
  riderHoursInWindow: number;
  dispatchRepositions: number;
  wallSeconds: number;
  simLagNote: string;
  diagnostics?: LoopDiagnostics;
}

/**
 * One closed-loop run, everything in this process on fresh embedded brokers: the simulator
 * (riders obey instructions from the queue), the dispatch service, and — when `rostering` —
 * the rostering service. Same seed and rider count for both arms, so only rostering differs.
 */
export async function runClosedLoop(o: LoopOptions, arm: LoopArm): Promise<LoopResult> {
  const rostering = arm !== 'off';
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-rostering-loop-'));
  const silent = pino({ level: process.env.BENCH_LOG ?? 'silent' });
  const log = await startStreamlog({ port: 0, dataDir: path.join(tmp, 'log'), durability: 'none' });
  const tq = await startTaskqueue({ port: 0, dataDir: path.join(tmp, 'tq'), durability: 'none' });
  const config = loadConfig({ KAFKA_BROKERS: log.brokers, AMQP_URL: tq.url, LOG_LEVEL: 'silent' });
  const started = Date.now();
  const result: LoopResult = { arm, rostering, p90ClickToDoorMin: NaN, calibration: [], created: 0, delivered: 0, cancelled: 0, meanClickToDoorMin: NaN, within40Share: NaN, within40OfCreated: NaN, plans: 0, moves: 0, ridersCalledIn: 0, shiftsBooked: 0, shiftBookingsRefused: 0, riderHoursInWindow: 0, dispatchRepositions: 0, wallSeconds: 0, simLagNote: '' };
  let dispatch: Awaited<ReturnType<typeof startDispatchService>> | undefined;
  let roster: Awaited<ReturnType<typeof startRostering>> | undefined;
  let conn: amqp.ChannelModel | undefined;
  try {
    dispatch = await startDispatchService(config, loadServiceSettings({ DISPATCH_HTTP_PORT: '0', DISPATCH_POLICY: o.dispatchPolicy }), silent);
    const simArgs = ['--seed', o.seed, '--riders', String(o.riders), '--zones', String(o.zones), '--stores', String(o.stores),
      '--start', o.startIso, '--duration', o.duration, '--ping-interval', String(o.pingIntervalS), '--demand', String(o.demandFactor),
      ...(o.cancelAfterMin !== undefined ? ['--cancel-after', String(o.cancelAfterMin)] : [])];
    if (rostering) {
      const truth = arm === 'oracle' ? trueDemand(simArgs) : undefined;
      conn = await amqp.connect(tq.url);
      const settings = RosteringEnvSchema.parse({ ROSTERING_HTTP_PORT: '0', MODELS_DIR: o.modelsDir, ...o.rosteringEnv });
      roster = await startRostering({
        kafka: createKafka(config, 'rostering'),
        amqp: conn,
        settings,
        backend: o.backend,
        logger: silent,
        preload: o.history ? (add) => o.history!.forEach((e) => add(e as LogEvent)) : undefined,
        ...(truth ? { forecastOverride: { source: new OracleForecastSource(truth), dayForecast: oracleDayForecast(truth) } } : {}),
      });
    }
    const program = buildProgram({});
    program.parse(
      ['--brokers', log.brokers, '--amqp', tq.url, ...simArgs, '--speed', String(o.speed), '--quiet'],
      { from: 'user' },
    );
    const clickToDoor: number[] = [];
    const tap = new LoopTap(Date.parse(o.startIso));
    const calibration = new CalibrationTap();
    const shiftSince = new Map<string, number>();
    let riderMs = 0;
    const summary = await runSimulation(resolveOptions(program), {
      info: () => {},
      progress: () => {},
      onEvents: (events) => {
        for (const e of events) {
          tap.add(e);
          calibration.add(e);
          if (e.type === 'rider.shift_started') shiftSince.set(e.riderId, e.ts);
          else if (e.type === 'rider.shift_ended' && shiftSince.has(e.riderId)) { riderMs += e.ts - shiftSince.get(e.riderId)!; shiftSince.delete(e.riderId); }
          if (e.type === 'order.created') result.created++;
          else if (e.type === 'order.delivered') clickToDoor.push(e.clickToDoorMin);
          else if (e.type === 'order.cancelled') result.cancelled++;
        }
      },
    });
    for (const since of shiftSince.values()) riderMs += summary.simEndMs - since;
    result.riderHoursInWindow = riderMs / 3_600_000;
    result.ridersCalledIn = summary.stats.ridersCalledIn;
    result.shiftsBooked = summary.stats.shiftsBooked;
    result.shiftBookingsRefused = summary.stats.shiftBookingsRefused;
    result.delivered = clickToDoor.length;
    const sorted = [...clickToDoor].sort((a, b) => a - b);
    result.p90ClickToDoorMin = sorted.length > 0 ? sorted[Math.min(sorted.length - 1, Math.ceil(0.9 * sorted.length) - 1)] : NaN;
    result.calibration = calibration.rows(summary.simStartMs, summary.simEndMs);
    result.meanClickToDoorMin = clickToDoor.reduce((s, v) => s + v, 0) / Math.max(1, clickToDoor.length);
    const within = clickToDoor.filter((v) => v <= 40).length;
    result.within40Share = within / Math.max(1, clickToDoor.length);
    result.within40OfCreated = within / Math.max(1, result.created);
    result.plans = roster?.plans.length ?? 0;
    result.moves = roster?.plans.reduce((s, p) => s + p.moves.length, 0) ?? 0;
    result.dispatchRepositions = dispatch.stats.repositioned;
    result.diagnostics = tap.summary((roster?.plans ?? []).flatMap((p) => p.moves.map((mv) => ({ riderId: mv.riderId, atMs: p.bucketStart, toZoneId: mv.toZoneId }))));
    result.simLagNote = `sim ${((summary.simEndMs - summary.simStartMs) / 3_600_000).toFixed(1)} h in ${(summary.wallMs / 1000).toFixed(0)} s wall`;
  } finally {
    await roster?.close().catch(() => {});
    await conn?.close().catch(() => {});
    await dispatch?.close().catch(() => {});
    await tq.close().catch(() => {});
    await log.close().catch(() => {});
    fs.rmSync(tmp, { recursive: true, force: true });
    result.wallSeconds = (Date.now() - started) / 1000;
  }
  return result;
}
