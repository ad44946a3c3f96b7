import fs from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';

/** A problem with what the user asked for: one line, exit code 2, nothing started. */
export class InputError extends Error {
  override name = 'InputError';
}

export interface SimOptions {
  scenario: 'city' | 'mdrp';
  instance?: string;
  seed: string;
  /** Simulated seconds per wall second; Infinity = as fast as possible. Ignored when rate is set. */
  speed: number;
  rate?: number;
  riders: number;
  stores: number;
  zones: number;
  startMs: number;
  /** Simulated run length; Infinity = until stopped (city) or end of instance (mdrp). */
  durationMs: number;
  brokers: string[];
  /** AMQP URL for rider instructions; null = no instructions (open loop). */
  amqp: string | null;
  history: boolean;
  pingIntervalMs: number;
  cancelAfterMs: number;
  demandFactor: number;
  digestOrders: number;
  dryRun: boolean;
  quiet: boolean;
  connectTimeoutMs: number;
  /**
   * This run continues a log an earlier run wrote: orders still in flight on it (created, not yet
   * delivered or cancelled) are cancelled at the start, reason simulator_restart.
   */
  resume: boolean;
  /** --history: at the end, write the world's state (riders on shift, orders in flight) to this file for --take-over. */
  writeHandover?: string;
  /** A live run: on a graceful stop (SIGINT/SIGTERM), write its riders and in-flight orders to this file for the next start's --take-over. */
  writeLiveHandover?: string;
  /** A first start's live run: take over the riders and in-flight orders of the history that wrote this file. */
  takeOver?: string;
  /** MDRP: write the evaluator's three solution files here at the end of the run. */
  solutionDir?: string;
  /** SASL/PLAIN for the log, from KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD (as every service). */
  kafkaSasl?: { mechanism: 'plain'; username: string; password: string };
}

export const DEFAULT_START = '2025-03-03T11:00:00Z';
export const DEFAULT_HISTORY_START = '2025-03-03T00:00:00Z';

export function buildProgram(env: Record<string, string | undefined>): Command {
  return new Command('sim')
    .description('Riderflow simulator: a city of riders, stores, customers and weather that floods the log and obeys rider instructions from the task queues.')
    .addOption(new Option('--scenario <name>', 'city (generated) or mdrp (replay a Grubhub MDRP instance)').choices(['city', 'mdrp']).default('city'))
    .option('--instance <dir>', 'MDRP instance folder (with --scenario mdrp); public instances: https://github.com/grubhub/mdrplib')
    .option('--seed <text>', 'seed of the world, demand and weather (same seed → same run)', 'riderflow')
    .option('--speed <n|max>', 'simulated seconds per wall second, or "max" for as fast as the log takes it', '60')
    .option('--rate <events/s>', 'target events per second: the simulated clock runs as fast as needed to produce them (instead of --speed)')
    .option('--riders <n>', 'riders in the city', '200')
    .option('--stores <n>', 'stores in the city', '120')
    .option('--zones <n>', 'zones (a grid around the centre; with mdrp, a grid over the instance)', '16')
    .option('--start <time>', `simulated start, ISO 8601 UTC (default ${DEFAULT_START}; ${DEFAULT_HISTORY_START} for --history and mdrp)`)
    .option('--duration <d>', 'simulated run length, e.g. 90s, 45m, 6h, 2d (default: until stopped; mdrp: the whole instance)')
    .option('--days <n>', 'simulated run length in days (alternative to --duration)')
    .option('--brokers <list>', 'Kafka bootstrap brokers host:port[,host:port]', env.KAFKA_BROKERS || '127.0.0.1:9092')
    .option('--amqp <url>', 'AMQP URL for rider instructions', env.AMQP_URL || 'amqp://guest:guest@127.0.0.1:5673')
    .option('--no-amqp', 'do not consume rider instructions (open loop: unassigned orders time out)')
    .option('--resume', 'this start continues an earlier run on the same log: cancel the orders it left in flight (reason simulator_restart)')
    .option('--write-handover <file>', 'with --history: at its end, write where the riders are and the orders in flight, for a live run\'s --take-over')
    .option('--write-live-handover <file>', 'a live run: on SIGINT/SIGTERM, write where the riders are and the orders in flight to <file>, for the next start\'s --take-over')
    .option('--take-over <file>', 'start right after the history that wrote <file> (--write-handover): its riders go on from where they are and its in-flight orders are finished, not cancelled')
    .option('--history', 'history generation: a statistical model of service instead of instructions (training data only; no AMQP)')
    .option('--solution <dir>', 'with --scenario mdrp: write what riders did as the published evaluator\'s solution files into <dir>')
    .option('--ping-interval <s>', 'simulated seconds between rider location pings (default 5; 60 with --history)')
    .option('--cancel-after <min>', 'cancel orders nobody assigned after this many simulated minutes (default 20; mdrp 60)')
    .option('--demand <factor>', 'multiplier on order demand', '1')
    .option('--digest-orders <n>', 'orders covered by the printed determinism digest', '100')
    .option('--dry-run', 'build the world, print the digest and exit without connecting')
    .option('--quiet', 'no progress line')
    .option('--connect-timeout <ms>', 'give up on an unreachable broker after this long', '3000')
    .allowExcessArguments(false)
    .showSuggestionAfterError(true);
}

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(text: string): number | null {
  const m = DURATION.exec(text.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2]] : null;
}

function int(name: string, raw: string, min: number, max: number): number {
  const v = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(v)) throw new InputError(`${name} must be a whole number (got "${raw}")`);
  if (v < min || v > max) throw new InputError(`${name} must be between ${min} and ${max} (got ${v})`);
  return v;
}

function positive(name: string, raw: string, max = Number.MAX_SAFE_INTEGER): number {
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || v <= 0) throw new InputError(`${name} must be a positive number (got "${raw}")`);
  if (v > max) throw new InputError(`${name} must be at most ${max} (got ${v})`);
  return v;
}

/** Turns commander's raw values into validated options; throws InputError naming the bad option. */
export function resolveOptions(program: Command, env: Record<string, string | undefined> = process.env): SimOptions {
  const o = program.opts<Record<string, string | boolean | undefined>>();
  const given = (name: string) => program.getOptionValueSource(name) === 'cli';
  const scenario = o.scenario as 'city' | 'mdrp';
  const history = o.history === true;

  if (scenario === 'mdrp') {
    if (!o.instance) throw new InputError('--scenario mdrp needs --instance <dir> (an MDRP instance folder)');
    for (const opt of ['riders', 'stores']) if (given(opt)) throw new InputError(`--${opt} does not apply to --scenario mdrp (the instance fixes couriers and restaurants)`);
    if (history) throw new InputError('--history works with --scenario city only');
  } else if (o.instance) {
    throw new InputError('--instance needs --scenario mdrp');
  } else if (o.solution) {
    throw new InputError('--solution needs --scenario mdrp');
  }
  if (o.resume === true && scenario === 'mdrp') throw new InputError('--resume works with --scenario city only (an MDRP instance is replayed whole)');
  if (o.writeLiveHandover !== undefined && (history || scenario === 'mdrp')) throw new InputError('--write-live-handover is for a live city run (the history writes --write-handover)');
  if (o.writeHandover !== undefined && !history) throw new InputError('--write-handover needs --history (a live run hands nothing over)');
  if (o.takeOver !== undefined) {
    if (history || scenario === 'mdrp') throw new InputError('--take-over is for a live city run (it continues a history)');
    if (o.resume === true) throw new InputError('--take-over and --resume are alternatives: take over a history just written, or cancel what a stopped run left in flight');
    if (!fs.existsSync(String(o.takeOver))) throw new InputError(`--take-over: ${o.takeOver} does not exist`);
  }
  if (o.solution) {
    const parent = path.dirname(path.resolve(String(o.solution)));
    if (!fs.existsSync(parent)) throw new InputError(`--solution: folder ${parent} does not exist`);
    if (fs.existsSync(String(o.solution)) && !fs.statSync(String(o.solution)).isDirectory()) throw new InputError(`--solution: ${o.solution} is a file, not a folder`);
  }

  let speed = Infinity;
  const speedRaw = String(o.speed);
  if (speedRaw !== 'max') speed = positive('--speed', speedRaw, 1e7);
  let rate: number | undefined;
  if (o.rate !== undefined) {
    if (given('speed')) throw new InputError('--rate and --speed are alternatives: --rate sets the clock from a target event rate');
    rate = positive('--rate', String(o.rate), 1e7);
  }

  const startText = (o.start as string | undefined) ?? (history || scenario === 'mdrp' ? DEFAULT_HISTORY_START : DEFAULT_START);
  const startMs = Date.parse(startText);
  if (!/^\d{4}-\d{2}-\d{2}/.test(startText) || Number.isNaN(startMs)) throw new InputError(`--start must be an ISO 8601 time such as ${DEFAULT_START} (got "${startText}")`);
  if (startMs < 0) throw new InputError(`--start must be after 1970 (got "${startText}")`);

  if (o.duration !== undefined && o.days !== undefined) throw new InputError('give either --duration or --days, not both');
  let durationMs = Infinity;
  if (o.duration !== undefined) {
    const d = parseDuration(String(o.duration));
    if (d === null || d <= 0) throw new InputError(`--duration must look like 90s, 45m, 6h or 2d (got "${o.duration}")`);
    durationMs = d;
  } else if (o.days !== undefined) {
    durationMs = positive('--days', String(o.days), 366) * 86_400_000;
  }

  const brokers = String(o.brokers).split(',').map((b) => b.trim()).filter(Boolean);
  if (brokers.length === 0) throw new InputError('--brokers must list at least one host:port');
  for (const b of brokers) if (!/^[^:\s/]+:\d{1,5}$/.test(b)) throw new InputError(`--brokers: "${b}" is not host:port`);

  let amqp: string | null = null;
  if (o.amqp !== false && !history) {
    amqp = String(o.amqp);
    if (!/^amqps?:\/\/[^\s]+$/.test(amqp)) throw new InputError(`--amqp must be an amqp:// URL (got "${amqp}")`);
  }

  const pingS = o.pingInterval !== undefined ? positive('--ping-interval', String(o.pingInterval), 86_400) : history ? 60 : 5;
  const cancelMin = o.cancelAfter !== undefined ? positive('--cancel-after', String(o.cancelAfter), 1_440) : scenario === 'mdrp' ? 60 : 20;

  return {
    scenario,
    instance: o.instance as string | undefined,
    seed: String(o.seed),
    speed,
    rate,
    riders: int('--riders', String(o.riders), 1, 200_000),
    stores: int('--stores', String(o.stores), 1, 100_000),
    zones: int('--zones', String(o.zones), 1, 2_500),
    startMs,
    durationMs,
    brokers,
    amqp,
    history,
    resume: o.resume === true,
    ...(o.writeHandover !== undefined ? { writeHandover: String(o.writeHandover) } : {}),
    ...(o.takeOver !== undefined ? { takeOver: String(o.takeOver) } : {}),
    ...(o.writeLiveHandover !== undefined ? { writeLiveHandover: String(o.writeLiveHandover) } : {}),
    pingIntervalMs: Math.round(pingS * 1000),
    cancelAfterMs: Math.round(cancelMin * 60_000),
    demandFactor: positive('--demand', String(o.demand), 1_000),
    digestOrders: int('--digest-orders', String(o.digestOrders), 0, 1_000_000),
    dryRun: o.dryRun === true,
    quiet: o.quiet === true,
    connectTimeoutMs: int('--connect-timeout', String(o.connectTimeout), 100, 600_000),
    solutionDir: o.solution as string | undefined,
    ...(env.KAFKA_SASL_USERNAME ? { kafkaSasl: { mechanism: 'plain' as const, username: env.KAFKA_SASL_USERNAME, password: env.KAFKA_SASL_PASSWORD ?? '' } } : {}),
  };
}
