import path from 'node:path';
import { Command } from 'commander';
import { createKafka, createLogger, loadConfig } from '@riderflow/service-kit';
import { initBackend } from './model/backend.js';
import { trainFromLog } from './train-job.js';
import { parseTime } from './cli-time.js';


const program = new Command()
  .name('train')
  .description('Replay the log (simulated time) into demand features, train the forecaster, hold out the last simulated day, compare with baselines.')
  .option('--from <time>', 'replay from this simulated time (epoch ms or ISO date); default: the beginning of the log', parseTime)
  .option('--to <time>', 'stop at this simulated time (exclusive); default: the end of the log when the replay starts', parseTime)
  .option('--epochs <n>', 'training epochs', (v) => Number.parseInt(v, 10), 30)
  .option('--models-dir <dir>', 'where model versions are written', process.env.MODELS_DIR ?? path.join('data', 'models'))
  .option('--no-db', 'do not record the version in the database (metrics go to registry.jsonl)')
  .option('--no-topic', 'do not publish the version as the active model on rostering.models (also ROSTERING_MODEL_TOPIC=false)')
  .option('--keep <n>', 'inactive versions kept in the registry; older ones are retired', (v) => Number.parseInt(v, 10), Number(process.env.ROSTERING_KEEP_MODELS ?? 5))
  .parse();

const opts = program.opts<{ from?: number; to?: number; epochs: number; modelsDir: string; db: boolean; topic: boolean; keep: number }>();
const topic = opts.topic && !['false', '0'].includes(process.env.ROSTERING_MODEL_TOPIC ?? '');
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
    modelTopic: topic,
    keepModels: opts.keep,
    logger,
  });
  process.stdout.write(`\n${res.table}\n\nmodel ${res.metadata.version} saved to ${res.dir} (recorded in ${res.registry}${res.published ? '; published as the active model on rostering.models' : ''}); backend ${backend}, ${res.metadata.trainSeconds.toFixed(1)} s training, ${res.replay.events} events replayed\n`);
  process.exit(0);
} catch (err) {
  logger.error({ err: (err as Error).message }, 'training failed');
  process.stderr.write(`training failed: ${(err as Error).message}\n`);
  process.exit(1);
}
