#!/usr/bin/env tsx
/**
 * The dispatch service: `npm run dispatch`. Reads KAFKA_BROKERS, AMQP_URL (see
 * @riderflow/contracts) and DISPATCH_* (see src/config.ts) from the environment.
 */
import { createLogger, loadConfig } from '@riderflow/service-kit';
import { loadServiceSettings } from './config.js';
import { startDispatchService } from './service.js';

const logger = createLogger('dispatch');

async function main(): Promise<void> {
  let config;
  let settings;
  try {
    config = loadConfig();
    settings = loadServiceSettings();
  } catch (err) {
    process.stderr.write(`dispatch: ${(err as Error).message}\n`);
    process.exit(2);
  }
  const service = await startDispatchService(config, settings, logger, {
    // Every publish would fail from now on; exit so the platform supervisor restarts us with backoff.
    onConnectionLost: () => process.exit(1),
  });
  logger.info({ brokers: config.kafkaBrokers, group: settings.groupId, httpPort: service.httpPort }, 'dispatch running');
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    logger.info(service.stats, 'dispatch stopping');
    await service.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err) => {
  logger.error({ err }, 'dispatch failed to start');
  process.exit(1);
});
