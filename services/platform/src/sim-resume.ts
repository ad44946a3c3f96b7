import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { TOPIC } from '@riderflow/contracts';
import { createKafka, loadConfig } from '@riderflow/service-kit';
import { latestTimestamp } from '@riderflow/walkthrough';

// A second `npm start` continues the simulated clock where the log ends, so simulated time never
// runs backwards on the log and "replay from 18:00" keeps meaning one moment.

/** Topics the simulator writes most often: their newest record is the simulated "now". */
const CLOCK_TOPICS = [TOPIC.riderLocation, TOPIC.orderEvents];

/** Newest simulated time on the log, or null when the simulator has never written to it. */
export async function newestSimTime(brokers: string[]): Promise<number | null> {
  // The kit's client, so SASL credentials (KAFKA_SASL_*) apply here as in every service.
  const kafka = createKafka({ ...loadConfig(process.env), kafkaBrokers: brokers }, 'riderflow-platform', { retry: { retries: 3 } });
  const admin = kafka.admin();
  await admin.connect();
  const existing = new Set(await admin.listTopics().finally(() => admin.disconnect()));
  let newest: number | null = null;
  for (const topic of CLOCK_TOPICS.filter((t) => existing.has(t))) {
    const ts = await latestTimestamp(kafka, topic).catch(() => null);
    if (ts !== null && (newest === null || ts > newest)) newest = ts;
  }
  return newest;
}

/** The simulator's --start: one simulated second after the newest record, else the configured start. */
export async function simulatorStart(brokers: string[], fallback: string): Promise<{ start: string; resumed: boolean; newest: number | null }> {
  const newest = await newestSimTime(brokers);
  if (newest === null) return { start: new Date(Date.parse(fallback)).toISOString(), resumed: false, newest };
  return { start: new Date(newest + 1_000).toISOString(), resumed: true, newest };
}

/**
 * The hand-over a gracefully stopped live run wrote (`file`), claimed for this start: renamed to
 * `<file>.taken` (used at most once) with the simulated instant it describes, which is where this
 * start's clock continues. Null when there is none or it does not match the log, i.e. the log's
 * newest record is after its instant (a later run wrote on), or the log is empty, or the file is
 * unreadable: such a file is removed, and the start cancels what was in flight (--resume) as after
 * a SIGKILL.
 */
export function claimLiveHandover(file: string, newestOnLog: number | null): { file: string; endMs: number } | null {
  if (!existsSync(file)) return null;
  let endMs: unknown;
  try {
    endMs = (JSON.parse(readFileSync(file, 'utf8')) as { endMs?: unknown }).endMs;
  } catch {
    endMs = undefined;
  }
  if (typeof endMs !== 'number' || !Number.isSafeInteger(endMs) || newestOnLog === null || newestOnLog > endMs) {
    rmSync(file, { force: true });
    return null;
  }
  const taken = `${file}.taken`;
  renameSync(file, taken);
  return { file: taken, endMs };
}

/**
 * The simulator's launch arguments. Right after this start's history (`takeOverFile`, which that
 * history wrote at its end), the live run takes over the history's riders and in-flight orders and
 * finishes them: nothing restarted, so nothing is cancelled as if it had. Any other resumed start
 * passes --resume: the simulator keeps riders' jobs and customers' orders in memory only, so it
 * cancels on the log the orders the earlier run left in flight (reason simulator_restart) rather
 * than leave them open for ever.
 */
export function simulatorLaunchArgs(start: string, resumed: boolean, takeOverFile: string | null = null): string[] {
  if (!resumed) return ['--start', start];
  return takeOverFile !== null ? ['--start', start, '--take-over', takeOverFile] : ['--start', start, '--resume'];
}

/**
 * The start line's account of where the live clock starts. After a first start's history the log's
 * newest record is that history's end, so "continuing" would claim an earlier run that never was:
 * say the history was just written instead (`historyDays` set: it ran on this start).
 */
export function simulatorStartLine(start: string, resumed: boolean, historyDays: number | null, liveHandover = false): string {
  if (!resumed) return `simulator: a fresh log; simulated clock starts at ${start}`;
  if (liveHandover) return `simulator: continuing the simulated clock at ${start} (where the earlier run stopped gracefully: it takes over that run's riders and orders in flight)`;
  if (historyDays !== null) return `simulator: simulated clock starts at ${start}, where the ${historyDays} simulated day${historyDays === 1 ? '' : 's'} of history just written end`;
  return `simulator: continuing the simulated clock at ${start} (the newest record on the log, from an earlier run)`;
}
