// Dead-lettering on reject/nack, TTL (queue and per message) and max-length, with the x-death
// header RabbitMQ writes; and queue arguments x-overflow reject-publish and x-expires.

import { describe, expect, it } from 'vitest';
import type { GetMessage } from 'amqplib';
import { useChannelSession, targetNames, uniqueName, until } from './targets.js';

type Death = { count: number; reason: string; queue: string; time: { value: number } | number; exchange: string; 'routing-keys': string[]; 'original-expiration'?: string };

describe.each(targetNames)('dead-lettering, TTL and max-length on %s', (targetName) => {
  const s = useChannelSession(targetName);
  const { queues, exchanges } = s;

  /** a work queue dead-lettering into a fanout DLX bound to a dead-letter queue */
  async function topology(tag: string, args: Record<string, unknown>) {
    const dlx = uniqueName(`${tag}-dlx`);
    await s.ch.assertExchange(dlx, 'fanout', { durable: false });
    exchanges.push(dlx);
    const dead = (await s.ch.assertQueue(uniqueName(`${tag}-dead`), { durable: false })).queue;
    queues.push(dead);
    await s.ch.bindQueue(dead, dlx, '');
    const work = (await s.ch.assertQueue(uniqueName(`${tag}-work`), { durable: false, arguments: { 'x-dead-letter-exchange': dlx, ...args } })).queue;
    queues.push(work);
    return { dlx, dead, work };
  }
  async function getOne(q: string): Promise<GetMessage> {
    let m: GetMessage | false = false;
    await until(async () => (m = await s.ch.get(q)) !== false, `a message in ${q}`);
    return m as unknown as GetMessage;
  }
  const deaths = (m: GetMessage) => (m.properties.headers?.['x-death'] ?? []) as Death[];
  const ready = async (q: string) => (await s.ch.checkQueue(q)).messageCount;

  it('reject without requeue dead-letters with reason "rejected" and a full x-death entry', async () => {
    const { dead, work } = await topology('rej', {});
    const before = Math.floor(Date.now() / 1000);
    s.ch.sendToQueue(work, Buffer.from('bad'), { headers: { keep: 'me' }, expiration: '60000' });
    const m = await getOne(work);
    s.ch.reject(m, false);
    const d = await getOne(dead);
    s.ch.ack(d);
    expect(d.content.toString()).toBe('bad');
    expect(d.fields.exchange).toBe(deaths(d).length ? d.fields.exchange : '');
    const [x] = deaths(d);
    expect(deaths(d)).toHaveLength(1);
    expect(x).toMatchObject({ count: 1, reason: 'rejected', queue: work, exchange: '', 'routing-keys': [work], 'original-expiration': '60000' });
    const t = typeof x.time === 'number' ? x.time : x.time.value;
    expect(t).toBeGreaterThanOrEqual(before - 1);
    expect(d.properties.expiration).toBeUndefined();
    expect(d.properties.headers).toMatchObject({ keep: 'me', 'x-first-death-reason': 'rejected', 'x-first-death-queue': work, 'x-first-death-exchange': '' });
  });

  it('x-dead-letter-routing-key replaces the routing key; nack(requeue=false) dead-letters too', async () => {
    const dlx = uniqueName('rk-dlx');
    await s.ch.assertExchange(dlx, 'direct', { durable: false });
    exchanges.push(dlx);
    const dead = (await s.ch.assertQueue(uniqueName('rk-dead'), { durable: false })).queue;
    queues.push(dead);
    await s.ch.bindQueue(dead, dlx, 'failed');
    const work = (await s.ch.assertQueue(uniqueName('rk-work'), { durable: false, arguments: { 'x-dead-letter-exchange': dlx, 'x-dead-letter-routing-key': 'failed' } })).queue;
    queues.push(work);
    s.ch.publish('', work, Buffer.from('n'));
    const m = await getOne(work);
    s.ch.nack(m, false, false);
    const d = await getOne(dead);
    s.ch.ack(d);
    expect(d.fields.routingKey).toBe('failed');
    expect(d.fields.exchange).toBe(dlx);
    expect(deaths(d)[0]).toMatchObject({ reason: 'rejected', queue: work, 'routing-keys': [work] });
  });

  it('the same queue and reason again increments count; a new one is prepended', async () => {
    // work → (reject) → retry queue with TTL 0 → (expired) → back to work
    const workX = uniqueName('loop-work-x');
    const retryX = uniqueName('loop-retry-x');
    await s.ch.assertExchange(workX, 'fanout', { durable: false });
    await s.ch.assertExchange(retryX, 'fanout', { durable: false });
    exchanges.push(workX, retryX);
    const work = (await s.ch.assertQueue(uniqueName('loop-work'), { durable: false, arguments: { 'x-dead-letter-exchange': retryX } })).queue;
    const retry = (await s.ch.assertQueue(uniqueName('loop-retry'), { durable: false, arguments: { 'x-dead-letter-exchange': workX, 'x-message-ttl': 0 } })).queue;
    queues.push(work, retry);
    await s.ch.bindQueue(work, workX, '');
    await s.ch.bindQueue(retry, retryX, '');
    s.ch.publish(workX, 'job', Buffer.from('retry me'));
    let m = await getOne(work);
    s.ch.reject(m, false);
    m = await getOne(work);
    expect(deaths(m).map((d) => [d.queue, d.reason, d.count])).toEqual([[retry, 'expired', 1], [work, 'rejected', 1]]);
    s.ch.reject(m, false);
    m = await getOne(work);
    s.ch.ack(m);
    expect(deaths(m).map((d) => [d.queue, d.reason, d.count])).toEqual([[retry, 'expired', 2], [work, 'rejected', 2]]);
    expect(m.properties.headers).toMatchObject({ 'x-first-death-reason': 'rejected', 'x-first-death-queue': work });
  });

  it('queue TTL expires messages into the dead-letter exchange with reason "expired"', async () => {
    const { dead, work } = await topology('ttl', { 'x-message-ttl': 50 });
    s.ch.sendToQueue(work, Buffer.from('old'));
    const d = await getOne(dead);
    s.ch.ack(d);
    expect(deaths(d)[0]).toMatchObject({ count: 1, reason: 'expired', queue: work });
    expect(deaths(d)[0]['original-expiration']).toBeUndefined();
    expect(await ready(work)).toBe(0);
  });

  it('per-message expiration expires at the head and records original-expiration', async () => {
    const { dead, work } = await topology('msgttl', {});
    s.ch.sendToQueue(work, Buffer.from('short'), { expiration: '30' });
    s.ch.sendToQueue(work, Buffer.from('keeps'));
    const d = await getOne(dead);
    s.ch.ack(d);
    expect(d.content.toString()).toBe('short');
    expect(deaths(d)[0]).toMatchObject({ reason: 'expired', queue: work, 'original-expiration': '30' });
    const left = await getOne(work);
    s.ch.ack(left);
    expect(left.content.toString()).toBe('keeps');
  });

  it('x-max-length drops from the head and dead-letters with reason "maxlen"', async () => {
    const { dead, work } = await topology('maxlen', { 'x-max-length': 2 });
    for (const b of ['1', '2', '3', '4']) s.ch.sendToQueue(work, Buffer.from(b));
    await until(async () => (await ready(dead)) === 2, '2 dead-lettered');
    const d1 = await getOne(dead);
    const d2 = await getOne(dead);
    s.ch.ack(d1);
    s.ch.ack(d2);
    expect([d1.content.toString(), d2.content.toString()]).toEqual(['1', '2']);
    expect(deaths(d1)[0]).toMatchObject({ reason: 'maxlen', queue: work, count: 1 });
    const kept = [await getOne(work), await getOne(work)];
    kept.forEach((m) => s.ch.ack(m));
    expect(kept.map((m) => m.content.toString())).toEqual(['3', '4']);
  });

  it('x-overflow reject-publish refuses new messages: confirm nack, nothing dropped', async () => {
    const q = (await s.ch.assertQueue(uniqueName('rejpub'), { durable: false, arguments: { 'x-max-length': 1, 'x-overflow': 'reject-publish' } })).queue;
    queues.push(q);
    const cc = await s.conn.createConfirmChannel();
    const first = await new Promise<Error | null>((r) => cc.sendToQueue(q, Buffer.from('a'), {}, (e) => r(e)));
    const second = await new Promise<Error | null>((r) => cc.sendToQueue(q, Buffer.from('b'), {}, (e) => r(e)));
    expect(first).toBeNull();
    expect(second).toBeInstanceOf(Error);
    await cc.close();
    const m = await getOne(q);
    s.ch.ack(m);
    expect(m.content.toString()).toBe('a');
  });

  it('x-expires deletes an unused queue', async () => {
    const q = (await s.ch.assertQueue(uniqueName('expires'), { durable: false, arguments: { 'x-expires': 100 } })).queue;
    // passive declares would count as use; a mandatory publish tells without touching the queue
    const cc = await s.conn.createConfirmChannel();
    let returned = false;
    cc.on('return', () => (returned = true));
    await until(async () => {
      cc.publish('', q, Buffer.from('probe'), { mandatory: true });
      await cc.waitForConfirms();
      return returned;
    }, 'queue to expire', 5000);
    await cc.close();
  });
});
