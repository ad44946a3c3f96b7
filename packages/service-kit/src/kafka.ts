import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import type { Config } from './config.js';

/**
 * A kafkajs client from config. Quiet unless LOG_LEVEL=debug (kafkajs' own logger is noisy and
 * not JSON). `overrides` wins over the defaults, e.g. a shorter connectionTimeout for a CLI.
 */
export function createKafka(config: Pick<Config, 'kafkaBrokers' | 'logLevel' | 'kafkaSasl'>, clientId: string, overrides: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId,
    brokers: config.kafkaBrokers,
    logLevel: config.logLevel === 'debug' || config.logLevel === 'trace' ? logLevel.DEBUG : logLevel.NOTHING,
    connectionTimeout: 3_000,
    ...(config.kafkaSasl ? { sasl: config.kafkaSasl } : {}),
    ...overrides,
  });
}
