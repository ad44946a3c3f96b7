// `npm run taskqueue -- --port 5673 --http-port 15673 --data-dir ./data/taskqueue`
// Runs the embedded AMQP 0-9-1 broker until SIGINT/SIGTERM, then closes connections and the store.
import { Command, Option } from 'commander';
import os from 'node:os';
import pino from 'pino';
import { z } from 'zod';
import { startTaskqueue } from './index.js';

const env = z
  .object({
    TASKQUEUE_HOST: z.string().default('127.0.0.1'),
    TASKQUEUE_PORT: z.coerce.number().int().min(0).max(65535).default(5673),
    TASKQUEUE_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(15673),
    TASKQUEUE_DATA_DIR: z.string().default('./data/taskqueue'),
    TASKQUEUE_USERS: z.string().default('guest:guest'),
    TASKQUEUE_VHOSTS: z.string().optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .parse(process.env);

const program = new Command()
  .name('taskqueue')
  .description('Riderflow embedded AMQP 0-9-1 broker (RabbitMQ-compatible)')
  .option('--host <host>', 'address to bind', env.TASKQUEUE_HOST)
  .addOption(new Option('--port <port>', 'AMQP port (0 = ephemeral)').default(env.TASKQUEUE_PORT).argParser(parsePort))
  .addOption(new Option('--http-port <port>', 'management/metrics HTTP port (0 = ephemeral)').default(env.TASKQUEUE_HTTP_PORT).argParser(parsePort))
  .option('--no-http', 'do not serve HTTP')
  .option('--data-dir <dir>', 'where durable queues and messages live', env.TASKQUEUE_DATA_DIR)
  .option('--users <list>', 'comma-separated name:password pairs', env.TASKQUEUE_USERS)
  .option('--vhosts <list>', 'comma-separated virtual hosts to have besides "/" (every configured user may use them)', env.TASKQUEUE_VHOSTS)
  .option('--no-fsync', 'confirm publishes after the write, without fsync (benchmarks, tests)')
  .option('--heartbeat <seconds>', 'heartbeat interval offered to clients', (v) => parsePort(v), 60)
  .option('--memory-high-watermark <fraction>', 'block publishers above this fraction of RAM (RabbitMQ: 0.4)', Number, 0.4)
  .option('--log-level <level>', 'pino log level', env.LOG_LEVEL)
  .parse();

function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`not a port: ${v}`);
  return n;
}

const opts = program.opts<{
  host: string;
  port: number;
  httpPort: number;
  http: boolean;
  dataDir: string;
  users: string;
  vhosts?: string;
  fsync: boolean;
  heartbeat: number;
  memoryHighWatermark: number;
  logLevel: string;
}>();

const log = pino({ name: 'taskqueue', level: opts.logLevel });

async function main(): Promise<void> {
  const tq = await startTaskqueue({
    host: opts.host,
    port: opts.port,
    httpPort: opts.http ? opts.httpPort : undefined,
    dataDir: opts.dataDir,
    users: opts.users,
    vhosts: opts.vhosts?.split(',').map((v) => v.trim()).filter((v) => v !== ''),
    durability: opts.fsync ? 'fsync' : 'none',
    log,
    limits: { heartbeat: opts.heartbeat, memoryHighWatermark: Math.floor(os.totalmem() * opts.memoryHighWatermark) },
  });
  log.info(
    { amqp: `amqp://${tq.host}:${tq.port}`, http: tq.httpPort === undefined ? null : `http://${tq.host}:${tq.httpPort}`, dataDir: opts.dataDir, fsync: opts.fsync },
    'taskqueue ready',
  );
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    tq.close().then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  log.fatal({ err }, 'taskqueue failed to start');
  process.exit(1);
});
