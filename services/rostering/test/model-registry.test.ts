import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@riderflow/db';
import { JsonLinesModelRegistry, metricRows, openPrismaModelRegistry } from '../src/adapters/model-registry.js';
import type { ModelMetadata } from '../src/model/model-store.js';

const meta = (version: string): ModelMetadata => ({
  version,
  createdAt: new Date().toISOString(),
  horizon: 8,
  bucketMinutes: 15,
  featureNames: ['a', 'b'],
  normalization: { mean: [0, 0], std: [1, 1], yScale: 1, scaleIndex: -1, countIndices: [] },
  metrics: { mae: 0.6, rmse: 1.0, n: 80 },
  baselines: { seasonal_naive_yesterday: { mae: 0.9, rmse: 1.4, n: 80 }, moving_average_1h: { mae: 1.1, rmse: 1.5, n: 80 } },
  bestBaseline: 'seasonal_naive_yesterday',
  trainedOn: { from: Date.UTC(2025, 2, 3), to: Date.UTC(2025, 2, 17), trainSamples: 100, testSamples: 10, holdoutStartMs: Date.UTC(2025, 2, 16), zones: ['z1'] },
  backend: 'wasm',
  trainSeconds: 1,
});

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-rostering-db-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('model registry', () => {
  it('metric rows name method and split', () => {
    expect(metricRows(meta('v1')).map((r) => r.name)).toEqual([
      'mae.model', 'rmse.model', 'mae.seasonal_naive_yesterday', 'rmse.seasonal_naive_yesterday', 'mae.moving_average_1h', 'rmse.moving_average_1h',
    ]);
  });

  it('JSON lines fallback appends one record per version', async () => {
    const reg = new JsonLinesModelRegistry(path.join(tmp, 'models', 'registry.jsonl'));
    await reg.record(meta('v1'), '/m/v1');
    await reg.record(meta('v2'), '/m/v2');
    const lines = fs.readFileSync(reg.file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(['v1', 'v2']);
  });

  it('writes ModelVersion + ModelMetric rows through Prisma (SQLite) and keeps one version active', async () => {
    const url = `file:${path.join(tmp, 'rf.db')}`;
    const reg = await openPrismaModelRegistry(url);
    await reg.record(meta('v1'), '/m/v1');
    await reg.record(meta('v2'), '/m/v2');
    await reg.close();
    const db = await openDatabase(url);
    try {
      const rows = await db.prisma.modelVersion.findMany({ include: { metrics: true }, orderBy: { id: 'asc' } });
      expect(rows.map((r) => [r.id, r.active])).toEqual([['v1', false], ['v2', true]]);
      expect(rows[1].artifactUri).toBe('/m/v2');
      expect(rows[1].trainedFrom?.getTime()).toBe(Date.UTC(2025, 2, 3));
      expect(rows[1].metrics.find((m) => m.name === 'mae.model')).toMatchObject({ split: 'holdout', value: 0.6 });
    } finally {
      await db.close();
    }
  });
});
