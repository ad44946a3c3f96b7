import { PLANNING_SPEED_KMH } from '@riderflow/geo';
import { groupIdSetting } from '@riderflow/service-kit';
import { z } from 'zod';
import { DispatchConfigSchema, describeConfigIssues, type DispatchConfig } from './core/config.js';

/** The live service's own settings (broker URLs come from @riderflow/contracts' loadConfig). */
export const ServiceEnvSchema = z.object({
  /** Consumer group on the log. */
  DISPATCH_GROUP: groupIdSetting('dispatch'),
  /** Read the log from the beginning when the group has no committed offsets (default: only new events). */
  DISPATCH_FROM_BEGINNING: z.enum(['true', 'false']).default('false'),
  /** Assumed rider speed for planning, km/h (default: the world's expected ride, @riderflow/geo's PLANNING_SPEED_KMH ≈ 17.4). */
  DISPATCH_SPEED_KMH: z.coerce.number().positive().default(PLANNING_SPEED_KMH),
  /** /metrics and /healthz; 0 = any free port. */
  DISPATCH_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(9102),
  DISPATCH_HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  /** Optional JSON object of dispatch policy overrides (see src/core/config.ts). */
  DISPATCH_POLICY: z.string().optional(),
});

export interface ServiceSettings {
  groupId: string;
  fromBeginning: boolean;
  speedKmh: number;
  httpPort: number;
  httpHost: string;
  policy: DispatchConfig;
}

export function loadServiceSettings(env: Record<string, string | undefined> = process.env): ServiceSettings {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const res = ServiceEnvSchema.safeParse(present);
  if (!res.success) throw new Error(`invalid configuration: ${res.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const e = res.data;
  let policyRaw: unknown = {};
  if (e.DISPATCH_POLICY) {
    try {
      policyRaw = JSON.parse(e.DISPATCH_POLICY);
    } catch (err) {
      throw new Error(`invalid configuration: DISPATCH_POLICY is not JSON (${(err as Error).message})`);
    }
  }
  const policy = DispatchConfigSchema.safeParse(policyRaw);
  if (!policy.success) throw new Error(`invalid configuration: DISPATCH_POLICY: ${describeConfigIssues(policy.error)}`);
  return {
    groupId: e.DISPATCH_GROUP,
    fromBeginning: e.DISPATCH_FROM_BEGINNING === 'true',
    speedKmh: e.DISPATCH_SPEED_KMH,
    httpPort: e.DISPATCH_HTTP_PORT,
    httpHost: e.DISPATCH_HTTP_HOST,
    policy: policy.data,
  };
}
