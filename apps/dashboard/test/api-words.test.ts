import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import amqp from 'amqplib';
import { Kafka, logLevel } from 'kafkajs';
import { EXCHANGES, TOPIC, type LogEvent, type QueuesSnapshot } from '@riderflow/contracts';
import { toKafkaMessage } from '@riderflow/service-kit';
import { startStack, type Stack } from './stack.js';
import { adminFetch } from './admin-fetch.js';

// The dashboard API answers bad input and unknown names with a status and a sentence, before it
// touches a broker or queues a job: never a validator's dump nor a broker's raw 404 inside a 502.
// A stack without the simulator, so the test decides what the log holds.

let stack: Stack;
const HOUR = 3_600_000;
const T0 = Date.parse('2025-02-28T00:01:00Z');

beforeAll(async () => {
  stack = await startStack({ simulator: false });
}, 300_000);

afterAll(async () => {
  await stack?.stop();
});

async function answer(res: Response): Promise<{ status: number; error?: string }> {
  const body = (await res.json()) as { error?: string };
  return { status: res.status, ...(body.error === undefined ? {} : { error: body.error }) };
}
const get = async (path: string) => answer(await fetch(stack.dashboardUrl + path));
const post = async (path: string, body: unknown = {}) => answer(await adminFetch(stack.dashboardUrl, path, 'POST', body));

/** polls until `fn` gives a value; generous, the machine is shared */
async function until<T>(fn: () => Promise<T | null | undefined | false>, what: string, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => null);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
const queuesNow = async () => (await (await fetch(stack.dashboardUrl + '/api/queues')).json()) as QueuesSnapshot;
const logTopicsNow = async () => ((await (await fetch(stack.dashboardUrl + '/api/log')).json()) as { topics: { name: string }[] }).topics.map((t) => t.name);

function order(ts: number, n: number): LogEvent {
  return { type: 'order.created', v: 1, id: `api-words-${n}`, ts, orderId: `o${n}`, storeId: 's1', customerId: 'c1', zoneId: 'z1', storeLat: 52.5, storeLon: 13.4, dropLat: 52.51, dropLon: 13.41, placedAt: ts, expectedReadyAt: ts + 600_000 };
}

describe('the dashboard process says it listens, never that it is ready', () => {
  it('writes one "dashboard listening" line with its port and no "ready" line: only npm start says ready, once riders are on the map', () => {
    const listening = stack.dashboardOutput.filter((l) => l.includes('"msg":"dashboard listening"'));
    expect(listening).toHaveLength(1);
    expect(listening[0]).toContain(`"url":"${stack.dashboardUrl}"`);
    expect(stack.dashboardOutput.filter((l) => /dashboard ready/i.test(l))).toEqual([]);
  });
});

describe('the queues API in words', () => {
  it('an unknown queue is a 404 with a sentence for purge and peek, never the broker’s raw answer', async () => {
    expect(await post('/api/queues/nope.queue/purge')).toEqual({ status: 404, error: 'There is no queue "nope.queue".' });
    expect(await get('/api/queues/nope.queue/peek')).toEqual({ status: 404, error: 'There is no queue "nope.queue".' });
  });

  it('a path no endpoint serves is a JSON 404, a wrong method a 405 naming the right one, never the HTML page', async () => {
    // `%2e%2e` is folded away by URL parsing: /api/queues/%2e%2e/purge is /api/purge
    expect(await post('/api/queues/%2e%2e/purge')).toEqual({ status: 404, error: 'There is no API endpoint /api/purge.' });
    expect(await get('/api/nope')).toEqual({ status: 404, error: 'There is no API endpoint /api/nope.' });
    const res = await fetch(stack.dashboardUrl + '/api/queues/dead/redrive');
    expect(res.headers.get('allow')).toBe('POST');
    expect(await answer(res)).toEqual({ status: 405, error: 'GET is not served on /api/queues/dead/redrive; it answers POST' });
    // pages are still Next's
    expect((await fetch(stack.dashboardUrl + '/queues')).headers.get('content-type')).toMatch(/text\/html/);
  });

  it('bad query and body values name the parameter and what is allowed', async () => {
    expect(await get('/api/queues/dead?count=abc')).toEqual({ status: 400, error: 'Count must be a whole number from 1 to 100' });
    expect(await get('/api/queues/dead?count=0')).toEqual({ status: 400, error: 'Count must be a whole number from 1 to 100' });
    expect((await get('/api/queues/dead?count=2')).status).toBe(200);
    expect(await get('/api/queues/tasks.dead/peek?count=1.5')).toEqual({ status: 400, error: 'Count must be a whole number from 1 to 100' });
    expect(await post('/api/queues/dead/redrive', { count: 'all' })).toEqual({ status: 400, error: 'Count must be a whole number from 1 to 10000' });
    expect(await post('/api/queues/dead/redrive', { count: 1, dryRun: 'yes' })).toEqual({ status: 400, error: 'dryRun must be true or false' });
    // a field the action does not take is refused before anything is done (the CLI's --limit is the API's count)
    expect(await post('/api/queues/dead/redrive', { limit: 5 })).toEqual({ status: 400, error: 'Redrive takes count, dryRun, force; "limit" is not one of them (nothing was done)' });
    expect(await post('/api/queues/tasks.dead/purge', { queue: 'notify.ops' })).toEqual({ status: 400, error: 'Purge takes no fields; "queue" is not one of them (nothing was done)' });
    expect(await post('/api/log/groups/nobody/reset', { to: 'earliest', at: '2025-03-03 12:00' })).toEqual({ status: 400, error: 'Reset offsets takes to, time; "at" is not one of them (nothing was done)' });
    expect(await get('/api/log/tail')).toEqual({ status: 400, error: 'Choose a topic to tail (?topic=order.events, say)' });
  });
});

describe('purge answers how many messages it removed', () => {
  it('counts the ready messages in words, twice: the second purge finds the queue empty', async () => {
    const conn = await amqp.connect(stack.queues!.url);
    const queue = `api-words.purge-${Date.now()}`;
    try {
      const ch = await conn.createConfirmChannel();
      await ch.assertQueue(queue, { durable: false });
      for (const body of ['a', 'b', 'c']) ch.sendToQueue(queue, Buffer.from(body));
      await ch.waitForConfirms();
      const purge = async () => {
        const res = await adminFetch(stack.dashboardUrl, `/api/queues/${encodeURIComponent(queue)}/purge`, 'POST', {});
        return { status: res.status, body: (await res.json()) as unknown };
      };
      expect(await purge()).toEqual({ status: 200, body: { purged: queue, messages: 3, summary: `Purged 3 ready messages from ${queue}. Messages a consumer holds unacknowledged are not purged; they return to the queue only if the consumer gives them back.` } });
      expect(await purge()).toEqual({ status: 200, body: { purged: queue, messages: 0, summary: `Purged 0 ready messages from ${queue}: it was already empty.` } });
      expect((await ch.checkQueue(queue)).messageCount).toBe(0);
      await ch.deleteQueue(queue);
    } finally {
      await conn.close().catch(() => {});
    }
  });
});

describe('a server-named exclusive queue on the queues page', () => {
  // A client's own queue (amq.gen-…, declared with an empty name) is a real queue that can fill up:
  // listed with its depth like any other, not hidden while its binding shows; the broker lets no
  // other connection peek or purge it, so the API says so in words instead of relaying a 400.
  it('is listed with its depth and binding, refused for peek and purge in words, and gone once its connection closes', async () => {
    const conn = await amqp.connect(stack.queues!.url);
    let queue = '';
    try {
      const ch = await conn.createConfirmChannel();
      ({ queue } = await ch.assertQueue('', { exclusive: true }));
      expect(queue).toMatch(/^amq\.gen-/);
      await ch.bindQueue(queue, EXCHANGES.notifications, 'tour.#');
      ch.sendToQueue(queue, Buffer.from('waiting'));
      await ch.waitForConfirms();
      const row = await until(async () => (await queuesNow()).queues.find((q) => q.name === queue && q.ready === 1), `${queue} listed with 1 ready`);
      expect(row).toMatchObject({ exclusive: true, consumers: 0 });
      expect((await queuesNow()).bindings).toContainEqual({ source: EXCHANGES.notifications, destination: queue, routingKey: 'tour.#' });
      expect(await get(`/api/queues/${encodeURIComponent(queue)}/peek`)).toEqual({ status: 409, error: `"${queue}" is an exclusive queue: only the connection that declared it may use it, so the broker lets no one else peek into it. It goes when that connection closes.` });
      expect(await post(`/api/queues/${encodeURIComponent(queue)}/purge`)).toEqual({ status: 409, error: `"${queue}" is an exclusive queue: only the connection that declared it may use it, so the broker lets no one else purge it. It goes when that connection closes.` });
      // and it was neither read nor purged
      expect((await ch.checkQueue(queue)).messageCount).toBe(1);
      // an ordinary queue is still not exclusive
      expect((await queuesNow()).queues.find((q) => q.name === 'tasks.dead')).toMatchObject({ exclusive: false });
    } finally {
      await conn.close();
    }
    await until(async () => {
      const s = await queuesNow();
      return !s.queues.some((q) => q.name === queue) && !s.bindings.some((b) => b.destination === queue);
    }, `${queue} and its binding gone after its connection closed`);
  }, 120_000);
});

describe('the log API in words', () => {
  it('tailing a topic that does not exist is a 404 in words, as the other log endpoints answer it', async () => {
    const admin = new Kafka({ clientId: 'api-words-tail', brokers: [stack.log.brokers], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'api-words.tail', numPartitions: 1 }] });
    await admin.disconnect();
    // once the gateway has sampled the log (and seen the new topic), the answers are its own
    await until(async () => (await logTopicsNow()).includes('api-words.tail'), 'api-words.tail sampled');
    expect(await get('/api/log/tail?topic=nope.topic')).toEqual({ status: 404, error: 'There is no topic "nope.topic".' });
    expect(await get('/api/log/topics/nope.topic')).toEqual({ status: 404, error: 'There is no topic "nope.topic".' });
    const tail = await fetch(stack.dashboardUrl + '/api/log/tail?topic=api-words.tail');
    expect(tail.status).toBe(200);
    expect(await tail.json()).toEqual([]);
  }, 120_000);
});

describe('retrain refuses a window that cannot train, before queuing a job', () => {
  it('says there is nothing to train on while the log holds no orders', async () => {
    expect(await post('/api/rostering/retrain')).toEqual({ status: 400, error: 'The log holds no recorded orders yet: there is nothing to train on.' });
  });

  it('refuses reversed, empty, too short and absurd windows in words; accepts one rostering can train on', async () => {
    // 60 simulated hours of recorded orders: more than the 50 rostering needs
    const producer = new Kafka({ clientId: 'api-words-test', brokers: [stack.log.brokers], logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await producer.send({ topic: TOPIC.orderEvents, messages: [order(T0, 1), order(T0 + 30 * HOUR, 2), order(T0 + 60 * HOUR, 3)].map(toKafkaMessage) });
    await producer.disconnect();
    const newest = '2025-03-02 12:01';
    expect(await post('/api/rostering/retrain', { from: T0 + 20 * HOUR, to: T0 })).toEqual({ status: 400, error: 'The window must end after it starts.' });
    expect(await post('/api/rostering/retrain', { from: 0, to: 1 })).toEqual({ status: 400, error: 'The window ends before the oldest recorded order (2025-02-28 00:01): pick a later end.' });
    expect(await post('/api/rostering/retrain', { from: T0 + 61 * HOUR })).toEqual({ status: 400, error: `The window starts after the newest recorded order (${newest}): pick an earlier start.` });
    expect(await post('/api/rostering/retrain', { from: '2025-02-28 00:00', to: '2025-02-28 10:00' })).toEqual({
      status: 400,
      error: 'Rostering needs at least 50 simulated hours of recorded orders to train (a day to warm up its features, a day held out to score the model, and the 2-hour forecast horizon); the window holds 10 simulated hours (2025-02-28 00:00 to 2025-02-28 10:00).',
    });
    expect(await post('/api/rostering/retrain', { from: 1e300 })).toEqual({ status: 400, error: 'Window start must be a simulated UTC time written as 2025-03-03 18:40 (24-hour)' });
    expect(await post('/api/rostering/retrain', { to: -5 })).toEqual({ status: 400, error: 'Window end must be a simulated UTC time written as 2025-03-03 18:40 (24-hour)' });
    const ok = await adminFetch(stack.dashboardUrl, '/api/rostering/retrain', 'POST', { from: '2025-02-28 00:00' });
    expect(ok.status).toBe(200);
    const { jobId } = (await ok.json()) as { jobId: string };
    expect(jobId).toMatch(/^[0-9a-f-]{36}$/);
    // This stack runs no rostering: the job stays queued, and asking again for the same window is a
    // 409 naming it rather than a second job training the same model.
    expect(await post('/api/rostering/retrain', { from: '2025-02-28 00:00' })).toEqual({
      status: 409,
      error: `A retrain of 2025-02-28 00:00 to the newest is queued already (job ${jobId}): follow it in the retrain list; it trains the model this one would.`,
    });
  }, 180_000);

  it('queues one job when two requests for the same window arrive together; another window is another job', async () => {
    const both = await Promise.all([post('/api/rostering/retrain', { from: '2025-02-28 06:00' }), post('/api/rostering/retrain', { from: '2025-02-28 06:00' })]);
    expect(both.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(both.find((a) => a.status === 409)!.error).toMatch(/^A retrain of 2025-02-28 06:00 to the newest is queued already \(job [0-9a-f-]{36}\)/);
    expect((await post('/api/rostering/retrain', {})).status).toBe(200);
    expect(await post('/api/rostering/retrain', {})).toMatchObject({ status: 409, error: expect.stringMatching(/^A retrain of all recorded orders is queued already/) });
  }, 60_000);
});
