import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kafka } from 'kafkajs';
import {
  ROSTERING_MODEL_RECORD_MAX_BYTES,
  RosteringModelRecordSchema,
  STATE_TOPIC,
  type RosteringModelRecord,
} from '@riderflow/contracts';
import { ensureStateTopic, readStateTopic, type Logger } from '@riderflow/service-kit';
import { cannotRetire, foldRegistry, planActivation, type ModelRegistryState, type RegistryWrite } from '../core/model-registry-state.js';
import { METADATA_FILE, MODEL_FILE, readMetadata, WEIGHTS_FILE, type ModelMetadata } from '../model/model-store.js';

// The model registry on the compacted topic rostering.models (key = version). The record carries
// the model's files, weights included (a ~15 kB record for today's 46→16→16→8 network, far under
// Kafka's 1 MB default), so the topic alone is enough to rebuild and run the active model.

export const MODELS_TOPIC = STATE_TOPIC.rosteringModels;

/** Creates rostering.models with its compaction configs if it is missing, else brings those configs back to the declared values. */
export async function ensureModelsTopic(kafka: Kafka, logger?: Logger): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const changed = await ensureStateTopic(admin, MODELS_TOPIC);
    if (changed.length > 0) logger?.info({ topic: MODELS_TOPIC, changed }, 'state topic configs set back to the declared values');
  } finally {
    await admin.disconnect();
  }
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Size of the record's value on the wire. */
export function recordBytes(record: RosteringModelRecord): number {
  return Buffer.byteLength(JSON.stringify(record));
}

/**
 * The registry record of a version saved in <dir> (model.json, weights.bin, metadata.json), status
 * inactive until an activation writes it active. Throws, naming the size, when the record would
 * not fit a Kafka record of the default maximum size.
 */
export function modelRecordFromDir(dir: string, trainedAt: number): RosteringModelRecord {
  const metadata: ModelMetadata = readMetadata(dir);
  const weights = fs.readFileSync(path.join(dir, WEIGHTS_FILE));
  const record: RosteringModelRecord = {
    v: 1,
    kind: 'demand-forecast',
    version: metadata.version,
    status: 'inactive',
    trainedAt: Math.max(0, Math.trunc(trainedAt)),
    createdAt: metadata.createdAt,
    trainingWindow: { from: metadata.trainedOn.from, to: metadata.trainedOn.to, holdoutStart: metadata.trainedOn.holdoutStartMs },
    metrics: metadata.metrics,
    baselines: metadata.baselines,
    bestBaseline: metadata.bestBaseline,
    artifactUri: path.resolve(dir),
    artifacts: {
      format: 'tfjs-layers',
      modelJson: fs.readFileSync(path.join(dir, MODEL_FILE), 'utf8'),
      metadataJson: fs.readFileSync(path.join(dir, METADATA_FILE), 'utf8'),
      weightsBase64: weights.toString('base64'),
      weightsSha256: sha256(weights),
      weightsBytes: weights.byteLength,
    },
  };
  const bytes = recordBytes(record);
  if (bytes > ROSTERING_MODEL_RECORD_MAX_BYTES) {
    throw new Error(`model ${metadata.version} makes a registry record of ${bytes} bytes, over the ${ROSTERING_MODEL_RECORD_MAX_BYTES}-byte limit (Kafka's default message.max.bytes); it stays in ${dir} only`);
  }
  return RosteringModelRecordSchema.parse(record);
}

/** Reads rostering.models to its end (read_committed) into the registry. Unreadable records are skipped with a warning. */
export async function readModelRegistry(kafka: Kafka, logger?: Logger, timeoutMs?: number): Promise<ModelRegistryState & { records: number }> {
  const read = await readStateTopic(kafka, MODELS_TOPIC, { logger, timeoutMs });
  const latest = new Map<string, RosteringModelRecord | null>();
  for (const [key, value] of read.latest) {
    if (value === null) {
      latest.set(key, null);
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(value.toString('utf8'));
    } catch {
      json = undefined;
    }
    const parsed = RosteringModelRecordSchema.safeParse(json);
    if (parsed.success && parsed.data.version === key) latest.set(key, parsed.data);
    else logger?.warn({ key, reason: parsed.success ? `record names version ${parsed.data.version}` : parsed.error.issues[0]?.message }, `unreadable record on ${MODELS_TOPIC}; skipped`);
  }
  return { ...foldRegistry(latest), records: read.records };
}

/** The transactional id of this process's registry writes: stable for the process, distinct between processes (a trainer CLI and the service never fence each other). */
function transactionalId(): string {
  return `rostering-models@${os.hostname()}:${process.pid}`;
}

/**
 * Writes registry changes in one Kafka transaction: a read_committed reader sees all of them or
 * none (a new active version never appears without the old one stepping down).
 */
export async function writeRegistry(kafka: Kafka, writes: RegistryWrite[]): Promise<void> {
  if (writes.length === 0) return;
  const producer = kafka.producer({ transactionalId: transactionalId(), idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const txn = await producer.transaction();
    try {
      await txn.send({
        topic: MODELS_TOPIC,
        messages: writes.map((w) => ({ key: w.version, value: w.value === null ? null : JSON.stringify(w.value), ...(w.value ? { timestamp: String(w.value.activatedAt ?? w.value.trainedAt) } : {}) })),
      });
      await txn.commit();
    } catch (err) {
      await txn.abort().catch(() => {});
      throw err;
    }
  } finally {
    await producer.disconnect().catch(() => {});
  }
}

export interface PublishedVersion {
  record: RosteringModelRecord;
  writes: RegistryWrite[];
}

/**
 * Publishes a version saved in <dir> as the active model (simulated time `now`): reads the
 * registry to its end, then writes the new record, the previous active one stepping down, and
 * tombstones for versions beyond `keep`, in one transaction.
 */
export async function publishActiveVersion(kafka: Kafka, dir: string, opts: { trainedAt: number; now: number; keep: number; logger?: Logger }): Promise<PublishedVersion> {
  const record = modelRecordFromDir(dir, opts.trainedAt);
  await ensureModelsTopic(kafka, opts.logger);
  const state = await readModelRegistry(kafka, opts.logger);
  const writes = planActivation(state, record, opts.now, opts.keep);
  await writeRegistry(kafka, writes);
  return { record: writes[0].value!, writes };
}

/** Makes a version already in the registry the active one (a rollback), in one transaction. */
export async function activateVersion(kafka: Kafka, version: string, opts: { now: number; keep: number; logger?: Logger }): Promise<RegistryWrite[]> {
  const state = await readModelRegistry(kafka, opts.logger);
  const record = state.models.find((m) => m.version === version);
  if (!record) throw new Error(`version ${version} is not in the registry (versions: ${state.models.map((m) => m.version).join(', ') || 'none'})`);
  const writes = planActivation(state, record, opts.now, opts.keep);
  await writeRegistry(kafka, writes);
  return writes;
}

/** Retires a version that is not the active one: a tombstone, so it leaves the registry (and, after delete.retention.ms, the topic). */
export async function retireVersion(kafka: Kafka, version: string, logger?: Logger): Promise<void> {
  const state = await readModelRegistry(kafka, logger);
  const why = cannotRetire(state, version);
  if (why) throw new Error(why);
  await writeRegistry(kafka, [{ version, value: null }]);
}

/**
 * Points the models folder's LATEST at the registry's active version, so that with the registry
 * topic switched off (ROSTERING_MODEL_TOPIC=false) rostering loads what the registry last named.
 */
export function markLatest(modelsDir: string, version: string): void {
  fs.writeFileSync(path.join(modelsDir, 'LATEST'), version + '\n');
}

/**
 * Removes the folders of retired versions from the models folder (a cache of the registry), so
 * what lists that folder — the dashboard's rostering page — shows the registry. Answers the
 * versions removed. A version name is checked to be a plain folder name first.
 */
export function removeRetiredModels(retired: string[], modelsDir: string): string[] {
  const removed: string[] = [];
  for (const version of retired) {
    if (version !== path.basename(version) || version.startsWith('.')) continue;
    const dir = path.join(modelsDir, version);
    if (!fs.existsSync(dir)) continue;
    fs.rmSync(dir, { recursive: true, force: true });
    removed.push(version);
  }
  return removed;
}

/**
 * Writes a record's files into <modelsDir>/<version>/ (the file store the model loader reads) unless
 * the same weights are already there. The weights must match the record's checksum; the files are
 * written to a temporary folder and renamed into place, so a crash never leaves a half-written version.
 */
export function materializeModel(record: RosteringModelRecord, modelsDir: string): string {
  const dir = path.join(modelsDir, record.version);
  const weights = Buffer.from(record.artifacts.weightsBase64, 'base64');
  if (weights.byteLength !== record.artifacts.weightsBytes || sha256(weights) !== record.artifacts.weightsSha256) {
    throw new Error(`registry record of ${record.version} is damaged: its weights do not match their checksum`);
  }
  try {
    if (sha256(fs.readFileSync(path.join(dir, WEIGHTS_FILE))) === record.artifacts.weightsSha256 && fs.existsSync(path.join(dir, MODEL_FILE)) && fs.existsSync(path.join(dir, METADATA_FILE))) return dir;
  } catch {
    // not there yet (or unreadable): write it below
  }
  fs.mkdirSync(modelsDir, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(modelsDir, `.${record.version}.tmp-`));
  fs.writeFileSync(path.join(tmp, WEIGHTS_FILE), weights);
  fs.writeFileSync(path.join(tmp, MODEL_FILE), record.artifacts.modelJson);
  fs.writeFileSync(path.join(tmp, METADATA_FILE), record.artifacts.metadataJson);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(tmp, dir);
  return dir;
}
