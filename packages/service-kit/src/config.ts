import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Environment variables and their embedded defaults (which just work with `npm start`). */
export const EnvSchema = z.object({
  KAFKA_BROKERS: z.string().min(1).default('127.0.0.1:9092'),
  AMQP_URL: z.string().regex(/^amqps?:\/\//, 'must start with amqp:// or amqps://').default('amqp://guest:guest@127.0.0.1:5673'),
  AMQP_MANAGEMENT_URL: z.string().regex(/^https?:\/\//, 'must start with http:// or https://').default('http://guest:guest@127.0.0.1:15673'),
  DATABASE_URL: z.string().min(1).default('file:./data/riderflow.db'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  KAFKA_SASL_PASSWORD: z.string().optional(),
});
export type Env = z.infer<typeof EnvSchema>;

export interface Config extends Env {
  /** KAFKA_BROKERS split on commas: ['host:port', ...]. */
  kafkaBrokers: string[];
  amqpUrl: string;
  amqpManagementUrl: string;
  databaseUrl: string;
  logLevel: Env['LOG_LEVEL'];
  kafkaSasl?: { mechanism: 'plain'; username: string; password: string };
}

/**
 * Reads and validates config from environment variables. Throws one readable error naming
 * every bad variable. Empty strings count as unset, so `FOO= npm start` uses the default.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const res = EnvSchema.safeParse(present);
  if (!res.success) {
    const why = res.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${why}`);
  }
  const e = res.data;
  const kafkaBrokers = e.KAFKA_BROKERS.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = kafkaBrokers.find((b) => !/^[^:\s]+:\d{1,5}$/.test(b));
  if (bad !== undefined) throw new Error(`invalid configuration: KAFKA_BROKERS: "${bad}" is not host:port`);
  return {
    ...e,
    kafkaBrokers,
    amqpUrl: e.AMQP_URL,
    amqpManagementUrl: e.AMQP_MANAGEMENT_URL,
    databaseUrl: e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
    ...(e.KAFKA_SASL_USERNAME ? { kafkaSasl: { mechanism: 'plain' as const, username: e.KAFKA_SASL_USERNAME, password: e.KAFKA_SASL_PASSWORD ?? '' } } : {}),
  };
}
