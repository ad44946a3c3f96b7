import { z } from 'zod';

const errorMetrics = z.object({ mae: z.number(), rmse: z.number(), n: z.number() });

/**
 * Kafka's default `message.max.bytes` is 1,048,588 bytes; a registry record must fit on any Kafka,
 * not only on the embedded streamlog (which accepts far bigger frames). The writer checks it.
 */
export const ROSTERING_MODEL_RECORD_MAX_BYTES = 1_000_000;

/**
 * The files of one saved model version, carried in the record itself, so a rostering with an empty
 * models folder and another (or no) database can rebuild and use the active model from the log
 * alone. `modelJson`/`metadataJson` are the files' text; `weightsBase64` the weights file.
 */
export const RosteringModelArtifactsSchema = z.object({
  format: z.literal('tfjs-layers'),
  modelJson: z.string().min(1),
  metadataJson: z.string().min(1),
  weightsBase64: z.string(),
  /** Hex SHA-256 of the decoded weights: a reader refuses a record whose weights do not match. */
  weightsSha256: z.string().regex(/^[0-9a-f]{64}$/),
  weightsBytes: z.number().int().nonnegative(),
});
export type RosteringModelArtifacts = z.infer<typeof RosteringModelArtifactsSchema>;

/**
 * Topic `rostering.models` (compacted), key = model version: one record per model version in the
 * registry, the newest record per version being its truth. `status: 'active'` marks the model
 * rostering forecasts with; a retrain writes the new version as active and the previous active one
 * as `inactive` in one Kafka transaction. A tombstone (null value) retires a version: it leaves
 * the registry. Several records claiming `active` (two trainers racing) resolve to the one written
 * last (the topic has one partition, so offsets order every write).
 */
export const RosteringModelRecordSchema = z.object({
  v: z.literal(1),
  /** What the model is for; today one kind, the per-zone two-hour demand forecaster. */
  kind: z.literal('demand-forecast'),
  version: z.string().min(1),
  status: z.enum(['active', 'inactive']),
  /** Simulated epoch ms: the log's time when the model was trained (the end of its training window). */
  trainedAt: z.number().int().nonnegative(),
  /** Wall-clock ISO time the version was created. */
  createdAt: z.string(),
  /** Simulated epoch ms the training replay covered (null: from the log's start / to its end) and where the held-out day began. */
  trainingWindow: z.object({ from: z.number().nullable(), to: z.number().nullable(), holdoutStart: z.number() }),
  /** Held-out MAE/RMSE of the model and of each baseline on the same samples. */
  metrics: errorMetrics,
  baselines: z.record(z.string(), errorMetrics),
  bestBaseline: z.string().min(1),
  /** Simulated epoch ms this version last became active (absent: never active). */
  activatedAt: z.number().int().nonnegative().optional(),
  /** Where the writer saved the files (a cache; the record's `artifacts` are the truth). */
  artifactUri: z.string(),
  artifacts: RosteringModelArtifactsSchema,
});
export type RosteringModelRecord = z.infer<typeof RosteringModelRecordSchema>;
