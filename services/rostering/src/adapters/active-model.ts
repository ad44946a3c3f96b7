import path from 'node:path';
import type { Kafka } from 'kafkajs';
import type { Logger } from '@riderflow/service-kit';
import type { ModelRegistryState } from '../core/model-registry-state.js';
import { latestVersion, readMetadata } from '../model/model-store.js';
import { ensureModelsTopic, materializeModel, MODELS_TOPIC, markLatest, publishActiveVersion, readModelRegistry, removeRetiredModels } from './model-topic.js';

export interface ActiveModel {
  /** The version to load from the models folder; null = no model (the best baseline). */
  version: string | null;
  registry: ModelRegistryState & { records: number };
  /** Set when a model trained before the registry topic existed was published as the active one. */
  adopted?: string;
}

/**
 * Rostering's start: reads rostering.models to its end and makes the models folder hold the model
 * to use — the registry's active version, or a pinned one (MODEL_VERSION) — written from the
 * record's own files, so an empty folder and another (or no) database still get the same model.
 * A registry that is empty while the folder has a model (a data dir from before the topic)
 * publishes that model as the active one first.
 */
export async function rebuildActiveModel(o: { kafka: Kafka; modelsDir: string; pinned?: string; keep: number; log: Logger }): Promise<ActiveModel> {
  await ensureModelsTopic(o.kafka, o.log);
  let registry = await readModelRegistry(o.kafka, o.log);
  let adopted: string | undefined;
  if (registry.models.length === 0) {
    const local = latestVersion(o.modelsDir);
    if (local) {
      try {
        const meta = readMetadata(path.join(o.modelsDir, local));
        const trainedAt = meta.trainedOn.to ?? meta.trainedOn.holdoutStartMs;
        await publishActiveVersion(o.kafka, path.join(o.modelsDir, local), { trainedAt, now: trainedAt, keep: o.keep, logger: o.log });
        adopted = local;
        o.log.info({ version: local }, `the registry topic ${MODELS_TOPIC} was empty: published the model in the models folder as the active one`);
        registry = await readModelRegistry(o.kafka, o.log);
      } catch (err) {
        o.log.warn({ version: local, err: (err as Error).message }, `could not publish the model in the models folder to ${MODELS_TOPIC}`);
      }
    }
  }
  const removed = removeRetiredModels(registry.retired.filter((v) => v !== o.pinned), o.modelsDir);
  if (removed.length > 0) o.log.info({ versions: removed }, `removed the files of versions retired on ${MODELS_TOPIC}`);
  const wanted = o.pinned ? registry.models.find((m) => m.version === o.pinned) : registry.active;
  if (o.pinned && !wanted) {
    o.log.warn({ version: o.pinned, registry: registry.models.map((m) => m.version) }, 'pinned MODEL_VERSION is not in the registry; loading it from the models folder');
    return { version: o.pinned, registry, ...(adopted ? { adopted } : {}) };
  }
  if (!wanted) {
    o.log.warn({ versions: registry.models.map((m) => m.version) }, `${MODELS_TOPIC} has no active model; forecasting with the best baseline`);
    return { version: null, registry, ...(adopted ? { adopted } : {}) };
  }
  try {
    const dir = materializeModel(wanted, o.modelsDir);
    if (wanted === registry.active) markLatest(o.modelsDir, wanted.version);
    o.log.info({ version: wanted.version, dir, status: wanted.status, trainedAt: new Date(wanted.trainedAt).toISOString() }, `model rebuilt from ${MODELS_TOPIC}`);
  } catch (err) {
    // the loader then fails on the folder too and falls back to the best baseline, saying why
    o.log.error({ version: wanted.version, err: (err as Error).message }, `could not write the model from ${MODELS_TOPIC} to the models folder`);
  }
  return { version: wanted.version, registry, ...(adopted ? { adopted } : {}) };
}
