// The management API subset, read with the same client code from both brokers. RabbitMQ refreshes
// its statistics every few seconds, hence the polling.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel, ChannelModel } from 'amqplib';
import { connect, managementFetch, startTarget, targetNames, uniqueName, until, type Target } from './targets.js';
import { getMessages, readBindings, readExchanges, readOverview, readQueue, readQueues } from './management-client.js';

describe.each(targetNames)('management API on %s', (targetName) => {
  let target: Target;
  let conn: ChannelModel;
  let ch: Channel;
  const q = uniqueName('mgmt');
  const x = uniqueName('mgmt-x');
  const managementUrl = (): string => {
    if (!target?.httpUrl) throw new Error(`${targetName} has no management API URL`);
    return target.httpUrl;
  };

  beforeAll(async () => {
    // With RABBITMQ_URL set, its management API must answer: these checks fail rather than pass unrun.
    target = await startTarget(targetName, { requireManagementMs: 30_000 });
    conn = await connect(target.url);
    ch = await conn.createChannel();
    await ch.assertExchange(x, 'topic', { durable: false });
    await ch.assertQueue(q, { durable: true, arguments: { 'x-max-length': 100 } });
    await ch.bindQueue(q, x, 'rider.#');
  });
  afterAll(async () => {
    await ch?.deleteQueue(q).catch(() => {});
    await ch?.deleteExchange(x).catch(() => {});
    await conn?.close().catch(() => {});
    await target?.stop();
  });

  it('/api/whoami names the caller; a malformed percent-encoding is a 400', async () => {
    const who = await managementFetch(managementUrl(), '/api/whoami');
    expect(who.status).toBe(200);
    expect(((await who.json()) as { name: string }).name).toBe(decodeURIComponent(new URL(managementUrl()).username));
    const bad = await managementFetch(managementUrl(), '/api/queues/%2F/%zz');
    expect(bad.status).toBe(400);
  });

  it('serves the management API on the broker\'s HTTP port', () => {
    expect(target.httpUrl).toBeDefined();
    expect(target.servesManagementApi).toBe(true);
  });

  it('lists queues with depth, consumers and message stats', async () => {
    const httpUrl = managementUrl();
    for (let i = 0; i < 3; i++) ch.publish(x, `rider.${i}`, Buffer.from(`m${i}`), { persistent: true });
    const m = await ch.get(q);
    expect(m).toBeTruthy();
    let view: Awaited<ReturnType<typeof readQueue>> | undefined;
    try {
      await until(async () => {
        view = (await readQueues(httpUrl)).find((v) => v.name === q);
        // RabbitMQ fills in a queue's fields as its stats arrive (consumers among the last): wait for all of them
        return view !== undefined && view.consumers !== undefined && view.messages === 3 && view.messages_ready === 2 && view.messages_unacknowledged === 1 && view.message_stats?.publish === 3;
      }, 'queue stats', 15_000);
    } finally {
      if (m) ch.nack(m, false, true);
    }
    expect(view).toMatchObject({ name: q, durable: true, auto_delete: false, exclusive: false, messages: 3, messages_ready: 2, messages_unacknowledged: 1, consumers: 0 });
    expect(view!.arguments).toEqual({ 'x-max-length': 100 });
    expect(typeof view!.message_stats?.publish_details?.rate).toBe('number');
    expect((await readQueue(httpUrl, q)).name).toBe(q);
  });

  it('POST …/get with ack_requeue_true shows messages without taking them', async () => {
    const httpUrl = managementUrl();
    await until(async () => (await readQueue(httpUrl, q)).messages_ready === 3, 'requeued', 15_000);
    const got = await getMessages(httpUrl, q, 2);
    expect(got).toHaveLength(2);
    expect(got[0]).toMatchObject({ payload: 'm0', payload_encoding: 'string', exchange: x, routing_key: 'rider.0', redelivered: true });
    expect(got[0].properties).toMatchObject({ delivery_mode: 2 });
    expect(got[1]).toMatchObject({ payload: 'm1', routing_key: 'rider.1' });
    expect((await ch.checkQueue(q)).messageCount).toBe(3);
  });

  it('lists exchanges and bindings', async () => {
    const httpUrl = managementUrl();
    const exchanges = await readExchanges(httpUrl);
    expect(exchanges.find((e) => e.name === x)).toMatchObject({ type: 'topic', durable: false });
    expect(exchanges.find((e) => e.name === 'amq.topic')).toMatchObject({ type: 'topic', durable: true });
    expect(exchanges.find((e) => e.name === '')).toMatchObject({ type: 'direct' });
    const bindings = await readBindings(httpUrl);
    expect(bindings).toContainEqual(expect.objectContaining({ source: x, destination: q, destination_type: 'queue', routing_key: 'rider.#' }));
    expect(bindings).toContainEqual(expect.objectContaining({ source: '', destination: q, routing_key: q }));
  });

  it('overview totals and basic auth', async () => {
    const httpUrl = managementUrl();
    const o = await readOverview(httpUrl);
    expect(o.object_totals.queues).toBeGreaterThanOrEqual(1);
    expect(o.queue_totals.messages).toBeGreaterThanOrEqual(0);
    const bad = new URL(httpUrl);
    bad.password = 'wrong';
    expect((await managementFetch(bad.toString(), '/api/queues')).status).toBe(401);
    expect((await managementFetch(httpUrl, `/api/queues/%2F/${uniqueName('none')}`)).status).toBe(404);
  });

  it('DELETE …/<name> deletes a queue: if-empty refuses one with messages (400 naming why), a second DELETE is a 404', async () => {
    const httpUrl = managementUrl();
    const doomed = uniqueName('mgmt-del');
    await ch.assertQueue(doomed, { durable: false });
    ch.sendToQueue(doomed, Buffer.from('m'));
    await until(async () => (await ch.checkQueue(doomed)).messageCount === 1, 'the message queued', 15_000);
    const refused = await managementFetch(httpUrl, `/api/queues/%2F/${doomed}?if-empty=true`, { method: 'DELETE' });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { reason: string }).reason).toContain('not empty');
    expect((await ch.checkQueue(doomed)).messageCount).toBe(1);
    expect((await managementFetch(httpUrl, `/api/queues/%2F/${doomed}`, { method: 'DELETE' })).status).toBe(204);
    expect((await managementFetch(httpUrl, `/api/queues/%2F/${doomed}`, { method: 'DELETE' })).status).toBe(404);
    const probe = await conn.createChannel();
    probe.on('error', () => {});
    await expect(probe.checkQueue(doomed)).rejects.toThrow(/404|NOT_FOUND/);
  });

  it('POST /api/exchanges/…/publish (rabbitmqadmin publish) routes a message with its properties; bad bodies are 400s in RabbitMQ\'s words', async () => {
    const httpUrl = managementUrl();
    const box = uniqueName('mgmt-pub');
    await ch.assertQueue(box, { durable: false });
    try {
      const publish = async (exchange: string, body: unknown) => {
        const res = await managementFetch(httpUrl, `/api/exchanges/%2F/${encodeURIComponent(exchange)}/publish`, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });
        return { status: res.status, body: (await res.json()) as Record<string, unknown> };
      };
      const ok = { properties: {}, routing_key: box, payload: 'plain', payload_encoding: 'string' };
      expect(await publish('amq.default', ok)).toEqual({ status: 200, body: { routed: true } });
      expect(await publish('amq.default', { ...ok, routing_key: uniqueName('nobody') })).toEqual({ status: 200, body: { routed: false } });
      expect(await publish('amq.default', { ...ok, payload: Buffer.from([0, 255]).toString('base64'), payload_encoding: 'base64' })).toEqual({ status: 200, body: { routed: true } });
      expect(await publish('amq.default', { ...ok, payload: 'typed', properties: { delivery_mode: 2, content_type: 'text/plain', headers: { a: 1, b: 'two' } } })).toEqual({ status: 200, body: { routed: true } });
      // through a topic exchange and its binding
      expect(await publish(x, { ...ok, routing_key: 'nothing.bound' })).toEqual({ status: 200, body: { routed: false } });
      const { properties: _p, ...noProperties } = ok;
      expect(await publish('amq.default', noProperties)).toEqual({ status: 400, body: { error: 'bad_request', reason: '[{key_missing,properties}]' } });
      const { payload: _b, ...noPayload } = ok;
      expect(await publish('amq.default', noPayload)).toEqual({ status: 400, body: { error: 'bad_request', reason: '[{key_missing,payload}]' } });
      expect(await publish('amq.default', { ...ok, payload_encoding: 'zz' })).toEqual({ status: 400, body: { error: 'bad_request', reason: ['unsupported_encoding', 'zz'] } });
      expect(await publish('amq.default', 'notjson')).toEqual({ status: 400, body: { error: 'bad_request', reason: 'not_json' } });
      const missing = uniqueName('no-such-x');
      expect(await publish(missing, ok)).toEqual({ status: 400, body: { error: 'bad_request', reason: `404 NOT_FOUND - no exchange '${missing}' in vhost '/'` } });
      await until(async () => (await ch.checkQueue(box)).messageCount === 3, 'the three routed messages queued', 15_000);
      const got = [await ch.get(box, { noAck: true }), await ch.get(box, { noAck: true }), await ch.get(box, { noAck: true })];
      expect(got.map((m) => m && [...m.content])).toEqual([[...Buffer.from('plain')], [0, 255], [...Buffer.from('typed')]]);
      const typed = got[2];
      if (!typed) throw new Error('the typed message was not queued');
      expect(typed.properties.deliveryMode).toBe(2);
      expect(typed.properties.contentType).toBe('text/plain');
      expect(typed.properties.headers).toMatchObject({ a: 1, b: 'two' });
      expect(typed.fields.exchange).toBe('');
      expect(typed.fields.routingKey).toBe(box);
    } finally {
      await ch.deleteQueue(box).catch(() => {});
    }
  });

  it('POST …/publish refuses a bad body in RabbitMQ\'s order and words: every missing key at once, payload_not_string, the vhost, then properties, encoding, exchange', async () => {
    const httpUrl = managementUrl();
    const caller = decodeURIComponent(new URL(httpUrl).username);
    const publish = async (vhost: string, exchange: string, body: string) => {
      const res = await managementFetch(httpUrl, `/api/exchanges/${encodeURIComponent(vhost)}/${encodeURIComponent(exchange)}/publish`, { method: 'POST', body });
      const text = await res.text();
      return { status: res.status, body: text === '' ? '' : (JSON.parse(text) as unknown) };
    };
    const bad = (reason: unknown) => ({ status: 400, body: { error: 'bad_request', reason } });
    const nobody = uniqueName('nobody'); // no queue has this name: nothing is stored by these publishes
    const ok = { properties: {}, routing_key: nobody, payload: 'a', payload_encoding: 'string' };
    const body = (change: Record<string, unknown>, drop: string[] = []) => JSON.stringify(Object.fromEntries(Object.entries({ ...ok, ...change }).filter(([k]) => !drop.includes(k))));
    const allMissing = '[{key_missing,routing_key},\n {key_missing,properties},\n {key_missing,payload},\n {key_missing,payload_encoding}]';
    const missingX = uniqueName('no-such-x');
    const missingVhost = uniqueName('no-such-vhost');
    const refusedVhost = { status: 401, body: { error: 'not_authorised', reason: 'Access refused.' } };
    // [what, vhost, exchange, body, answer]; the answer is per broker where ours deliberately differs
    type Answer = { status: number; body: unknown };
    const cases: Array<[string, string, string, string, Answer | Record<typeof targetName, Answer>]> = [
      // the body: what RabbitMQ reads as {} lists every key; what is not an object is not JSON
      ['an empty body', '/', 'amq.default', '', bad(allMissing)],
      ['{}', '/', 'amq.default', '{}', bad(allMissing)],
      ['null', '/', 'amq.default', 'null', bad(allMissing)],
      ['true', '/', 'amq.default', 'true', bad(allMissing)],
      ['a JSON array', '/', 'amq.default', '[1,2]', bad('not_json')],
      ['a JSON number', '/', 'amq.default', '5', bad('not_json')],
      ['a JSON string', '/', 'amq.default', '"{}"', bad('invalid payload: the request body JSON-decoded to a string. Is the input doubly-JSON-encoded?')],
      ['bad JSON', '/', 'amq.default', '{bad', bad('not_json')],
      // the missing keys, all named, in RabbitMQ's order and Erlang's line breaks
      ['no properties', '/', 'amq.default', body({}, ['properties']), bad('[{key_missing,properties}]')],
      ['no payload_encoding', '/', 'amq.default', body({}, ['payload_encoding']), bad('[{key_missing,payload_encoding}]')],
      ['no properties, routing_key', '/', 'amq.default', body({}, ['properties', 'routing_key']), bad('[{key_missing,routing_key},{key_missing,properties}]')],
      ['no routing_key, properties, payload', '/', 'amq.default', body({}, ['routing_key', 'properties', 'payload']), bad('[{key_missing,routing_key},{key_missing,properties},{key_missing,payload}]')],
      ['no properties, payload, payload_encoding', '/', 'amq.default', body({}, ['properties', 'payload', 'payload_encoding']), bad('[{key_missing,properties},\n {key_missing,payload},\n {key_missing,payload_encoding}]')],
      // the payload must be a string, checked before the encoding and the properties
      ['a number payload', '/', 'amq.default', body({ payload: 5 }), bad('payload_not_string')],
      ['an object payload', '/', 'amq.default', body({ payload: { a: 1 } }), bad('payload_not_string')],
      ['a null payload and an unknown encoding', '/', 'amq.default', body({ payload: null, payload_encoding: 'zz' }), bad('payload_not_string')],
      // the vhost, after the body's keys and payload, before the properties
      ['a missing vhost', missingVhost, 'amq.default', body({}), refusedVhost],
      ['a missing vhost and bad properties', missingVhost, 'amq.default', body({ properties: { priority: 'x' } }), refusedVhost],
      ['a missing vhost and an empty body', missingVhost, 'amq.default', '', bad(allMissing)],
      // the properties, in AMQP's field order, before the encoding and the exchange
      ['delivery_mode "2"', '/', 'amq.default', body({ properties: { delivery_mode: '2' } }), bad(['not_int', 'delivery_mode'])],
      ['content_type 5 and delivery_mode "x"', '/', 'amq.default', body({ properties: { delivery_mode: 'x', content_type: 5 } }), bad(['not_string', 'content_type'])],
      ['expiration 5', '/', 'amq.default', body({ properties: { expiration: 5 } }), bad(['not_string', 'expiration'])],
      ['a null header', '/', 'amq.default', body({ properties: { headers: { a: { b: [1, null] } } } }), bad('null_not_allowed')],
      ['bad properties and a bad base64 payload', '/', 'amq.default', body({ properties: { priority: 'x' }, payload: '!!!', payload_encoding: 'base64' }), bad(['not_int', 'priority'])],
      ['bad properties and a missing exchange', '/', missingX, body({ properties: { priority: 'x' } }), bad(['not_int', 'priority'])],
      // the encoding, as given
      ['encoding "zz"', '/', 'amq.default', body({ payload_encoding: 'zz' }), bad(['unsupported_encoding', 'zz'])],
      ['encoding 5', '/', 'amq.default', body({ payload_encoding: 5 }), bad(['unsupported_encoding', 5])],
      ['encoding null', '/', 'amq.default', body({ payload_encoding: null }), bad(['unsupported_encoding', null])],
      ['base64 without padding', '/', 'amq.default', body({ payload: 'YQ', payload_encoding: 'base64' }), bad(['not_base64', 'YQ'])],
      ['URL-safe base64', '/', 'amq.default', body({ payload: '-_8=', payload_encoding: 'base64' }), bad(['not_base64', '-_8='])],
      ['an unknown encoding and a missing exchange', '/', missingX, body({ payload_encoding: 'zz' }), bad(['unsupported_encoding', 'zz'])],
      // the exchange, then what the channel checks
      ['a missing exchange and another user_id', '/', missingX, body({ properties: { user_id: 'someone-else' } }), bad(`404 NOT_FOUND - no exchange '${missingX}' in vhost '/'`)],
      ['another user_id', '/', 'amq.default', body({ properties: { user_id: 'someone-else' } }), bad(`406 PRECONDITION_FAILED - user_id property set to 'someone-else' but authenticated user was '${caller}'`)],
      ['delivery_mode 7', '/', 'amq.default', body({ properties: { delivery_mode: 7 } }), bad('406 PRECONDITION_FAILED - invalid message: {delivery_mode_unknown,7}')],
      // the default exchange by either name; unknown keys are ignored
      ['the default exchange as ""', '/', '', body({}), { status: 200, body: { routed: false } }],
      ['an unknown key', '/', 'amq.default', body({ properties: { foo: 5 }, extra: 1 }), { status: 200, body: { routed: false } }],
      // where ours refuses what RabbitMQ 3.10 crashes on (500, no body) or takes and then cannot deliver
      // (a number routing key closes the connection of the AMQP client it reaches: 541 INTERNAL_ERROR)
      ['a number routing_key', '/', 'amq.default', body({ routing_key: 5 }), { rabbitmq: { status: 200, body: { routed: false } }, embedded: bad(['not_string', 'routing_key']) }],
      ['a number routing_key and a missing exchange', '/', missingX, body({ routing_key: 5 }), bad(`404 NOT_FOUND - no exchange '${missingX}' in vhost '/'`)],
      ['properties an array', '/', 'amq.default', body({ properties: [] }), { rabbitmq: { status: 500, body: '' }, embedded: bad(['not_object', 'properties']) }],
      ['headers a string', '/', 'amq.default', body({ properties: { headers: 'x' } }), { rabbitmq: { status: 500, body: '' }, embedded: bad(['not_object', 'headers']) }],
    ];
    for (const [what, vhost, exchange, sent, answer] of cases) {
      const expected = 'status' in answer ? answer : answer[targetName];
      expect({ what, ...(await publish(vhost, exchange, sent)) }).toEqual({ what, ...expected });
    }
  });

  it('DELETE …/contents purges the queue', async () => {
    const httpUrl = managementUrl();
    const res = await managementFetch(httpUrl, `/api/queues/%2F/${q}/contents`, { method: 'DELETE' });
    expect(res.status).toBe(204);
    expect((await ch.checkQueue(q)).messageCount).toBe(0);
  });
});
