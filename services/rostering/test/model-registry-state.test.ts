import { describe, expect, it } from 'vitest';
import type { RosteringModelRecord } from '@riderflow/contracts';
import { cannotRetire, foldRegistry, planActivation } from '../src/core/model-registry-state.js';

const rec = (version: string, status: 'active' | 'inactive', trainedAt: number, activatedAt?: number): RosteringModelRecord => ({
  v: 1,
  kind: 'demand-forecast',
  version,
  status,
  trainedAt,
  createdAt: '2026-12-06T00:00:00Z',
  trainingWindow: { from: null, to: trainedAt, holdoutStart: trainedAt - 86_400_000 },
  metrics: { mae: 0.6, rmse: 1, n: 10 },
  baselines: {},
  bestBaseline: 'seasonal_naive_yesterday',
  ...(activatedAt !== undefined ? { activatedAt } : {}),
  artifactUri: `/models/${version}`,
  artifacts: { format: 'tfjs-layers', modelJson: '{}', metadataJson: '{}', weightsBase64: '', weightsSha256: '0'.repeat(64), weightsBytes: 0 },
});

describe('the model registry state (pure)', () => {
  it('folds the newest value per version; a tombstone removes it; the last-written active record wins', () => {
    const latest = new Map<string, RosteringModelRecord | null>([
      ['v1', rec('v1', 'active', 1, 1)],
      ['v0', null],
      ['v2', rec('v2', 'active', 2, 2)],
    ]);
    const state = foldRegistry(latest);
    expect(state.models.map((m) => m.version)).toEqual(['v1', 'v2']);
    expect(state.active?.version).toBe('v2');
    expect(state.retired).toEqual(['v0']);
    expect(foldRegistry(new Map()).active).toBeUndefined();
  });

  it('an activation writes the new active, steps every other active down, and retires inactive versions beyond keep', () => {
    const state = foldRegistry(new Map([
      ['v1', rec('v1', 'inactive', 1, 1)],
      ['v2', rec('v2', 'inactive', 2, 2)],
      ['v3', rec('v3', 'active', 3, 3)],
    ]));
    const writes = planActivation(state, rec('v4', 'inactive', 4), 40, 2);
    expect(writes.map((w) => [w.version, w.value?.status ?? null])).toEqual([['v4', 'active'], ['v3', 'inactive'], ['v1', null]]);
    expect(writes[0].value?.activatedAt).toBe(40);
    // keep 0: only the active version stays
    expect(planActivation(state, rec('v4', 'inactive', 4), 40, 0).filter((w) => w.value === null).map((w) => w.version).sort()).toEqual(['v1', 'v2', 'v3']);
  });

  it('the active version cannot be retired, nor a version the registry does not hold', () => {
    const state = foldRegistry(new Map([['v1', rec('v1', 'inactive', 1)], ['v2', rec('v2', 'active', 2, 2)]]));
    expect(cannotRetire(state, 'v2')).toMatch(/active model/);
    expect(cannotRetire(state, 'v9')).toMatch(/not in the registry/);
    expect(cannotRetire(state, 'v1')).toBeUndefined();
  });
});
