import { z } from 'zod';

// The one-command platform's settings. Every value has a default that runs on a laptop.
const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATA_DIR: z.string().min(1).default('./data'),
  STREAMLOG_PORT: z.coerce.number().int().min(1).max(65535).default(9092),
  TASKQUEUE_PORT: z.coerce.number().int().min(1).max(65535).default(5673),
  TASKQUEUE_HTTP_PORT: z.coerce.number().int().min(1).max(65535).default(15673),
  /** simulated seconds per wall second */
  SIM_SPEED: z.string().default('30'),
  SIM_RIDERS: z.coerce.number().int().min(1).default(120),
  SIM_SEED: z.coerce.number().int().default(42),
});

export type PlatformConfig = z.infer<typeof schema>;

export function loadPlatformConfig(env: NodeJS.ProcessEnv): PlatformConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid platform configuration: ${issues}`);
  }
  return parsed.data;
}
