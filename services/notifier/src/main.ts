// `npm run notifier`: notification workers on the customer and ops queues.
import { TOPIC } from '@riderflow/contracts';
import { createKafka, createLogger, ensureTopics, loadConfig, startHealthServer } from '@riderflow/service-kit';
import { migrateDatabase, openDatabase } from '@riderflow/db';
import { loadNotifierConfig } from './config.js';
import { NotificationLedger } from './ledger.js';
import { createNotifierMetrics } from './metrics.js';
import { simulatedProviders } from './providers.js';
import { KafkaResultPublisher, MemoryResultPublisher, type ResultPublisher } from './results.js';
import { notifierTopology } from './topology.js';
import { NotifierWorker } from './worker.js';
import { NotificationPlanner } from './planner/planner.js';

const log = createLogger('notifier');

async function main(): Promise<void> {
  const config = loadConfig();
  const settings = loadNotifierConfig();
  const metrics = createNotifierMetrics({ defaults: true });

  await migrateDatabase(config.databaseUrl);
  const db = await openDatabase(config.databaseUrl);

  let results: ResultPublisher = new MemoryResultPublisher();
  let disconnectKafka = async () => {};
  let planner: NotificationPlanner | null = null;
  if (settings.NOTIFIER_RESULTS === 'kafka' || settings.NOTIFIER_PLANNER === 'on') {
    const kafka = createKafka(config, 'riderflow-notifier');
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, { topics: [TOPIC.notificationResults, TOPIC.orderEvents, TOPIC.eventsDead] });
    await admin.disconnect();
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    if (settings.NOTIFIER_RESULTS === 'kafka') results = new KafkaResultPublisher(producer);
    if (settings.NOTIFIER_PLANNER === 'on') {
      planner = new NotificationPlanner({
        kafka, config, deadLetterProducer: producer, logger: log,
        onConnectionLost: () => { log.error('planner lost its broker connection; exiting'); process.exit(1); },
      });
    }
    disconnectKafka = () => producer.disconnect();
  }

  const topology = notifierTopology({ prefix: settings.NOTIFIER_TOPOLOGY_PREFIX, retryDelaysMs: settings.NOTIFIER_RETRY_DELAYS_MS });
  const providers = simulatedProviders({ latencyMs: settings.PROVIDER_LATENCY_MS, failureRate: settings.PROVIDER_FAILURE_RATE });
  const ledger = new NotificationLedger(db.prisma, settings.NOTIFIER_LEASE_MS);
  const workers = Array.from({ length: settings.NOTIFIER_WORKERS }, () => new NotifierWorker({
    amqpUrl: config.amqpUrl, topology, ledger, providers, results, metrics, logger: log,
    prefetch: settings.NOTIFIER_PREFETCH, maxAttempts: settings.NOTIFIER_MAX_ATTEMPTS,
    // Unacked tasks went back to the queue with the connection; exit and let the supervisor restart us.
    onConnectionLost: (w) => { log.error({ worker: w.id }, 'broker connection lost; exiting'); process.exit(1); },
  }));
  for (const w of workers) await w.start();
  await planner?.start();

  let healthy = true;
  const http = await startHealthServer({
    host: settings.NOTIFIER_HTTP_HOST, port: settings.NOTIFIER_HTTP_PORT, registry: metrics.registry,
    healthy: () => ({ ok: healthy, workers: workers.length }),
  }).catch((err: Error) => {
    log.warn({ err: err.message, port: settings.NOTIFIER_HTTP_PORT }, 'no /metrics and /healthz (set NOTIFIER_HTTP_PORT)');
    return undefined;
  });
  log.info({ workers: workers.length, prefetch: settings.NOTIFIER_PREFETCH, maxAttempts: settings.NOTIFIER_MAX_ATTEMPTS, retryDelaysMs: topology.retrySteps.map((s) => s.ttlMs), httpPort: http?.port, results: settings.NOTIFIER_RESULTS, planner: settings.NOTIFIER_PLANNER }, 'notifier started');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    healthy = false;
    log.info({ signal }, 'stopping');
    await planner?.stop();
    await Promise.allSettled(workers.map((w) => w.stop()));
    await results.close();
    await disconnectKafka();
    await db.close();
    await http?.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  log.fatal({ err: err instanceof Error ? err.message : String(err) }, 'notifier failed to start');
  process.exit(1);
});
