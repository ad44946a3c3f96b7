import { DispatchConfigSchema, type DispatchConfig, type DispatchConfigInput } from '@riderflow/dispatch/core';
import { LAB_POLICY_ABOUT, type LabPolicyName } from '@riderflow/contracts';
import { LabInputError } from './recorded-window.js';

/**
 * Named dispatch policies. `live` is what the dispatch service runs without DISPATCH_POLICY; the
 * others change one idea each, and `--set key=value` changes any parameter of src/core/config.ts.
 */
// Keyed by contracts' LAB_POLICY_NAMES, so the dashboard's policy list cannot drift from this one.
export const POLICIES: Record<LabPolicyName, { about: string; overrides: DispatchConfigInput }> = {
  live: { about: LAB_POLICY_ABOUT['live'], overrides: {} },
  'no-bundling': { about: LAB_POLICY_ABOUT['no-bundling'], overrides: { maxBundleSize: 1, rescueMaxBundleSize: 0 } },
  'no-preposition': { about: LAB_POLICY_ABOUT['no-preposition'], overrides: { prepositionEnabled: false } },
  'commit-early': { about: LAB_POLICY_ABOUT['commit-early'], overrides: { commitSlackMin: 1_000 } },
  'slow-rounds': { about: LAB_POLICY_ABOUT['slow-rounds'], overrides: { reoptimizeEveryMin: 5 } },
};

function parseValue(raw: string): unknown {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (raw.trim() !== '' && Number.isFinite(Number(raw))) return Number(raw);
  return raw;
}

/** The policy's full configuration: the named preset, then each `key=value` on top, validated. */
export function resolvePolicy(name: string, sets: readonly string[] = []): DispatchConfig {
  const preset = (POLICIES as Record<string, (typeof POLICIES)[LabPolicyName] | undefined>)[name];
  if (!preset) throw new LabInputError(`unknown policy ${JSON.stringify(name)}; known: ${Object.keys(POLICIES).join(', ')}`);
  const overrides: Record<string, unknown> = { ...preset.overrides };
  const known = new Set(Object.keys(DispatchConfigSchema.shape));
  for (const s of sets) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new LabInputError(`--set ${JSON.stringify(s)}: expected key=value`);
    const key = s.slice(0, eq);
    if (!known.has(key)) throw new LabInputError(`--set ${key}: not a dispatch parameter (see services/dispatch/src/core/config.ts)`);
    overrides[key] = parseValue(s.slice(eq + 1));
  }
  const res = DispatchConfigSchema.safeParse(overrides);
  if (!res.success) throw new LabInputError(`policy ${name}: ${res.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return res.data;
}
