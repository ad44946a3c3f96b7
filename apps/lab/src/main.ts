#!/usr/bin/env tsx
import { Command, CommanderError } from 'commander';
import { formatComparison } from './comparison.js';
import { recordedKpis, replayWindow, type ReplayResult } from './lab-run.js';
import { labWindowStartRefusal, type LabCliLine, type LabKpiReport, type LabRosteringStats, type LabRunRecord } from '@riderflow/contracts';
import type { KpiReport } from './kpis.js';
import { countLevers } from './policy-levers.js';
import { checkRunId, deleteLabRun, firstRecordedDecision, labKafka, LAB_OUTPUT_TOPICS, labTopic, openLabWriter, readRecorded, writeRunRecord } from './lab-log.js';
import { POLICIES, resolvePolicy } from './policies.js';
import { resolveRostering, ROSTERING_POLICIES } from './rostering-policies.js';
import { DEFAULT_WARM_UP_MS, LabInputError, rebuildWindow } from './recorded-window.js';

/**
 * `npm run lab -- --from <time> --to <time> --policy <name> [--set key=value ...] [--seeds N]`.
 * Exit codes: 0 done, 1 runtime failure (log unreachable), 2 bad input.
 */
function program(env: Record<string, string | undefined>): Command {
  return new Command('lab')
    .description('Policy lab: replays a recorded window of the log with another dispatch policy and compares it with what happened.')
    .option('--brokers <list>', 'Kafka bootstrap brokers host:port[,host:port]', env.KAFKA_BROKERS || '127.0.0.1:9092')
    .option('--from <time>', 'window start, simulated time, ISO 8601 UTC (e.g. 2025-03-03T17:00:00Z)')
    .option('--to <time>', 'window end, simulated time, ISO 8601 UTC')
    .option('--policy <name>', `dispatch policy: ${Object.entries(POLICIES).map(([k, v]) => `${k} (${v.about})`).join('; ')}`, 'live')
    .option('--set <key=value>', 'override a dispatch parameter (repeatable; see services/dispatch/src/core/config.ts)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--rostering <name>', `rostering policy: ${Object.entries(ROSTERING_POLICIES).map(([k, v]) => `${k} (${v})`).join('; ')}`, 'off')
    .option('--models-dir <dir>', 'trained forecast models for --rostering forecast (default: the rostering service\'s MODELS_DIR)', env.MODELS_DIR)
    .option('--seeds <n>', 'lab runs with seeds <seed>-1 … <seed>-n (the spread is shown)', '1')
    .option('--seed <text>', 'base seed of the world\'s remaining randomness', 'lab')
    .option('--warm-up <min>', 'simulated minutes replayed before --from so riders are busy when the window opens', String(DEFAULT_WARM_UP_MS / 60_000))
    .option('--run <id>', 'run id; outputs go to lab.<id>.<topic> (default: <policy>-<wall-clock>)')
    .option('--no-write', 'do not write the lab.<run>.* topics (compare only)')
    .option('--json', 'machine-readable: one JSON line per step on stdout (started, progress, result, error), no table')
    .option('--no-record', 'do not append the comparison to the lab.runs topic')
    .option('--check', 'validate the input that needs no log (times, seeds, warm-up, policy and --set, rostering name), then exit: 0 valid, 2 refused')
    .option('--cleanup <run>', 'delete the topics of lab run <run> and exit');
}

function time(name: string, v: unknown): number {
  if (typeof v !== 'string') throw new LabInputError(`${name} is required (ISO 8601 UTC, e.g. 2025-03-03T17:00:00Z)`);
  const ms = Date.parse(v);
  if (!Number.isFinite(ms)) throw new LabInputError(`${name} ${JSON.stringify(v)} is not a time (ISO 8601 UTC, e.g. 2025-03-03T17:00:00Z)`);
  return ms;
}

/** The record `lab.runs` holds: KPIs a run could not measure (NaN) become null. */
function reportRecord(r: KpiReport): LabKpiReport {
  const clean = <T extends object>(k: T) => Object.fromEntries(Object.entries(k).map(([n, v]) => [n, Number.isFinite(v) ? v : null])) as never;
  return { total: clean(r.total), hourly: r.hourly.map(clean) };
}

/** What rostering did in one replay, in words: its rounds, moves, call-ins and day bookings (and why bookings could not act). */
function rosteringSummary(seed: string, s: LabRosteringStats): string {
  const lines = [`rostering (seed ${seed}): ${s.plans} plans, ${s.moves} moves, ${s.callInsAsked} riders asked for, ${s.ridersCalledIn} called in; ` +
    `day bookings: ${s.bookingsSent} sent, ${s.bookingsTaken} taken (${s.bookingsMoved} moved a recorded shift start), ${s.bookingsRefused} could not act`];
  for (const r of s.refusals) lines.push(`  ${r.count} × ${r.reason}`);
  return lines.join('\n');
}

function bar(done: number, width = 24): string {
  const n = Math.max(0, Math.min(width, Math.round(done * width)));
  return `[${'#'.repeat(n)}${'.'.repeat(width - n)}] ${(100 * done).toFixed(0).padStart(3)} %`;
}

async function main(): Promise<number> {
  const cmd = program(process.env).exitOverride().configureOutput({ writeErr: () => {}, outputError: () => {} });
  try {
    cmd.parse(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help') { process.stdout.write(cmd.helpInformation()); return 0; }
      const message = err.message.replace(/^error: /, '');
      if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify({ type: 'error', message, exitCode: 2 } satisfies LabCliLine)}\n`);
      process.stderr.write(`lab: ${message}\n`);
      return 2;
    }
    throw err;
  }
  const o = cmd.opts();
  const json = o.json === true;
  const emit = (line: LabCliLine) => process.stdout.write(`${JSON.stringify(line)}\n`);
  const tty = process.stderr.isTTY && !json;
  const progress = (line: string) => process.stderr.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
  let lastProgress = 0;
  // In --json mode a progress step is a line on stdout (a reader draws its own bar), twice a second at most.
  let lastPhase: string | null = null;
  const throttled = (line: string, phase: 'read' | 'replay' | 'write' = 'read', done = 0) => {
    const now = Date.now();
    // The first line of each phase always goes out, so a reader sees every phase however fast it is.
    if (phase === lastPhase && now - lastProgress < (tty ? 100 : json ? 500 : 2_000)) return;
    lastProgress = now;
    lastPhase = phase;
    if (json) emit({ type: 'progress', phase, done: Math.max(0, Math.min(1, done)), text: line });
    else progress(line);
  };
  const brokers = String(o.brokers).split(',').map((s) => s.trim()).filter(Boolean);
  try {
    const kafka = labKafka(brokers);
    if (o.cleanup !== undefined) {
      const deleted = await deleteLabRun(kafka, String(o.cleanup));
      process.stdout.write(deleted.length ? `deleted ${deleted.join(', ')}\n` : `no topics of lab run ${o.cleanup}\n`);
      return 0;
    }
    const fromMs = time('--from', o.from);
    const toMs = time('--to', o.to);
    if (toMs <= fromMs) throw new LabInputError('--to must be after --from');
    const seeds = Number(o.seeds);
    if (!Number.isInteger(seeds) || seeds < 1 || seeds > 100) throw new LabInputError(`--seeds ${o.seeds}: a whole number from 1 to 100`);
    const warmUpMin = Number(o.warmUp);
    if (!Number.isFinite(warmUpMin) || warmUpMin < 0) throw new LabInputError(`--warm-up ${o.warmUp}: minutes, 0 or more`);
    const policyName = String(o.policy);
    const policy = resolvePolicy(policyName, o.set as string[]);
    // The dashboard asks this while a run is going, so bad knobs get their own refusal, not "busy".
    if (o.check === true) {
      if (!(String(o.rostering) in ROSTERING_POLICIES)) throw new LabInputError(`unknown rostering policy ${JSON.stringify(String(o.rostering))}; known: ${Object.keys(ROSTERING_POLICIES).join(', ')}`);
      if (!json) process.stdout.write('input valid\n');
      return 0;
    }
    const rostering = await resolveRostering(String(o.rostering), { modelsDir: o.modelsDir as string | undefined });
    const runId = checkRunId(o.run !== undefined ? String(o.run) : `${policyName}-${Date.now().toString(36)}`);

    // The same rule as the Lab page's (contracts): no window inside the statistical history.
    const refused = labWindowStartRefusal(fromMs, await firstRecordedDecision(kafka));
    if (refused !== null) throw new LabInputError(refused);

    if (json) emit({ type: 'started', runId });
    const t0 = Date.now();
    const recorded = await readRecorded(kafka, toMs, runId, (read, total) => throttled(`reading the log ${bar(total ? read / total : 1)} ${read.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} records`, 'read', total ? read / total : 1));
    const win = rebuildWindow(recorded, fromMs, toMs, warmUpMin * 60_000);
    const rec = recordedKpis(win);
    const runs: ReplayResult[] = [];
    for (let k = 1; k <= seeds; k++) {
      const seed = seeds === 1 ? String(o.seed) : `${o.seed}-${k}`;
      const span = win.toMs - win.replayFromMs;
      const result = replayWindow(win, policy, seed, (now) => throttled(`lab run ${k}/${seeds} ${bar((now - win.replayFromMs) / span)} sim ${new Date(now).toISOString().slice(11, 16)}Z`, 'replay', (k - 1 + (now - win.replayFromMs) / span) / seeds), rostering);
      if (o.write !== false) {
        lastProgress = 0;
        throttled(`writing lab run ${k}/${seeds} to lab.${runId}.*`, 'write', k / seeds);
        const id = seeds === 1 ? runId : `${runId}.s${k}`;
        const writer = await openLabWriter(kafka, id);
        try {
          await writer.write(result.events);
        } finally {
          await writer.close();
        }
      }
      runs.push(result);
    }
    if (tty) process.stderr.write('\r\x1b[2K');
    if (!json) progress(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s (replay ${runs.map((r) => (r.wallMs / 1000).toFixed(1)).join(' s, ')} s)${tty ? '\n' : ''}`);
    const record: LabRunRecord = {
      runId, finishedAt: Date.now(), fromMs, toMs, policy: policyName, sets: o.set as string[], seeds: runs.map((r) => r.seed),
      recorded: reportRecord(rec), lab: runs.map((r) => reportRecord(r.kpis)), wallMs: Date.now() - t0,
      levers: { recorded: countLevers(win.events, fromMs, toMs), lab: runs.map((r) => countLevers(r.events, fromMs, toMs)) },
      rostering: rostering
        ? { policy: rostering.name, note: rostering.note, perSeed: runs.map((r) => r.rostering!) }
        : { policy: 'off', note: 'riders keep their recorded shifts', perSeed: [] },
    };
    if (o.record !== false) await writeRunRecord(kafka, record);
    if (json) {
      emit({ type: 'result', record });
    } else {
      process.stdout.write(`window ${new Date(fromMs).toISOString()} – ${new Date(toMs).toISOString()} (replayed from ${new Date(win.replayFromMs).toISOString()}${win.replayFromMs === win.simulatorStartMs ? ', where the simulator that recorded it started' : ''}: ${win.orders.length} orders incl. warm-up, ${win.shifts.size} shifts); policy ${policyName}${(o.set as string[]).length ? ` ${(o.set as string[]).join(' ')}` : ''}; rostering ${rostering ? `${rostering.name} (${rostering.note})` : 'off'}; seeds ${seeds}\n`);
      if (o.write !== false) process.stdout.write(`outputs: ${LAB_OUTPUT_TOPICS.map((t) => labTopic(seeds === 1 ? runId : `${runId}.s<k>`, t)).join(', ')} (npm run lab -- --cleanup ${runId})\n`);
      process.stdout.write(`\n${formatComparison(rec, runs.map((r) => r.kpis), policyName, fromMs)}`);
      // Say it plainly rather than show a spread of zero as if it were measured variability.
      if (seeds > 1 && runs.every((r) => JSON.stringify(r.kpis) === JSON.stringify(runs[0].kpis))) {
        process.stdout.write(`all ${seeds} seeds gave the same result: the seeds draw only what the log never showed (patience of customers served before they would have given up, prep times of orders cancelled before ready, where called-in riders start), and this replay never reached such a draw.\n`);
      }
      for (const r of runs) if (r.rostering) process.stdout.write(`${rosteringSummary(r.seed, r.rostering)}\n`);
    }
    return 0;
  } catch (err) {
    if (tty) process.stderr.write('\n');
    const e = err as Error;
    const exitCode = err instanceof LabInputError ? 2 : 1;
    // kafkajs errors say what failed, not where: name the log.
    const message = exitCode === 2 ? e.message : `${/^KafkaJS/.test(e?.name ?? '') ? `log at ${brokers.join(',')} unreachable or refused: ` : ''}${e?.message ?? String(err)}`;
    if (json) emit({ type: 'error', message, exitCode });
    process.stderr.write(`lab: ${message}\n`);
    return exitCode;
  }
}

main().then(
  (code) => process.exit(code),
  (err) => { process.stderr.write(`lab: ${(err as Error)?.stack ?? String(err)}\n`); process.exit(1); },
);
