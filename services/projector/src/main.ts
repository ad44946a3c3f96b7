// `npm run projector`: projects orders, assignments, rider state, shifts and roster plans from
// the log into the database (consumer group "projector").
import { z } from 'zod';
import { collectDefaultMetrics } from 'prom-client';
import { createKafka, createLogger, ensureTopics, loadConfig, startHealthServer } from '@riderflow/service-kit';
import { migrateDatabase, openDatabase } from '@riderflow/db';
import { createProjectorMetrics, startProjector } from './projector.js';

const log = createLogger('projector');
const Env = z.object({
  PROJECTOR_GROUP_ID: z.string().min(1).default('projector'),
  PROJECTOR_HTTP_HOST: z.string().default('127.0.0.1'),
  PROJECTOR_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(9402),
});

async function main(): Promise<void> {
  const config = loadConfig();
  const env = Env.parse(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v)));
  await migrateDatabase(config.databaseUrl);
  const db = await openDatabase(config.databaseUrl);
  const kafka = createKafka(config, 'riderflow-projector');
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin);
  await admin.disconnect();
  const metrics = createProjectorMetrics();
  collectDefaultMetrics({ register: metrics.registry });
  const projector = await startProjector({ kafka, prisma: db.prisma, groupId: env.PROJECTOR_GROUP_ID, logger: log, metrics });
  let healthy = true;
  projector.consumer.on(projector.consumer.events.CRASH, (e) => { healthy = false; log.error({ err: String(e.payload.error) }, 'consumer crashed'); });
  const http = await startHealthServer({ host: env.PROJECTOR_HTTP_HOST, port: env.PROJECTOR_HTTP_PORT, registry: metrics.registry, healthy: () => ({ ok: healthy }) })
    .catch((err: Error) => { log.warn({ err: err.message }, 'no /metrics and /healthz (set PROJECTOR_HTTP_PORT)'); return undefined; });
  log.info({ groupId: env.PROJECTOR_GROUP_ID, database: db.provider, httpPort: http?.port }, 'projector started');
  const shutdown = async () => {
    await projector.stop().catch(() => undefined);
    await db.close();
    await http?.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((err: unknown) => {
  log.fatal({ err: err instanceof Error ? err.message : String(err) }, 'projector failed');
  process.exit(1);
});
