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
import { LoopTally, type LoopArm, type LoopResult } from './loop-result.js';
import { OracleForecastSource, oracleDayForecast, trueDemand } from './oracle.js';

export type { LoopArm, LoopResult };

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

/**
 * One closed-loop run in REAL TIME (`--real-time`), everything in this process on fresh embedded
 * brokers: the simulator (riders obey instructions from the queue) paced at `speed`, the dispatch
 * service, and — when `rostering` — the rostering service. Its outcome depends on machine load
 * (a loaded machine lags the simulation); the bench's default engine is sim-loop.ts.
 */
export async function runRealtimeLoop(o: LoopOptions, arm: LoopArm): Promise<LoopResult> {
  const rostering = arm !== 'off';
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-rostering-loop-'));
  const silent = pino({ level: process.env.BENCH_LOG ?? 'silent' });
  const log = await startStreamlog({ port: 0, dataDir: path.join(tmp, 'log'), durability: 'none' });
  const tq = await startTaskqueue({ port: 0, dataDir: path.join(tmp, 'tq'), durability: 'none' });
  const config = loadConfig({ KAFKA_BROKERS: log.brokers, AMQP_URL: tq.url, LOG_LEVEL: 'silent' });
  const started = Date.now();
  let result: LoopResult | undefined;
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
    const tally = new LoopTally(Date.parse(o.startIso));
    const summary = await runSimulation(resolveOptions(program), {
      info: () => {},
      progress: () => {},
      onEvents: (events) => { for (const e of events) tally.add(e); },
    });
    for (const p of roster?.plans ?? []) tally.addPlan(p.moves.map((mv) => ({ riderId: mv.riderId, atMs: p.bucketStart, toZoneId: mv.toZoneId })));
    result = tally.result(arm, {
      simStartMs: summary.simStartMs, simEndMs: summary.simEndMs, ridersCalledIn: summary.stats.ridersCalledIn,
      shiftsBooked: summary.stats.shiftsBooked, shiftBookingsRefused: summary.stats.shiftBookingsRefused, wallSeconds: 0,
      simLagNote: `real time: sim ${((summary.simEndMs - summary.simStartMs) / 3_600_000).toFixed(1)} h in ${(summary.wallMs / 1000).toFixed(0)} s wall, dispatch repositioned ${dispatch.stats.repositioned}`,
    });
  } finally {
    await roster?.close().catch(() => {});
    await conn?.close().catch(() => {});
    await dispatch?.close().catch(() => {});
    await tq.close().catch(() => {});
    await log.close().catch(() => {});
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  result.wallSeconds = (Date.now() - started) / 1000;
  return result;
}
