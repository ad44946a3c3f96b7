import { z } from 'zod';

// The policy lab's record of a finished run, and the lines its CLI prints with `--json`. The lab
// (apps/lab) writes them; the dashboard spawns the CLI and reads `lab.runs`, so neither imports the
// other: this file is the language they share.

/** Every finished lab run is one record here (key: its run id), so past runs are read from the log. */
export const LAB_RUNS_TOPIC = 'lab.runs';

/** The named dispatch policies the lab knows (apps/lab/src/policies.ts defines each). */
export const LAB_POLICY_NAMES = ['live', 'no-bundling', 'no-preposition', 'commit-early', 'slow-rounds'] as const;
export type LabPolicyName = (typeof LAB_POLICY_NAMES)[number];

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
  seeds: z.array(z.string()).min(1),
  recorded: LabKpiReportSchema,
  /** one report per seed */
  lab: z.array(LabKpiReportSchema).min(1),
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
