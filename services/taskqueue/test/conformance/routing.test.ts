// Routing per exchange type, the default exchange, mandatory publish and basic.return.

import { describe, expect, it } from 'vitest';
import { channelError, useChannelSession, targetNames, uniqueName, until } from './targets.js';

describe.each(targetNames)('routing on %s', (targetName) => {
  const s = useChannelSession(targetName);
  const { queues, exchanges } = s;

  async function queue(tag: string): Promise<string> {
    const { queue } = await s.ch.assertQueue(uniqueName(tag), { durable: false, autoDelete: false });
    queues.push(queue);
    return queue;
  }
  async function exchange(tag: string, type: string): Promise<string> {
    const name = uniqueName(tag);
    await s.ch.assertExchange(name, type, { durable: false });
    exchanges.push(name);
    return name;
  }
  /** drain a queue with basic.get and return the bodies */
  async function bodies(q: string): Promise<string[]> {
    const out: string[] = [];
    for (;;) {
      const m = await s.ch.get(q, { noAck: true });
      if (!m) return out;
      out.push(m.content.toString());
    }
  }
  async function settle(q: string, n: number) {
    await until(async () => (await s.ch.checkQueue(q)).messageCount >= n, `${n} messages in ${q}`);
  }

  it('direct exchange routes by exact routing key, to every bound queue', async () => {
    const x = await exchange('direct', 'direct');
    const a = await queue('a');
    const b = await queue('b');
    await s.ch.bindQueue(a, x, 'red');
    await s.ch.bindQueue(b, x, 'red');
    await s.ch.bindQueue(b, x, 'blue');
    s.ch.publish(x, 'red', Buffer.from('r'));
    s.ch.publish(x, 'blue', Buffer.from('b'));
    s.ch.publish(x, 'green', Buffer.from('g'));
    await settle(b, 2);
    expect(await bodies(a)).toEqual(['r']);
    expect(await bodies(b)).toEqual(['r', 'b']);
  });

  it('topic exchange: * matches one word, # zero or more', async () => {
    const x = await exchange('topic', 'topic');
    const cases: Record<string, string> = {
      star: 'rider.*.location',
      hash: 'rider.#',
      hashMiddle: 'a.#.z',
      all: '#',
      exact: 'order.created',
      starEnd: '*.created',
    };
    const q: Record<string, string> = {};
    for (const [k, key] of Object.entries(cases)) {
      q[k] = await queue(k);
      await s.ch.bindQueue(q[k], x, key);
    }
    const keys = ['rider.17.location', 'rider', 'rider.17.zone.location', 'a.z', 'a.b.c.z', 'order.created', 'x.created', 'order.created.late', ''];
    for (const k of keys) s.ch.publish(x, k, Buffer.from(k));
    await settle(q.all, keys.length);
    expect(await bodies(q.star)).toEqual(['rider.17.location']);
    expect(await bodies(q.hash)).toEqual(['rider.17.location', 'rider', 'rider.17.zone.location']);
    expect(await bodies(q.hashMiddle)).toEqual(['a.z', 'a.b.c.z']);
    expect(await bodies(q.all)).toEqual(keys);
    expect(await bodies(q.exact)).toEqual(['order.created']);
    expect(await bodies(q.starEnd)).toEqual(['order.created', 'x.created']);
  });

  it('fanout exchange ignores the routing key', async () => {
    const x = await exchange('fanout', 'fanout');
    const a = await queue('fa');
    const b = await queue('fb');
    await s.ch.bindQueue(a, x, '');
    await s.ch.bindQueue(b, x, 'whatever');
    s.ch.publish(x, 'anything', Buffer.from('1'));
    await settle(b, 1);
    expect(await bodies(a)).toEqual(['1']);
    expect(await bodies(b)).toEqual(['1']);
  });

  it('headers exchange matches all or any', async () => {
    const x = await exchange('headers', 'headers');
    const all = await queue('hall');
    const any = await queue('hany');
    await s.ch.bindQueue(all, x, '', { 'x-match': 'all', kind: 'sms', urgent: 'yes' });
    await s.ch.bindQueue(any, x, '', { 'x-match': 'any', kind: 'sms', urgent: 'yes' });
    s.ch.publish(x, '', Buffer.from('both'), { headers: { kind: 'sms', urgent: 'yes' } });
    s.ch.publish(x, '', Buffer.from('one'), { headers: { kind: 'sms' } });
    s.ch.publish(x, '', Buffer.from('none'), { headers: { kind: 'email' } });
    await settle(any, 2);
    expect(await bodies(all)).toEqual(['both']);
    expect(await bodies(any)).toEqual(['both', 'one']);
  });

  it('default exchange routes to the queue named by the routing key; amq.* built-ins exist', async () => {
    const a = await queue('dflt');
    s.ch.sendToQueue(a, Buffer.from('hello'));
    await settle(a, 1);
    expect(await bodies(a)).toEqual(['hello']);
    for (const [name, type] of [['amq.direct', 'direct'], ['amq.topic', 'topic'], ['amq.fanout', 'fanout'], ['amq.headers', 'headers'], ['amq.match', 'headers']]) {
      await s.ch.checkExchange(name);
      await s.ch.assertExchange(name, type, { durable: true });
    }
    await s.ch.bindQueue(a, 'amq.topic', 'rf.#');
    s.ch.publish('amq.topic', 'rf.x', Buffer.from('via amq.topic'));
    await settle(a, 1);
    expect(await bodies(a)).toEqual(['via amq.topic']);
    await s.ch.unbindQueue(a, 'amq.topic', 'rf.#');
    // the firehose tracer's exchange: there, internal, bindable, and closed to publishers
    await s.ch.assertExchange('amq.rabbitmq.trace', 'topic', { durable: true, internal: true });
    await s.ch.bindQueue(a, 'amq.rabbitmq.trace', '#');
    await s.ch.unbindQueue(a, 'amq.rabbitmq.trace', '#');
    const refused = await channelError(s.conn, async (c) => {
      c.publish('amq.rabbitmq.trace', 'publish.x', Buffer.from('no'));
      await c.checkQueue(a);
    });
    expect(refused.code).toBe(403);
    expect(refused.message).toContain("ACCESS_REFUSED - cannot publish to internal exchange 'amq.rabbitmq.trace' in vhost '/'");
  });

  it('exchange-to-exchange bindings route onward', async () => {
    const src = await exchange('e2e-src', 'topic');
    const dst = await exchange('e2e-dst', 'fanout');
    const q = await queue('e2e');
    await s.ch.bindExchange(dst, src, 'jobs.*');
    await s.ch.bindQueue(q, dst, '');
    s.ch.publish(src, 'jobs.retrain', Buffer.from('go'));
    s.ch.publish(src, 'other', Buffer.from('no'));
    await settle(q, 1);
    expect(await bodies(q)).toEqual(['go']);
  });

  it('unbinding stops routing', async () => {
    const x = await exchange('unbind', 'direct');
    const q = await queue('unbind');
    await s.ch.bindQueue(q, x, 'k');
    await s.ch.unbindQueue(q, x, 'k');
    s.ch.publish(x, 'k', Buffer.from('lost'));
    s.ch.sendToQueue(q, Buffer.from('marker'));
    await settle(q, 1);
    expect(await bodies(q)).toEqual(['marker']);
  });

  it('mandatory publish of an unroutable message comes back as basic.return (312 NO_ROUTE)', async () => {
    const x = await exchange('mandatory', 'direct');
    const returned = new Promise<{ replyCode: number; replyText: string; exchange: string; routingKey: string; body: string }>((resolve) => {
      s.ch.once('return', (m) => resolve({ ...(m.fields as unknown as { replyCode: number; replyText: string; exchange: string; routingKey: string }), body: m.content.toString() }));
    });
    s.ch.publish(x, 'nowhere', Buffer.from('bounce'), { mandatory: true });
    const r = await returned;
    expect(r).toMatchObject({ replyCode: 312, replyText: 'NO_ROUTE', exchange: x, routingKey: 'nowhere', body: 'bounce' });
  });

  it('properties and headers travel unchanged', async () => {
    const q = await queue('props');
    s.ch.sendToQueue(q, Buffer.from('{"a":1}'), {
      contentType: 'application/json', contentEncoding: 'utf-8', correlationId: 'c-1', replyTo: 'r', messageId: 'm-1',
      timestamp: 1700000000, type: 't', appId: 'riderflow', priority: 3, persistent: true,
      headers: { s: 'x', n: 42, b: true, nested: { k: 'v' }, list: [1, 'two'] },
    });
    await settle(q, 1);
    const m = await s.ch.get(q, { noAck: true });
    expect(m).toBeTruthy();
    if (!m) return;
    expect(m.properties).toMatchObject({
      contentType: 'application/json', contentEncoding: 'utf-8', correlationId: 'c-1', replyTo: 'r', messageId: 'm-1',
      timestamp: 1700000000, type: 't', appId: 'riderflow', priority: 3, deliveryMode: 2,
    });
    expect(m.properties.headers).toMatchObject({ s: 'x', n: 42, b: true, nested: { k: 'v' }, list: [1, 'two'] });
    expect(m.fields).toMatchObject({ exchange: '', routingKey: q, redelivered: false, messageCount: 0 });
  });
});
