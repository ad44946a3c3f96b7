import path from 'node:path';
import type { PlatformConfig } from './platform-config.js';
import type { ServiceSpec } from './service-spec.js';

/** The embedded runtime, in start order: brokers, schema, consumers, dashboard, and last the simulator that feeds them. */
export function platformServices(config: PlatformConfig): { specs: ServiceSpec[]; env: Record<string, string> } {
  const data = config.DATA_DIR;
  const env = {
    KAFKA_BROKERS: `127.0.0.1:${config.STREAMLOG_PORT}`,
    AMQP_URL: `amqp://guest:guest@127.0.0.1:${config.TASKQUEUE_PORT}`,
    AMQP_MANAGEMENT_URL: `http://guest:guest@127.0.0.1:${config.TASKQUEUE_HTTP_PORT}`,
    DATABASE_URL: `file:${path.resolve(data, 'riderflow.db')}`,
    MODELS_DIR: path.join(data, 'models'),
  };
  const specs: ServiceSpec[] = [
    {
      name: 'streamlog',
      script: 'services/streamlog/src/main.ts',
      args: ['--port', String(config.STREAMLOG_PORT), '--data-dir', path.join(data, 'streamlog'), '--default-partitions', '3'],
      readyPort: config.STREAMLOG_PORT,
    },
    {
      name: 'taskqueue',
      script: 'services/taskqueue/src/main.ts',
      args: ['--port', String(config.TASKQUEUE_PORT), '--http-port', String(config.TASKQUEUE_HTTP_PORT), '--data-dir', path.join(data, 'taskqueue')],
      readyPort: config.TASKQUEUE_PORT,
    },
    { name: 'migrate', script: 'services/persistence/src/migrate.ts', oneShot: true },
    { name: 'projector', script: 'services/persistence/src/main.ts' },
    { name: 'dispatch', script: 'services/dispatch/src/main.ts' },
    { name: 'notifier', script: 'services/notifier/src/main.ts' },
    { name: 'rostering', script: 'services/rostering/src/main.ts' },
    { name: 'dashboard', script: 'apps/dashboard/server/main.ts', env: { PORT: String(config.PORT) }, readyPort: config.PORT },
    {
      name: 'simulator',
      script: 'simulator/src/main.ts',
      args: ['--speed', config.SIM_SPEED, '--riders', String(config.SIM_RIDERS), '--seed', String(config.SIM_SEED), '--resume'],
    },
  ];
  return { specs, env };
}
