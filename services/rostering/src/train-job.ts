import path from 'node:path';
import type { Kafka } from 'kafkajs';
import type { Logger } from '@riderflow/service-kit';
import { bucketOf, BUCKET_MS } from './core/buckets.js';
import { DemandHistory } from './core/demand-history.js';
import { replayLog, type ReplayStats } from './adapters/replay.js';
import { JsonLinesModelRegistry, openPrismaModelRegistry, type ModelRegistry } from './adapters/model-registry.js';
import { publishActiveVersion, type PublishedVersion } from './adapters/model-topic.js';
import { saveModel, type ModelMetadata } from './model/model-store.js';
import { formatMetricsTable, trainAndEvaluate } from './training.js';

export interface TrainFromLogOptions {
  kafka: Kafka;
  modelsDir: string;
  backend: string;
  from?: number;
  to?: number;
  epochs?: number;
  version?: string;
  /** Database for ModelVersion rows; unset or unreachable → JSON lines next to the models. */
  databaseUrl?: string;
  /**
   * Publish the new version as the active model on the compacted topic rostering.models (the
   * registry's source of truth); default true. Off: the version is only saved and recorded.
   */
  modelTopic?: boolean;
  /** Inactive versions kept in the registry; older ones are retired (tombstones). Default 5. */
  keepModels?: number;
  logger?: Logger;
}

export interface TrainFromLogResult {
  metadata: ModelMetadata;
  dir: string;
  replay: ReplayStats;
  table: string;
  registry: string;
  /** What went onto rostering.models (absent with modelTopic false). */
  published?: PublishedVersion;
}

async function openRegistry(opts: TrainFromLogOptions): Promise<ModelRegistry> {
  const fallback = new JsonLinesModelRegistry(path.join(opts.modelsDir, 'registry.jsonl'));
  if (!opts.databaseUrl) return fallback;
  try {
    return await openPrismaModelRegistry(opts.databaseUrl);
  } catch (err) {
    opts.logger?.warn({ err: (err as Error).message }, 'model registry database unavailable; recording metrics in registry.jsonl instead');
    return fallback;
  }
}

/** Replay → features → train → evaluate on the last simulated day → save → record. */
export async function trainFromLog(opts: TrainFromLogOptions): Promise<TrainFromLogResult> {
  const log = opts.logger;
  const history = new DemandHistory();
  const started = Date.now();
  const replay = await replayLog({ kafka: opts.kafka, from: opts.from, to: opts.to, onEvent: (e) => history.add(e), logger: log });
  log?.info({ groupId: replay.groupId, events: replay.events, skippedInvalid: replay.skippedInvalid, skippedOutOfRange: replay.skippedOutOfRange, partitions: replay.partitions, seekedByTimestamp: replay.seekedByTimestamp, seconds: (Date.now() - started) / 1000, zones: history.zoneIds().length }, 'replay finished');
  // Buckets before --to's are complete; without --to (or when the log ends earlier) the
  // watermark's own bucket may still be partial, so it is left out.
  const lastBucket = opts.to !== undefined ? Math.min(bucketOf(opts.to) - 1, history.lastCompleteBucket()) : undefined;
  const run = await trainAndEvaluate(history, {
    backend: opts.backend,
    epochs: opts.epochs,
    version: opts.version,
    lastBucket,
    from: opts.from ?? history.firstBucket() * BUCKET_MS,
    to: opts.to ?? history.watermark(),
  });
  try {
    const dir = await saveModel(opts.modelsDir, run.forecaster, run.metadata);
    // The topic decides which model is active: a version that could not be published is not
    // active anywhere, so the training fails (the files stay in the models folder).
    const trainedAt = run.metadata.trainedOn.to ?? history.watermark();
    const published = opts.modelTopic === false ? undefined : await publishActiveVersion(opts.kafka, dir, { trainedAt, now: trainedAt, keep: opts.keepModels ?? 5, logger: log });
    if (published) log?.info({ version: published.record.version, writes: published.writes.map((w) => `${w.version}:${w.value?.status ?? 'retired'}`) }, 'model version published to rostering.models');
    // The database keeps every version's metrics for queries (a projection; the topic is the truth).
    const registry = await openRegistry(opts);
    try {
      await registry.record(run.metadata, dir);
    } catch (err) {
      log?.warn({ err: (err as Error).message }, 'could not record the model version; metadata.json next to the model still has its metrics');
    } finally {
      await registry.close().catch(() => {});
    }
    return { metadata: run.metadata, dir, replay, table: formatMetricsTable(run.metadata), registry: registry.kind, ...(published ? { published } : {}) };
  } finally {
    run.forecaster.dispose();
  }
}
