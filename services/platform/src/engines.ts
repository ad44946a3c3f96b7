import type { PlatformConfig } from './platform-config.js';

// Switching the runtime changes URLs, never code: the same services run on the embedded engines
// (streamlog, taskqueue, SQLite under DATA_DIR) or on external ones (Kafka, RabbitMQ, PostgreSQL)
// named by the user's KAFKA_BROKERS / AMQP_URL / AMQP_MANAGEMENT_URL / DATABASE_URL.

export interface Engines {
  /** the URLs every service receives */
  env: { KAFKA_BROKERS: string; AMQP_URL: string; AMQP_MANAGEMENT_URL: string; DATABASE_URL: string };
  /** which embedded brokers the platform must start itself */
  embedded: { streamlog: boolean; taskqueue: boolean };
  database: 'sqlite' | 'postgresql';
}

/** RabbitMQ's management plugin listens on 15672 of the broker's host, with the AMQP URL's credentials. */
export function defaultManagementUrl(amqpUrl: string): string {
  const u = new URL(amqpUrl);
  const tls = u.protocol === 'amqps:';
  return `${tls ? 'https' : 'http'}://${u.username || 'guest'}:${u.password || 'guest'}@${u.hostname}:${tls ? 15671 : 15672}`;
}

/** Picks embedded or external per engine; a pure function of the settings. */
export function selectEngines(config: PlatformConfig, sqliteFile: string): Engines {
  const externalLog = config.KAFKA_BROKERS !== undefined;
  const externalQueues = config.AMQP_URL !== undefined;
  const DATABASE_URL = config.DATABASE_URL ?? `file:${sqliteFile}`;
  return {
    env: {
      KAFKA_BROKERS: config.KAFKA_BROKERS ?? `127.0.0.1:${config.STREAMLOG_PORT}`,
      AMQP_URL: config.AMQP_URL ?? `amqp://guest:guest@127.0.0.1:${config.TASKQUEUE_PORT}`,
      AMQP_MANAGEMENT_URL: config.AMQP_URL !== undefined
        ? (config.AMQP_MANAGEMENT_URL ?? defaultManagementUrl(config.AMQP_URL))
        : `http://guest:guest@127.0.0.1:${config.TASKQUEUE_HTTP_PORT}`,
      DATABASE_URL,
    },
    embedded: { streamlog: !externalLog, taskqueue: !externalQueues },
    database: /^postgres(ql)?:\/\//.test(DATABASE_URL) ? 'postgresql' : 'sqlite',
  };
}

/** A URL with its password replaced, fit for a log line. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (!u.password) return url;
    u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}

/** One line per engine saying whether it is embedded or external, and where. */
export function describeEngines(e: Engines): string[] {
  return [
    e.embedded.streamlog ? `event log: embedded streamlog at ${e.env.KAFKA_BROKERS}` : `event log: EXTERNAL Kafka at ${e.env.KAFKA_BROKERS} (streamlog not started)`,
    e.embedded.taskqueue
      ? `task queues: embedded taskqueue at ${redact(e.env.AMQP_URL)}`
      : `task queues: EXTERNAL AMQP broker at ${redact(e.env.AMQP_URL)}, management ${redact(e.env.AMQP_MANAGEMENT_URL)} (taskqueue not started)`,
    e.database === 'postgresql' ? `database: EXTERNAL PostgreSQL at ${redact(e.env.DATABASE_URL)}` : `database: SQLite at ${e.env.DATABASE_URL}`,
  ];
}
