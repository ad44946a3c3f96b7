import type { RosteringModelRecord } from '@riderflow/contracts';

/**
 * The model registry as the compacted topic `rostering.models` holds it: the newest record per
 * version, in the order the versions were last written. Pure: the adapter reads the topic, this
 * decides what it means and what a change must write.
 */
export interface ModelRegistryState {
  /** Versions in the registry (tombstoned ones left out), oldest write first. */
  models: RosteringModelRecord[];
  /** The version rostering forecasts with: the last-written record claiming `active`. */
  active: RosteringModelRecord | undefined;
  /** Versions whose newest record is a tombstone (retired; their files need not be kept). */
  retired: string[];
}

/** One record to write: a new value for a version, or null (a tombstone: the version is retired). */
export interface RegistryWrite {
  version: string;
  value: RosteringModelRecord | null;
}

/** The registry from the newest value per key, given in last-write order (a Map keeps insertion order). */
export function foldRegistry(latest: Map<string, RosteringModelRecord | null>): ModelRegistryState {
  const models = [...latest.values()].filter((r): r is RosteringModelRecord => r !== null);
  // Two trainers racing may both have written `active`; the topic has one partition, so the later
  // write is the one made last and wins.
  const active = models.filter((m) => m.status === 'active').at(-1);
  const retired = [...latest].filter(([, r]) => r === null).map(([version]) => version);
  return { models, active, retired };
}

/**
 * What making `record` the active version writes, in one transaction: the record itself as active
 * (activated at `now`, simulated), every other version still claiming active as inactive, and a
 * tombstone for each inactive version beyond the newest `keep` inactive ones (by activation, then
 * training time), so the registry — and the topic — stays bounded.
 */
export function planActivation(state: ModelRegistryState, record: RosteringModelRecord, now: number, keep: number): RegistryWrite[] {
  const writes: RegistryWrite[] = [{ version: record.version, value: { ...record, status: 'active', activatedAt: now } }];
  const others = state.models.filter((m) => m.version !== record.version);
  for (const m of others) if (m.status === 'active') writes.push({ version: m.version, value: { ...m, status: 'inactive' } });
  const byRecency = [...others].sort((a, b) => (b.activatedAt ?? -1) - (a.activatedAt ?? -1) || b.trainedAt - a.trainedAt || (a.version < b.version ? 1 : -1));
  for (const m of byRecency.slice(Math.max(0, keep))) writes.push({ version: m.version, value: null });
  return writes;
}

/** Why a version cannot be retired, or undefined when it can (the active one must be replaced first). */
export function cannotRetire(state: ModelRegistryState, version: string): string | undefined {
  if (!state.models.some((m) => m.version === version)) return `version ${version} is not in the registry (versions: ${state.models.map((m) => m.version).join(', ') || 'none'})`;
  if (state.active?.version === version) return `version ${version} is the active model; activate another version first`;
  return undefined;
}
