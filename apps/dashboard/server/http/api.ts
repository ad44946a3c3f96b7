import { z } from 'zod';
import { QUEUES, TOPIC_NAMES } from '@riderflow/contracts';
import { STEPS, runStep } from '@riderflow/platform';
import { browse } from '../adapters/log-browser.js';
import { listModelVersions } from '../adapters/model-registry.js';
import type { Gateway } from '../gateway.js';
import { HttpError, Router } from './router.js';

// The gateway's REST API: snapshots for first paint and the admin actions. Live updates arrive
// over socket.io; these answer on demand.

function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new HttpError(400, r.error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; '));
  return r.data;
}

const browseQuery = z.object({
  topic: z.string().min(1),
  partition: z.coerce.number().int().min(0),
  offset: z.string().regex(/^\d+$/).optional(),
  time: z.coerce.number().int().nonnegative().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(20),
});

export function registerApi(router: Router, gateway: Gateway): void {
  router
    .get('/api/status', async () => ({ status: gateway.status(), simTime: gateway.live.clock }))
    .get('/api/frame', async () => ({ ...gateway.live.frame(), status: gateway.status() }))
    .get('/api/log', async () => gateway.logSnapshot() ?? { at: 0, topics: [], groups: [], history: [], replays: [] })
    .get('/api/log/tail', async (_req, url) => gateway.stream.tail(parse(z.string().min(1), url.searchParams.get('topic'))))
    .get('/api/log/messages', async (_req, url) => {
      const q = parse(browseQuery, Object.fromEntries(url.searchParams));
      if (q.offset === undefined && q.time === undefined) throw new HttpError(400, 'give offset or time');
      return browse(gateway.kafka, gateway.logAdmin, q);
    })
    .post('/api/log/replay', async (_req, _url, _p, body) => {
      const b = parse(z.object({ topic: z.enum(TOPIC_NAMES as [string, ...string[]]).default('order.events'), from: z.number().int().nonnegative() }), body);
      return gateway.replays.start(b.topic, b.from);
    })
    .delete('/api/log/replay/:groupId', async (_req, _url, p) => ({ stopped: await gateway.replays.stop(p.groupId!) }))
    .get('/api/queues', async () => gateway.queues ?? { at: 0, queues: [], exchanges: [], bindings: [] })
    .get('/api/queues/dead', async (_req, url) => gateway.mgmt.peek(QUEUES.tasksDead, parse(z.coerce.number().int().min(1).max(100).default(20), url.searchParams.get('count') ?? undefined)))
    .post('/api/queues/dead/redrive', async (_req, _url, _p, body) => gateway.queueActions.redrive(parse(z.object({ count: z.number().int().min(1).max(10_000).default(100) }), body).count))
    .post('/api/queues/:name/purge', async (_req, _url, p) => {
      await gateway.mgmt.purge(p.name!);
      return { purged: p.name };
    })
    .get('/api/walkthrough', async () => STEPS.map(({ id, title, lesson, where }) => ({ id, title, lesson, where })))
    .post('/api/walkthrough/:id', async (_req, _url, p) => {
      if (!STEPS.some((s) => s.id === p.id)) throw new HttpError(404, `unknown step ${p.id}`);
      const progress: string[] = [];
      const result = await runStep(p.id!, {
        kafka: gateway.kafka,
        amqpUrl: gateway.config.shared.amqpUrl,
        managementUrl: gateway.config.shared.amqpManagementUrl,
        simNow: async () => gateway.live.clock || Date.now(),
        say: (line) => progress.push(line),
      });
      return { ...result, progress };
    })
    .get('/api/rostering', async () => ({ ...gateway.live.rostering.view(), models: await listModelVersions(gateway.config.MODELS_DIR) }))
    .post('/api/rostering/retrain', async (_req, _url, _p, body) => {
      const b = parse(z.object({ from: z.number().int().nonnegative().optional(), to: z.number().int().nonnegative().optional() }), body);
      const jobId = await gateway.queueActions.requestRetrain(b);
      gateway.live.rostering.queued(jobId);
      return { jobId };
    });
}
