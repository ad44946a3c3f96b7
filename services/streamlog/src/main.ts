// streamlog CLI: `npm run streamlog -- --port 9092 --data-dir ./data/streamlog`
import { Command, InvalidArgumentError } from 'commander';
import { pino } from 'pino';
import { z } from 'zod';
import { startStreamlog } from './streamlog.js';

const env = z
  .object({
    STREAMLOG_HOST: z.string().default('127.0.0.1'),
    STREAMLOG_PORT: z.coerce.number().int().min(0).max(65535).default(9092),
    STREAMLOG_DATA_DIR: z.string().default('./data/streamlog'),
    STREAMLOG_HTTP_PORT: z.coerce.number().int().min(0).max(65535).optional(),
    STREAMLOG_SASL_USERS: z.string().optional(),
    // Kafka compares segment timestamps with the wall clock. Riderflow's records carry simulated
    // time, often far from today, so the default keeps everything; set a limit explicitly.
    STREAMLOG_RETENTION_MS: z.coerce.number().int().min(-1).default(-1),
    STREAMLOG_RETENTION_BYTES: z.coerce.number().int().min(-1).default(-1),
    STREAMLOG_CONNECTIONS_MAX_IDLE_MS: z.coerce.number().int().min(1_000).max(2 ** 31 - 1).default(600_000),
    // with SASL on, how long a connection may sit without authenticating (Kafka has no such limit; an
    // unauthenticated client should not hold a descriptor for the full idle time)
    STREAMLOG_PRE_AUTH_IDLE_MS: z.coerce.number().int().min(100).max(2 ** 31 - 1).default(10_000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .parse(process.env);

const int = (min: number, max: number) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected an integer in [${min}, ${max}]`);
  return n;
};

/** "alice:secret,bob:hunter2" → { alice: 'secret', bob: 'hunter2' } */
export function parseSaslUsers(spec: string): Record<string, string> {
  const users: Record<string, string> = {};
  for (const entry of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const i = entry.indexOf(':');
    if (i <= 0) throw new InvalidArgumentError(`'${entry}' is not user:password`);
    users[entry.slice(0, i)] = entry.slice(i + 1);
  }
  return users;
}

const program = new Command('streamlog')
  .description('Embedded single-node event log speaking the Kafka wire protocol')
  .option('--host <host>', 'address to bind (and advertise)', env.STREAMLOG_HOST)
  .option('--port <port>', 'Kafka listener port (0 = any free port)', int(0, 65535), env.STREAMLOG_PORT)
  .option('--data-dir <dir>', 'where the log lives', env.STREAMLOG_DATA_DIR)
  .option('--http-port <port>', 'port for /metrics and /healthz (0 = any free port)', int(0, 65535), env.STREAMLOG_HTTP_PORT)
  .option('--no-fsync', 'answer acks=-1 produces after the write instead of after fsync')
  .option('--auto-create-topics', 'create unknown topics named in Metadata requests (default)')
  .option('--no-auto-create-topics', 'never create topics implicitly')
  .option('--default-partitions <n>', 'partitions of auto-created topics', int(1, 10_000), 1)
  .option('--retention-ms <ms>', 'default topic retention by record age against the wall clock (-1 = keep forever; records carry simulated time)', int(-1, Number.MAX_SAFE_INTEGER), env.STREAMLOG_RETENTION_MS)
  .option('--retention-bytes <n>', 'default topic retention by size per partition (-1 = unbounded)', int(-1, Number.MAX_SAFE_INTEGER), env.STREAMLOG_RETENTION_BYTES)
  .option('--sasl-users <list>', 'enable SASL/PLAIN with these users: user:pass,user2:pass2', parseSaslUsers, env.STREAMLOG_SASL_USERS ? parseSaslUsers(env.STREAMLOG_SASL_USERS) : undefined)
  .option('--max-partitions <n>', 'total partitions the broker will hold (default: what the open-file limit allows)', int(1, 10_000_000))
  .option('--connections-max-idle-ms <ms>', 'close connections idle this long (Kafka connections.max.idle.ms)', int(1_000, 2 ** 31 - 1), env.STREAMLOG_CONNECTIONS_MAX_IDLE_MS)
  .option('--pre-auth-idle-ms <ms>', 'with SASL on, close connections that have not authenticated within this long', int(100, 2 ** 31 - 1), env.STREAMLOG_PRE_AUTH_IDLE_MS)
  .option('--log-cleaner-interval-ms <ms>', 'how often retention and the log cleaner (compaction) run', int(10, 2 ** 31 - 1), 15_000)
  .option('--log-level <level>', 'pino log level', env.LOG_LEVEL);

program.parse();
const opts = program.opts<{
  host: string;
  port: number;
  dataDir: string;
  httpPort?: number;
  fsync: boolean;
  autoCreateTopics?: boolean;
  defaultPartitions: number;
  retentionMs: number;
  retentionBytes: number;
  saslUsers?: Record<string, string>;
  logLevel: string;
  maxPartitions?: number;
  connectionsMaxIdleMs: number;
  preAuthIdleMs: number;
  logCleanerIntervalMs: number;
}>();

const log = pino({ name: 'streamlog', level: opts.logLevel });

try {
  const handle = await startStreamlog({
    host: opts.host,
    port: opts.port,
    dataDir: opts.dataDir,
    httpPort: opts.httpPort,
    durability: opts.fsync ? 'fsync' : 'none',
    autoCreateTopics: opts.autoCreateTopics ?? true,
    defaultPartitions: opts.defaultPartitions,
    topicDefaults: { retentionMs: opts.retentionMs, retentionBytes: opts.retentionBytes },
    saslUsers: opts.saslUsers,
    partitionBudget: opts.maxPartitions,
    connectionsMaxIdleMs: opts.connectionsMaxIdleMs,
    preAuthIdleMs: opts.preAuthIdleMs,
    logCleanerIntervalMs: opts.logCleanerIntervalMs,
    logger: log,
    processMetrics: true,
  });
  log.info({ brokers: handle.brokers, httpPort: handle.httpPort }, 'ready');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'shutting down');
    handle.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
} catch (err) {
  log.fatal({ err }, 'streamlog failed to start');
  process.exit(1);
}
