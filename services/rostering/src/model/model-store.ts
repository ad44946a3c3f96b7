import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { BASELINES } from '../core/baselines.js';
import { DemandForecaster } from './forecaster.js';

const errorMetricsSchema = z.object({ mae: z.number(), rmse: z.number(), n: z.number() });

export const ModelMetadataSchema = z.object({
  version: z.string().min(1),
  createdAt: z.string(),
  horizon: z.number().int().positive(),
  bucketMinutes: z.number().positive(),
  featureNames: z.array(z.string()),
  normalization: z.object({
    mean: z.array(z.number()),
    std: z.array(z.number()),
    yScale: z.number().positive(),
    scaleIndex: z.number().int(),
    trendIndex: z.number().int().optional(),
    countIndices: z.array(z.number().int()),
    pastCountIndices: z.array(z.number().int()).optional(),
    frozen: z.array(z.number().int()).optional(),
    levelCorrection: z.boolean().optional(),
  }),
  /** The model's held-out MAE/RMSE (top level so readers such as the dashboard find them directly). */
  metrics: errorMetricsSchema,
  /** Each baseline's held-out MAE/RMSE on the same samples. */
  baselines: z.record(z.string(), errorMetricsSchema),
  /** Per baseline, when its score is not what its name says (under a week of history "last week" is yesterday). */
  baselineNotes: z.record(z.string(), z.string()).optional(),
  bestBaseline: z.enum(BASELINES),
  trainedOn: z.object({
    from: z.number().nullable(),
    to: z.number().nullable(),
    trainSamples: z.number(),
    testSamples: z.number(),
    holdoutStartMs: z.number(),
    zones: z.array(z.string()),
  }),
  backend: z.string(),
  trainSeconds: z.number(),
});
export type ModelMetadata = z.infer<typeof ModelMetadataSchema>;

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';
export const METADATA_FILE = 'metadata.json';

/** A model that cannot be used; the message says which file and why, so an operator can act. */
export class ModelLoadError extends Error {
  constructor(
    readonly dir: string,
    readonly reason: string,
  ) {
    super(`cannot load forecasting model from ${dir}: ${reason}`);
    this.name = 'ModelLoadError';
  }
}

/** A sortable version name from wall-clock time: v20261127T043012Z. */
export function newVersion(now = new Date()): string {
  return 'v' + now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/**
 * Writes model.json + weights.bin + metadata.json into <modelsDir>/<version>/. tfjs's file://
 * handler exists only in tfjs-node, so a custom save handler writes the artifacts with fs.
 */
export async function saveModel(modelsDir: string, forecaster: DemandForecaster, metadata: ModelMetadata): Promise<string> {
  const dir = path.join(modelsDir, metadata.version);
  fs.mkdirSync(dir, { recursive: true });
  await forecaster.model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const modelJson = {
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
      };
      fs.writeFileSync(path.join(dir, WEIGHTS_FILE), Buffer.from(weightData));
      fs.writeFileSync(path.join(dir, MODEL_FILE), JSON.stringify(modelJson));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weightData.byteLength } };
    }),
  );
  fs.writeFileSync(path.join(dir, METADATA_FILE), JSON.stringify(metadata, null, 2));
  // Written last: a crash mid-save never makes a half-written version "latest".
  fs.writeFileSync(path.join(modelsDir, 'LATEST'), metadata.version + '\n');
  return dir;
}

/** The version named in <modelsDir>/LATEST, else the greatest version folder, else undefined. */
export function latestVersion(modelsDir: string): string | undefined {
  try {
    const v = fs.readFileSync(path.join(modelsDir, 'LATEST'), 'utf8').trim();
    if (v) return v;
  } catch {
    // no pointer yet: fall through to scanning
  }
  try {
    return fs
      .readdirSync(modelsDir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && d.name.startsWith('v'))
      .map((d) => d.name)
      .sort()
      .at(-1);
  } catch {
    return undefined;
  }
}

function readFile(dir: string, name: string): Buffer {
  const p = path.join(dir, name);
  try {
    return fs.readFileSync(p);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ModelLoadError(dir, code === 'ENOENT' ? `${name} is missing` : `${name} unreadable (${code ?? String(err)})`);
  }
}

/** Reads only the metadata (no TensorFlow work), e.g. to learn the best baseline. */
export function readMetadata(dir: string): ModelMetadata {
  const raw = readFile(dir, METADATA_FILE).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new ModelLoadError(dir, `${METADATA_FILE} is not valid JSON (${(err as Error).message})`);
  }
  const parsed = ModelMetadataSchema.safeParse(json);
  if (!parsed.success) throw new ModelLoadError(dir, `${METADATA_FILE} does not match the schema: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** Loads a saved version; every failure is a ModelLoadError naming the file and the cause. */
export async function loadModel(dir: string): Promise<{ forecaster: DemandForecaster; metadata: ModelMetadata }> {
  if (!fs.existsSync(dir)) throw new ModelLoadError(dir, 'model folder does not exist');
  const metadata = readMetadata(dir);
  let modelJson: { modelTopology?: unknown; weightsManifest?: { weights?: tf.io.WeightsManifestEntry[] }[] };
  try {
    modelJson = JSON.parse(readFile(dir, MODEL_FILE).toString('utf8'));
  } catch (err) {
    if (err instanceof ModelLoadError) throw err;
    throw new ModelLoadError(dir, `${MODEL_FILE} is not valid JSON (${(err as Error).message})`);
  }
  if (!modelJson || typeof modelJson !== 'object' || !modelJson.modelTopology || !Array.isArray(modelJson.weightsManifest)) {
    throw new ModelLoadError(dir, `${MODEL_FILE} lacks modelTopology or weightsManifest`);
  }
  const weightSpecs = modelJson.weightsManifest.flatMap((g) => g.weights ?? []);
  const weights = readFile(dir, WEIGHTS_FILE);
  const expected = weightSpecs.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (weights.byteLength !== expected) {
    throw new ModelLoadError(dir, `${WEIGHTS_FILE} has ${weights.byteLength} bytes, the manifest needs ${expected} (truncated or from another model)`);
  }
  let model: tf.LayersModel;
  try {
    const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
    model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology as object, weightSpecs, weightData }));
  } catch (err) {
    throw new ModelLoadError(dir, `TensorFlow.js rejected the model (${(err as Error).message.split('\n')[0]})`);
  }
  const inputs = model.inputs[0]?.shape.at(-1);
  const outputs = model.outputs[0]?.shape.at(-1);
  if (inputs !== metadata.featureNames.length || outputs !== metadata.horizon || metadata.normalization.mean.length !== metadata.featureNames.length) {
    model.dispose();
    throw new ModelLoadError(dir, `model shape ${inputs}→${outputs} does not match metadata (${metadata.featureNames.length} features, horizon ${metadata.horizon})`);
  }
  return { forecaster: new DemandForecaster(model, metadata.normalization, metadata.horizon, metadata.featureNames.length), metadata };
}
