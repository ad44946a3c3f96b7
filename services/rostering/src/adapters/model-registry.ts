import fs from 'node:fs';
import path from 'node:path';
import type { ModelMetadata } from '../model/model-store.js';

/** Where trained model versions and their held-out metrics are recorded. */
export interface ModelRegistry {
  readonly kind: string;
  record(metadata: ModelMetadata, artifactUri: string): Promise<void>;
  close(): Promise<void>;
}

/** One JSON line per version next to the models: the record when no database is reachable. */
export class JsonLinesModelRegistry implements ModelRegistry {
  readonly kind = 'jsonl';
  constructor(readonly file: string) {}

  async record(metadata: ModelMetadata, artifactUri: string): Promise<void> {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    fs.appendFileSync(this.file, JSON.stringify({ id: metadata.version, artifactUri, createdAt: metadata.createdAt, metrics: metadata.metrics, baselines: metadata.baselines, bestBaseline: metadata.bestBaseline }) + '\n');
  }

  async close(): Promise<void> {}
}

/** Metric rows written per version: name like "mae.model" or "rmse.seasonal_naive_yesterday", split "holdout". */
export function metricRows(metadata: ModelMetadata): { name: string; split: string; value: number }[] {
  const rows = [
    { name: 'mae.model', split: 'holdout', value: metadata.metrics.mae },
    { name: 'rmse.model', split: 'holdout', value: metadata.metrics.rmse },
  ];
  for (const [name, m] of Object.entries(metadata.baselines)) {
    rows.push({ name: `mae.${name}`, split: 'holdout', value: m.mae }, { name: `rmse.${name}`, split: 'holdout', value: m.rmse });
  }
  return rows.filter((r) => Number.isFinite(r.value));
}

/**
 * ModelVersion + ModelMetric rows through Prisma (@riderflow/db). The new version becomes
 * the active one. Opens (and migrates) the database lazily so a missing one fails here, clearly.
 */
export async function openPrismaModelRegistry(databaseUrl: string): Promise<ModelRegistry> {
  const { openDatabase, migrateDatabase } = await import('@riderflow/db');
  await migrateDatabase(databaseUrl);
  const db = await openDatabase(databaseUrl);
  return {
    kind: `prisma:${db.provider}`,
    async record(metadata, artifactUri) {
      const params = { horizon: metadata.horizon, bucketMinutes: metadata.bucketMinutes, features: metadata.featureNames.length, bestBaseline: metadata.bestBaseline, backend: metadata.backend, trainedOn: metadata.trainedOn };
      await db.prisma.$transaction([
        db.prisma.modelVersion.updateMany({ where: { kind: 'demand-forecast', active: true }, data: { active: false } }),
        db.prisma.modelVersion.create({
          data: {
            id: metadata.version,
            kind: 'demand-forecast',
            trainedFrom: metadata.trainedOn.from === null ? null : new Date(metadata.trainedOn.from),
            trainedTo: metadata.trainedOn.to === null ? null : new Date(metadata.trainedOn.to),
            paramsJson: JSON.stringify(params),
            artifactUri,
            active: true,
            metrics: { create: metricRows(metadata) },
          },
        }),
      ]);
    },
    close: () => db.close(),
  };
}
