import { z } from 'zod';
import type { LabLevers } from './lab-levers.js';

// The policy lab's record of a finished run, and the lines its CLI prints with `--json`. The lab
// (apps/lab) writes them; the dashboard spawns the CLI and reads `lab.runs`, so neither imports the
// other: this file is the language they share.

/** Every finished lab run is one record here (key: its run id), so past runs are read from the log. */
export const LAB_RUNS_TOPIC = 'lab.runs';

/** The named dispatch policies the lab knows (apps/lab/src/policies.ts defines each). */
export const LAB_POLICY_NAMES = ['live', 'no-bundling', 'no-preposition', 'commit-early', 'slow-rounds'] as const;
export type LabPolicyName = (typeof LAB_POLICY_NAMES)[number];
/** Each dispatch policy in one sentence (the lab's --help and the Lab page's form say the same). */
export const LAB_POLICY_ABOUT: Record<LabPolicyName, string> = {
  live: 'the live service default (no DISPATCH_POLICY)',
  'no-bundling': 'one order per pickup (no bundles, no rescue ride-alongs)',
  'no-preposition': 'idle riders stay where they are',
  'commit-early': 'send a match as soon as it is found (no waiting for better information)',
  'slow-rounds': 'assignment every 5 minutes instead of every minute',
};

/** How often dispatch did what a named policy turns off, in the window (lab-levers.ts says which policy turns off which). */
export const LabLeversSchema = z.object({ bundledOrders: z.number(), repositions: z.number() }) satisfies z.ZodType<LabLevers>;

/** The rostering policies the lab knows (apps/lab/src/rostering-policies.ts defines each; `--rostering`). */
export const LAB_ROSTERING_NAMES = ['off', 'forecast', 'oracle'] as const;
export type LabRosteringName = (typeof LAB_ROSTERING_NAMES)[number];
/** What each means: a few words (the Lab page's selector) and a sentence (under it, and in run lists). */
export const LAB_ROSTERING_LABELS: Record<LabRosteringName, { short: string; about: string }> = {
  off: { short: 'recorded shifts', about: 'off: riders keep their recorded shifts and places' },
  forecast: { short: 'trained model', about: "forecast: the rostering service's round (moves, call-ins, day bookings) with its trained model, else its best baseline" },
  oracle: { short: 'true orders', about: "oracle: the same round told the window's real orders (the best any forecast could do)" },
};

/** What rostering did in one replay (one seed). */
export const LabRosteringStatsSchema = z.object({
  plans: z.number(),
  moves: z.number(),
  callInsAsked: z.number(),
  ridersCalledIn: z.number(),
  /** day bookings sent, taken by the simulator, and of those how many moved a recorded start */
  bookingsSent: z.number(),
  bookingsTaken: z.number(),
  bookingsMoved: z.number(),
  /** bookings that could not act in the replay, by reason (e.g. the booked day's shift begins after the recording ends) */
  bookingsRefused: z.number(),
  refusals: z.array(z.object({ reason: z.string(), count: z.number() })),
});
export type LabRosteringStats = z.infer<typeof LabRosteringStatsSchema>;

/** A KPI the run could not measure (no order delivered in an hour, say) is null, not NaN. */
const measured = z.number().nullable();
export const LabKpisSchema = z.object({
  created: z.number(),
  delivered: z.number(),
  cancelled: z.number(),
  clickToDoorMeanMin: measured,
  clickToDoorP90Min: measured,
  onTimeShare: measured,
  utilisation: measured,
  distanceKm: measured,
});
export type LabKpis = z.infer<typeof LabKpisSchema>;

export const LabKpiReportSchema = z.object({ total: LabKpisSchema, hourly: z.array(LabKpisSchema) });
export type LabKpiReport = z.infer<typeof LabKpiReportSchema>;

export const LabRunRecordSchema = z.object({
  runId: z.string().min(1),
  /** wall-clock ms the run finished */
  finishedAt: z.number(),
  /** the window, simulated ms */
  fromMs: z.number(),
  toMs: z.number(),
  policy: z.string(),
  sets: z.array(z.string()),
  /** the rostering policy, what its forecast was (e.g. "forecast: model v-…"), and what it did per seed; absent in runs recorded before it was kept */
  rostering: z.object({ policy: z.enum(LAB_ROSTERING_NAMES), note: z.string(), perSeed: z.array(LabRosteringStatsSchema) }).optional(),
  seeds: z.array(z.string()).min(1),
  recorded: LabKpiReportSchema,
  /** one report per seed */
  lab: z.array(LabKpiReportSchema).min(1),
  /** what dispatch did that a policy may turn off: in the recording and in each seed's replay; absent in runs recorded before it was kept */
  levers: z.object({ recorded: LabLeversSchema, lab: z.array(LabLeversSchema) }).optional(),
  /** wall-clock ms the whole run took (read, rebuild, replays, writes) */
  wallMs: z.number(),
});
export type LabRunRecord = z.infer<typeof LabRunRecordSchema>;

/** `npm run lab -- --json`: one JSON object a line on stdout. */
export const LabCliLineSchema = z.discriminatedUnion('type', [
  /** the input is valid and the run has begun */
  z.object({ type: z.literal('started'), runId: z.string() }),
  z.object({ type: z.literal('progress'), phase: z.enum(['read', 'replay', 'write']), done: z.number().min(0).max(1), text: z.string() }),
  z.object({ type: z.literal('result'), record: LabRunRecordSchema }),
  /** exitCode 2: bad input (the message says which); 1: the log failed */
  z.object({ type: z.literal('error'), message: z.string(), exitCode: z.number() }),
]);
export type LabCliLine = z.infer<typeof LabCliLineSchema>;

/**
 * The topic whose oldest record is the first recorded dispatch decision. Before it, a first
 * `npm start` writes days of statistical history (orders served by a model, no dispatcher, pings
 * once a minute): good for training, but a replay of it is compared with a world nobody dispatched.
 */
export const LAB_FIRST_DECISION_TOPIC = 'dispatch.assignments';

/** The earliest start a lab window may have: the first recorded dispatch decision, rounded up to the whole minute. */
export function earliestLabStart(firstDecisionMs: number): number {
  return Math.ceil(firstDecisionMs / 60_000) * 60_000;
}

/** Simulated UTC to the minute, ISO 8601 ("2025-03-03T18:40Z"): what `--from` and the page's fields both accept. */
const isoMinute = (ms: number) => `${new Date(ms).toISOString().slice(0, 16)}Z`;

/**
 * Why a lab window starting at `fromMs` cannot be replayed, or null when it can: it starts inside
 * the statistical history, before the first recorded dispatch decision (null when none was
 * recorded: nothing to refuse on). One rule, for the CLI and the Lab page alike; each writes times
 * its own way (`fmt`).
 */
export function labWindowStartRefusal(fromMs: number, firstDecisionMs: number | null, fmt: (ms: number) => string = isoMinute): string | null {
  if (firstDecisionMs === null || fromMs >= firstDecisionMs) return null;
  return `Before ${fmt(firstDecisionMs)} the log holds statistical history, not dispatched operations (no dispatch decision was recorded): a replay would be compared with a world nobody dispatched. Start at ${fmt(earliestLabStart(firstDecisionMs))} or later.`;
}

/**
 * A lab run as the dashboard follows it (GET /api/lab/current, and pushed on the dashboard's
 * socket as `lab` on every change): its input, phase and progress, then its record or error.
 */
export interface LabRunState {
  runId: string | null;
  input: { fromMs: number; toMs: number; policy: string; rostering: string; sets: string[]; seeds: number };
  state: 'running' | 'done' | 'failed';
  startedAt: number;
  phase: 'starting' | 'read' | 'replay' | 'write' | 'done';
  /** 0..1 over the whole run */
  done: number;
  text: string;
  error: string | null;
  record: LabRunRecord | null;
}
