import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { createKafka, createLogger, loadConfig } from '@riderflow/service-kit';
import { initBackend } from './model/backend.js';
import { trainFromLog } from './train-job.js';

/** Accepts epoch milliseconds or any date Date.parse reads (e.g. 2026-03-14T18:00:00Z). */
export function parseTime(value: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`"${value}" is not epoch ms or an ISO date`);
  return n;
}

const program = new Command()
  .name('train')
  .description('Replay the log (simulated time) into demand features, train the forecaster, hold out the last simulated day, compare with baselines.')
  .option('--from <time>', 'replay from this simulated time (epoch ms or ISO date); default: the beginning of the log', parseTime)
  .option('--to <time>', 'stop at this simulated time (exclusive); default: the end of the log when the replay starts', parseTime)
  .option('--epochs <n>', 'training epochs', (v) => Number.parseInt(v, 10), 30)
  .option('--models-dir <dir>', 'where model versions are written', process.env.MODELS_DIR ?? path.join('data', 'models'))
  .option('--no-db', 'do not record the version in the database (metrics go to registry.jsonl)')
  .parse();

const opts = program.opts<{ from?: number; to?: number; epochs: number; modelsDir: string; db: boolean }>();
const logger = createLogger('rostering-train');

try {
  const config = loadConfig();
  const { backend } = await initBackend({ log: (msg, f) => logger.info(f ?? {}, msg) });
  const kafka = createKafka(config, 'rostering-train');
  const res = await trainFromLog({
    kafka,
    modelsDir: path.resolve(opts.modelsDir),
    backend,
    from: opts.from,
    to: opts.to,
    epochs: opts.epochs,
    databaseUrl: opts.db ? config.databaseUrl : undefined,
    logger,
  });
  process.stdout.write(`\n${res.table}\n\nmodel ${res.metadata.version} saved to ${res.dir} (recorded in ${res.registry}); backend ${backend}, ${res.metadata.trainSeconds.toFixed(1)} s training, ${res.replay.events} events replayed\n`);
  process.exit(0);
} catch (err) {
  logger.error({ err: (err as Error).message }, 'training failed');
  process.stderr.write(`training failed: ${(err as Error).message}\n`);
  process.exit(1);
}
