import { randomUUID } from 'node:crypto';
import { QUEUES, readDeadLetter, redriveCount, rosteringTrainingRefusal, TOPIC_NAMES, type TopicInfo } from '@riderflow/contracts';
import { STEPS, runStep } from '@riderflow/walkthrough';
import { browse } from '../adapters/log-browser.js';
import { readQueues, type QueueRow } from '../adapters/management-api.js';
import { listModelVersions } from '../adapters/model-registry.js';
import type { Gateway } from '../gateway.js';
import { HttpError, Router } from './router.js';
import { HumanError } from '../core/human-error.js';
import { LAG_METHOD } from '../core/lag-clock.js';
import { fmtSimTime } from '../core/sim-time.js';
import { flag, offsetText, oneOf, onlyFields, simTime, wholeNumber } from '../core/human-input.js';
import type { LogAdmin, ResetTarget } from '../adapters/log-admin.js';

// The gateway's REST API: snapshots for first paint and the admin actions. Live updates arrive
// over socket.io; these answer on demand.

/**
 * The queue must exist: the broker's own "Object Not Found" (a 404 inside a 502) is no answer for
 * a person. Checked against the last sampled snapshot, or the broker's list when none was taken yet.
 */
async function checkQueue(gateway: Gateway, name: string): Promise<QueueRow> {
  const listed = (queues: readonly QueueRow[]) => queues.find((q) => q.name === name);
  // the last sample can predate a queue declared since: ask the broker before refusing
  const row = (gateway.queues && listed(gateway.queues.queues)) || listed((await readQueues(gateway.mgmt)).queues);
  if (row) return row;
  throw new HumanError(404, name === QUEUES.tasksDead ? `There is no queue "${name}" yet: it is declared when the platform first starts.` : `There is no queue "${name}".`);
}

/** a queue the page may read or purge: the broker refuses every other connection an exclusive one */
async function checkSharedQueue(gateway: Gateway, name: string, action: 'peek into' | 'purge'): Promise<void> {
  if ((await checkQueue(gateway, name)).exclusive) {
    throw new HumanError(409, `"${name}" is an exclusive queue: only the connection that declared it may use it, so the broker lets no one else ${action} it. It goes when that connection closes.`);
  }
}

/** the newest and oldest recorded order (null when order.events holds none or does not exist yet) */
async function recordedOrders(gateway: Gateway): Promise<{ oldest: number | null; newest: number | null }> {
  const at = (read: () => Promise<number | null>) => read().catch(() => null);
  return { oldest: await at(() => gateway.logAdmin.oldestTimestamp('order.events')), newest: await at(() => gateway.logAdmin.newestTimestamp('order.events')) };
}

/** the topic must exist (null: not sampled yet, let the broker answer) */
function checkTopic(admin: LogAdmin, topic: string): TopicInfo | null {
  if (!admin.snapshot) return null;
  const t = admin.snapshot.topics.find((x) => x.name === topic);
  if (!t) throw new HumanError(404, `There is no topic "${topic}".`);
  return t;
}

/** the topic must exist and hold the partition asked for */
function checkPartition(admin: LogAdmin, topic: string, partition: number): void {
  const t = checkTopic(admin, topic);
  if (t && !t.partitions.some((p) => p.partition === partition)) throw new HumanError(400, `${topic} has partitions 0–${t.partitions.length - 1}; there is no partition ${partition}.`);
}

function windowWords(w: { from?: number; to?: number }): string {
  if (w.from === undefined && w.to === undefined) return 'all recorded orders';
  return `${w.from === undefined ? 'the oldest recorded order' : fmtSimTime(w.from, false)} to ${w.to === undefined ? 'the newest' : fmtSimTime(w.to, false)}`;
}

export function registerApi(router: Router, gateway: Gateway): void {
  router
    .get('/api/status', async () => ({ status: gateway.status(), simTime: gateway.live.clock }))
    .get('/api/frame', async () => ({ ...gateway.live.frame(), status: gateway.status(), runtime: gateway.runtime }))
    .get('/api/log', async () => gateway.logSnapshot() ?? { at: 0, topics: [], groups: [], history: [], replays: [], lagMethod: LAG_METHOD })
    .get('/api/log/groups', async () => gateway.logSnapshot()?.groups ?? [])
    .delete('/api/log/groups/:groupId', async (_req, _url, p) => gateway.logAdmin.deleteGroup(p.groupId!))
    .post('/api/log/groups/:groupId/reset', async (_req, _url, p, body) => {
      onlyFields(body, ['to', 'time'], 'Reset offsets');
      const to = oneOf(body.to, ['earliest', 'latest', 'time'] as const, 'Reset to');
      const target: ResetTarget = to === 'time' ? { to, time: simTime(body.time, 'The time to reset to') } : { to };
      return gateway.logAdmin.resetGroup(p.groupId!, target);
    })
    .get('/api/log/topics/:name', async (_req, _url, p) => gateway.logAdmin.topicDetail(p.name!))
    .get('/api/log/tail', async (_req, url) => {
      const topic = url.searchParams.get('topic')?.trim();
      if (!topic) throw new HumanError(400, 'Choose a topic to tail (?topic=order.events, say)');
      // an unknown name is a 404 as on every other log endpoint, not an empty tail
      checkTopic(gateway.logAdmin, topic);
      return gateway.stream.tail(topic);
    })
    .get('/api/log/messages', async (_req, url) => {
      const q = url.searchParams;
      const topic = q.get('topic')?.trim();
      if (!topic) throw new HumanError(400, 'Choose a topic');
      const partition = wholeNumber(q.get('partition') ?? '', 'Partition');
      checkPartition(gateway.logAdmin, topic, partition);
      const limit = q.has('limit') ? wholeNumber(q.get('limit'), 'Limit', { min: 1, max: 200 }) : 20;
      if (q.has('offset') && q.get('offset') !== '') return browse(gateway.kafka, gateway.logAdmin, { topic, partition, limit, offset: offsetText(q.get('offset')) });
      if (q.has('time') && q.get('time') !== '') {
        const time = simTime(q.get('time'));
        const newest = await gateway.logAdmin.newestTimestamp(topic);
        if (newest === null) throw new HumanError(400, `${topic} holds no records yet.`);
        if (time > newest) throw new HumanError(400, `There are no records after ${fmtSimTime(newest, false)} (the newest) on ${topic}.`);
        return browse(gateway.kafka, gateway.logAdmin, { topic, partition, limit, time });
      }
      throw new HumanError(400, 'Give an offset or a time to read from');
    })
    .post('/api/log/replay', async (_req, _url, _p, body) => {
      const topic = body.topic === undefined ? 'order.events' : oneOf(body.topic, TOPIC_NAMES as readonly string[], 'Topic');
      return gateway.replays.start(topic, simTime(body.from, 'Replay start'));
    })
    .delete('/api/log/replay/:groupId', async (_req, _url, p) => gateway.replays.stop(p.groupId!))
    .get('/api/queues', async () => gateway.queues ?? { at: 0, queues: [], exchanges: [], bindings: [], rates: gateway.rates.list() })
    .get('/api/queues/rates', async () => gateway.rates.list())
    // Each dead letter with what the dead-letter contract reads from it (origin, reason, attempts, time)
    // and how many times it was redriven already (a poison message comes back with the count raised).
    .get('/api/queues/dead', async (_req, url) => {
      const count = url.searchParams.has('count') ? wholeNumber(url.searchParams.get('count'), 'Count', { min: 1, max: 100 }) : 20;
      await checkQueue(gateway, QUEUES.tasksDead);
      return (await gateway.mgmt.peek(QUEUES.tasksDead, count)).map((m) => ({ ...m, deadLetter: readDeadLetter(m.properties.headers), redriven: redriveCount(m.properties.headers) }));
    })
    .get('/api/queues/:name/peek', async (_req, url, p) => {
      const count = url.searchParams.has('count') ? wholeNumber(url.searchParams.get('count'), 'Count', { min: 1, max: 100 }) : 20;
      await checkSharedQueue(gateway, p.name!, 'peek into');
      return gateway.mgmt.peek(p.name!, count);
    })
    .post('/api/queues/dead/redrive', async (_req, _url, _p, body) => {
      onlyFields(body, ['count', 'dryRun', 'force'], 'Redrive');
      const count = body.count === undefined ? 100 : wholeNumber(body.count, 'Count', { min: 1, max: 10_000 });
      await checkQueue(gateway, QUEUES.tasksDead);
      return gateway.queueActions.redrive(count, flag(body.dryRun, 'dryRun'), flag(body.force, 'force'));
    })
    .post('/api/queues/:name/purge', async (_req, _url, p, body) => {
      onlyFields(body, [], 'Purge');
      await checkSharedQueue(gateway, p.name!, 'purge');
      const messages = await gateway.queueActions.purge(p.name!).catch((err: unknown) => {
        // deleted between the check and the purge: the broker's 404 closed only the purge's channel
        if ((err as { code?: number }).code === 404) throw new HumanError(404, `There is no queue "${p.name}".`);
        throw err;
      });
      const summary = `Purged ${messages} ready message${messages === 1 ? '' : 's'} from ${p.name}` + (messages === 0 ? ': it was already empty.' : '. Messages a consumer holds unacknowledged are not purged; they return to the queue only if the consumer gives them back.');
      return { purged: p.name, messages, summary };
    })
    .get('/api/walkthrough', async () => STEPS.map(({ id, title, lesson, where, flows }) => ({ id, title, lesson, where, flows })))
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
      // Refused here, in words, rather than queued to fail minutes later in rostering.
      const window = {
        ...(body.from === undefined ? {} : { from: simTime(body.from, 'Window start') }),
        ...(body.to === undefined ? {} : { to: simTime(body.to, 'Window end') }),
      };
      const refused = rosteringTrainingRefusal(window, await recordedOrders(gateway), (ms) => fmtSimTime(ms, false));
      if (refused !== null) throw new HumanError(400, refused);
      // A second request for the window already queued or running (a double click, a retried POST)
      // would train the same model twice. Checked and marked queued with no await in between, so
      // of two that arrive together one is queued.
      const pending = gateway.live.rostering.pendingRetrain(window);
      if (pending) throw new HumanError(409, `A retrain of ${windowWords(window)} is ${pending.status} already (job ${pending.jobId}): follow it in the retrain list; it trains the model this one would.`);
      const jobId = randomUUID();
      gateway.live.rostering.queued(jobId, window);
      try {
        await gateway.queueActions.requestRetrain(window, jobId);
      } catch (err) {
        gateway.live.rostering.unqueued(jobId);
        throw err;
      }
      return { jobId };
    });
}
