import { z } from 'zod';

const rate = z.coerce.number().min(0).max(1);
const delays = z
  .string()
  .regex(/^\d+(,\d+)*$/, 'comma-separated milliseconds, e.g. 1000,5000,30000')
  .transform((s) => s.split(',').map(Number));

/** Notifier settings (env, zod-validated); broker, log and database URLs come from @riderflow/contracts' loadConfig. */
export const NotifierEnvSchema = z.object({
  NOTIFIER_WORKERS: z.coerce.number().int().min(1).max(64).default(2),
  NOTIFIER_PREFETCH: z.coerce.number().int().min(1).max(10_000).default(20),
  NOTIFIER_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(4),
  /** How long a claim protects a notification being sent before another worker may take it over. */
  NOTIFIER_LEASE_MS: z.coerce.number().int().min(100).default(30_000),
  /** Prefix for every exchange and queue name (isolation on a shared broker); empty = the agreed names. */
  NOTIFIER_TOPOLOGY_PREFIX: z.string().default(''),
  /** Retry delays; only with a prefix, since the agreed retry queues have fixed TTLs. */
  NOTIFIER_RETRY_DELAYS_MS: delays.optional(),
  /** Publish results to the log (kafka) or keep them in memory (none: no log needed). */
  NOTIFIER_RESULTS: z.enum(['kafka', 'none']).default('kafka'),
  /** Also run the planner that turns order facts on the log into notification tasks (one per consumer group across instances). */
  NOTIFIER_PLANNER: z.enum(['on', 'off']).default('on'),
  PROVIDER_LATENCY_MS: z.coerce.number().int().min(0).default(30),
  PROVIDER_FAILURE_RATE: rate.default(0.05),
  NOTIFIER_HTTP_HOST: z.string().default('127.0.0.1'),
  /** /metrics and /healthz; 0 = any free port. */
  NOTIFIER_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(9401),
});
export type NotifierConfig = z.infer<typeof NotifierEnvSchema>;

export function loadNotifierConfig(env: Record<string, string | undefined> = process.env): NotifierConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const res = NotifierEnvSchema.safeParse(present);
  if (!res.success) throw new Error(`invalid notifier configuration: ${res.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return res.data;
}
