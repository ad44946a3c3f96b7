import { connectAmqp, createKafka, createLogger } from '@riderflow/service-kit';
import { loadRosteringConfig } from './config.js';
import { initBackend } from './model/backend.js';
import { startRostering } from './service.js';

const log = createLogger('rostering');

try {
  const config = loadRosteringConfig();
  const backend = await initBackend({ log: (msg, f) => log.info(f ?? {}, msg) });
  const amqp = await connectAmqp(config, { connectionName: 'rostering' });
  // amqplib rethrows 'error' events nobody listens to; the 'close' that follows is handled below.
  amqp.on('error', (err: Error) => log.error({ err: err.message }, 'AMQP connection error'));
  let stopping = false;
  const service = await startRostering({
    kafka: createKafka(config, 'rostering'),
    amqp,
    settings: config.rostering,
    backend,
    logger: log,
    databaseUrl: config.databaseUrl,
    processMetrics: true,
    // Moves and retrain jobs would be lost from now on: exit and let the supervisor restart us.
    onAmqpLost: (reason) => {
      if (stopping) return;
      log.fatal({ reason }, 'AMQP lost; exiting');
      process.exit(1);
    },
  });
  log.info({ metrics: `http://${config.rostering.ROSTERING_HOST}:${service.port}/metrics` }, 'rostering started');
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
