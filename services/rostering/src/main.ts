import { connectAmqp, createKafka, createLogger } from '@riderflow/contracts';
import { loadRosteringConfig } from './config.js';
import { initBackend } from './model/backend.js';
import { startRostering } from './service.js';

const log = createLogger('rostering');

try {
  const config = loadRosteringConfig();
  const backend = await initBackend({ log: (msg, f) => log.info(f ?? {}, msg) });
  const amqp = await connectAmqp(config, { connectionName: 'rostering' });
  const service = await startRostering({
    kafka: createKafka(config, 'rostering'),
    amqp,
    settings: config.rostering,
    backend,
    logger: log,
    databaseUrl: config.databaseUrl,
    processMetrics: true,
  });
  log.info({ metrics: `http://${config.rostering.ROSTERING_HOST}:${service.port}/metrics` }, 'rostering started');
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    await service.close();
    await amqp.close().catch(() => {});
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
} catch (err) {
  log.fatal({ err: (err as Error).message }, 'rostering failed to start');
  process.exit(1);
}
