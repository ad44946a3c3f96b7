import { z } from 'zod';

const port = (def: number) => z.coerce.number().int().min(1).max(65535).default(def);

// The one-command platform's settings. Every value has a default that runs on a laptop; every
// port can be moved (tests run a second platform beside a user's).
const schema = z.object({
  /** the dashboard */
  PORT: port(3000),
  DATA_DIR: z.string().min(1).default('./data'),
  STREAMLOG_PORT: port(9092),
  /** the embedded log's /metrics and /healthz (the dashboard reads the log cleaner's dirty ratio there) */
  STREAMLOG_HTTP_PORT: port(9093),
  TASKQUEUE_PORT: port(5673),
  TASKQUEUE_HTTP_PORT: port(15673),
  /** /metrics and /healthz of the services */
  DISPATCH_HTTP_PORT: port(9102),
  NOTIFIER_HTTP_PORT: port(9401),
  ROSTERING_HTTP_PORT: port(9470),
  PROJECTOR_HTTP_PORT: port(9480),
  /** streamlog's own log level: group joins and leaves are info, too chatty beside the other services */
  STREAMLOG_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
  /** simulated seconds per wall second */
  SIM_SPEED: z.coerce.number().positive().max(10_000).default(30),
  SIM_RIDERS: z.coerce.number().int().min(1).max(100_000).default(120),
  SIM_SEED: z.string().min(1).default('riderflow'),
  /** multiplier on the simulator's order demand */
  SIM_DEMAND: z.coerce.number().positive().max(1_000).default(1.5),
  /**
   * On a fresh log, simulated days of history written before the live run (the simulator's fast
   * statistical history mode, ~2 s per day), so rostering trains its forecasting model at first
   * start and plans from real history. 0 = none (rostering then forecasts with a baseline).
   */
  SIM_HISTORY_DAYS: z.coerce.number().int().min(0).max(60).default(3),
  /**
   * Where a fresh log starts the simulated clock: a Monday just before the lunch peak, with the
   * morning shifts already on the road, so orders flow in the first wall seconds.
   * A log with records always wins: the clock continues from its newest record.
   */
  SIM_START: z.string().regex(/^\d{4}-\d{2}-\d{2}T/, 'an ISO 8601 UTC time').default('2025-03-03T11:45:00Z'),
  // External engines (see engines.ts): set, each replaces its embedded default and the platform
  // does not start that engine. Unset, everything runs embedded under DATA_DIR.
  /** Kafka bootstrap brokers, host:port[,host:port]: streamlog is not started */
  KAFKA_BROKERS: z.string().regex(/^[^\s,:]+:\d+(\s*,\s*[^\s,:]+:\d+)*$/, 'host:port[,host:port...]').optional(),
  /** an AMQP 0-9-1 broker (RabbitMQ), with its vhost in the path: taskqueue is not started */
  AMQP_URL: z.string().regex(/^amqps?:\/\//, 'must start with amqp:// or amqps://').optional(),
  /** that broker's management API (default: port 15672 of the AMQP host, same credentials) */
  AMQP_MANAGEMENT_URL: z.string().regex(/^https?:\/\//, 'must start with http:// or https://').optional(),
  /** file:<path> (SQLite) or postgres(ql)://… (default: SQLite in DATA_DIR) */
  DATABASE_URL: z.string().regex(/^(file:|postgres(ql)?:\/\/)/, 'file:<path> or postgresql://…').optional(),
});

export type PlatformConfig = z.infer<typeof schema>;

export function loadPlatformConfig(env: NodeJS.ProcessEnv): PlatformConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid platform configuration: ${issues}`);
  }
  return parsed.data;
}
