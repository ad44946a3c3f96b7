// The broker core without sockets: routing, consumers and prefetch, requeue order, TTL,
// max-length, dead-lettering with x-death, exclusivity, auto-delete and RabbitMQ's error texts.

import { describe, expect, it } from 'vitest';
import { memoryBroker } from '../../src/broker/index.js';
import type { FieldTable } from '../../src/broker/contract.js';
import { exchangeOptions, msg, queueOptions, TestSink, until } from './helpers.js';

function setup() {
  const b = memoryBroker();
  const q = (name: string, args: FieldTable = {}, o = {}) => b.declareQueue(name, queueOptions({ arguments: args, ...o }), false, 'c1');
  const drain = (name: string) => {
    const out: string[] = [];
    for (let d = b.get(name, true, 'c1'); d; d = b.get(name, true, 'c1')) out.push(d.message.body.toString());
    return out;
  };
  return { b, q, drain };
}

const errorOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    const err = e as { code: number; message: string };
    return { code: err.code, message: err.message };
  }
  throw new Error('expected an error');
};

describe('routing', () => {
  it('direct, fanout, topic and headers exchanges and the default exchange', () => {
    const { b, q, drain } = setup();
    for (const n of ['d', 'f', 't', 'h']) q(n);
    b.declareExchange('xd', 'direct', exchangeOptions, false);
    b.declareExchange('xf', 'fanout', exchangeOptions, false);
    b.declareExchange('xt', 'topic', exchangeOptions, false);
    b.declareExchange('xh', 'headers', exchangeOptions, false);
    b.bindQueue('d', 'xd', 'k', {}, 'c1');
    b.bindQueue('f', 'xf', 'ignored', {}, 'c1');
    b.bindQueue('t', 'xt', 'a.*.c', {}, 'c1');
    b.bindQueue('h', 'xh', '', { 'x-match': 'any', a: 1, b: 2 }, 'c1');
    expect(b.publish(msg('xd', 'k', 'd1')).routed).toBe(true);
    expect(b.publish(msg('xd', 'other', 'lost')).routed).toBe(false);
    b.publish(msg('xf', 'whatever', 'f1'));
    b.publish(msg('xt', 'a.b.c', 't1'));
    b.publish(msg('xt', 'a.b.b.c', 'lost'));
    b.publish(msg('xh', '', 'h1', { headers: { b: 2 } }));
    b.publish(msg('xh', '', 'lost', { headers: { b: 3 } }));
    b.publish(msg('', 'd', 'd2'));
    expect(drain('d')).toEqual(['d1', 'd2']);
    expect(drain('f')).toEqual(['f1']);
    expect(drain('t')).toEqual(['t1']);
    expect(drain('h')).toEqual(['h1']);
  });

  it('a message reaching a queue by several bindings is enqueued once', () => {
    const { b, q, drain } = setup();
    q('q');
    b.declareExchange('x', 'topic', exchangeOptions, false);
    b.bindQueue('q', 'x', '#', {}, 'c1');
    b.bindQueue('q', 'x', 'a.*', {}, 'c1');
    b.publish(msg('x', 'a.b', 'once'));
    expect(drain('q')).toEqual(['once']);
  });

  it('publishing to a missing exchange is 404; built-ins exist and amq.* is reserved', () => {
    const { b } = setup();
    expect(errorOf(() => b.publish(msg('nope', 'k', 'x')))).toMatchObject({ code: 404, message: "NOT_FOUND - no exchange 'nope' in vhost '/'" });
    expect(b.exchanges().map((x) => x.name).sort()).toEqual(['', 'amq.direct', 'amq.fanout', 'amq.headers', 'amq.match', 'amq.rabbitmq.trace', 'amq.topic']);
    expect(errorOf(() => b.declareExchange('amq.mine', 'direct', exchangeOptions, false))).toMatchObject({ code: 403 });
    expect(() => b.declareExchange('amq.topic', 'topic', { ...exchangeOptions, durable: true }, false)).not.toThrow();
    expect(errorOf(() => b.deleteExchange('amq.topic', false))).toMatchObject({ code: 403 });
  });
});

describe('consumers', () => {
  it('round-robin, honouring each consumer window; ack opens it again', () => {
    const { b, q } = setup();
    q('q');
    const a = new TestSink('a', 'c1', false, 1);
    const c = new TestSink('c', 'c1', false, 2);
    b.consume('q', a, false);
    b.consume('q', c, false);
    for (let i = 0; i < 5; i++) b.publish(msg('', 'q', String(i)));
    expect(a.bodies()).toEqual(['0']);
    expect(c.bodies()).toEqual(['1', '2']);
    expect(b.queues()[0]).toMatchObject({ messagesReady: 2, messagesUnacknowledged: 3 });
    b.ack(a.got[0].ref);
    a.unacked--;
    b.pump('q');
    expect(a.bodies()).toEqual(['0', '3']);
  });

  it('requeue puts messages back at their original position, flagged redelivered', () => {
    const { b, q } = setup();
    q('q');
    for (const s of ['1', '2', '3', '4']) b.publish(msg('', 'q', s));
    const d1 = b.get('q', false, 'c1')!;
    const d2 = b.get('q', false, 'c1')!;
    const d3 = b.get('q', false, 'c1')!;
    b.reject(d2.ref, true);
    b.reject(d1.ref, true);
    b.reject(d3.ref, true);
    const again = [1, 2, 3, 4].map(() => b.get('q', true, 'c1')!);
    expect(again.map((d) => d.message.body.toString())).toEqual(['1', '2', '3', '4']);
    expect(again.map((d) => d.redelivered)).toEqual([true, true, true, false]);
  });

  it('exclusive consumer and exclusive queue', () => {
    const { b, q } = setup();
    q('q');
    b.consume('q', new TestSink('x'), true);
    expect(errorOf(() => b.consume('q', new TestSink('y'), false))).toMatchObject({ code: 403, message: "ACCESS_REFUSED - queue 'q' in vhost '/' in exclusive use" });
    b.declareQueue('mine', queueOptions({ exclusiveOwner: 'c1' }), false, 'c1');
    expect(errorOf(() => b.get('mine', true, 'c2'))).toMatchObject({ code: 405 });
    expect(errorOf(() => b.declareQueue('mine', queueOptions({ exclusiveOwner: 'c2' }), false, 'c2'))).toMatchObject({ code: 405 });
    b.connectionClosed('c1');
    expect(b.queues().map((s) => s.name)).toEqual(['q']);
  });

  it('auto-delete queue goes when its last consumer cancels; deletion cancels consumers', () => {
    const { b, q } = setup();
    q('auto', {}, { autoDelete: true });
    b.consume('auto', new TestSink('a'), false);
    b.consume('auto', new TestSink('b'), false);
    b.cancel('auto', 'a');
    expect(b.queues().length).toBe(1);
    b.cancel('auto', 'b');
    expect(b.queues().length).toBe(0);
    q('q');
    const s = new TestSink('s');
    b.consume('q', s, false);
    expect(b.deleteQueue('q', false, false, 'c1')).toBe(0);
    expect(s.cancelled).toBe(true);
  });

  it('declare equivalence errors carry RabbitMQ texts', () => {
    const { b, q } = setup();
    q('q', { 'x-message-ttl': 1000 });
    expect(errorOf(() => b.declareQueue('q', queueOptions({ durable: true, arguments: { 'x-message-ttl': 1000 } }), false, 'c1'))).toMatchObject({
      code: 406,
      message: "PRECONDITION_FAILED - inequivalent arg 'durable' for queue 'q' in vhost '/': received 'true' but current is 'false'",
    });
    expect(errorOf(() => q('q', { 'x-message-ttl': 5 })).message).toBe(
      "PRECONDITION_FAILED - inequivalent arg 'x-message-ttl' for queue 'q' in vhost '/': received '5' but current is '1000'",
    );
    // an equal value of another numeric width is equivalent
    expect(() => q('q', { 'x-message-ttl': { type: 'long', value: 1000n } })).not.toThrow();
    expect(errorOf(() => b.declareQueue('none', queueOptions(), true, 'c1'))).toMatchObject({ code: 404, message: "NOT_FOUND - no queue 'none' in vhost '/'" });
  });
});

describe('TTL, max-length and dead-lettering', () => {
  function withDlq(args: FieldTable) {
    const s = setup();
    s.b.declareExchange('dlx', 'fanout', exchangeOptions, false);
    s.q('dead');
    s.b.bindQueue('dead', 'dlx', '', {}, 'c1');
    s.q('work', { 'x-dead-letter-exchange': 'dlx', ...args });
    return s;
  }

  it('reject → x-death with reason rejected; repeated deaths count up', () => {
    const { b, q } = withDlq({});
    b.publish(msg('', 'work', 'm', { expiration: '60000', headers: { h: 1 } }));
    b.reject(b.get('work', false, 'c1')!.ref, false);
    const d = b.get('dead', false, 'c1')!;
    const headers = d.message.properties.headers!;
    const [death] = headers['x-death'] as FieldTable[];
    expect(death).toMatchObject({ reason: 'rejected', queue: 'work', exchange: '', 'routing-keys': ['work'], 'original-expiration': '60000' });
    expect(death.count).toEqual({ type: 'long', value: 1 });
    expect(death.time).toBeInstanceOf(Date);
    expect(Object.keys(death)).toEqual(['count', 'exchange', 'original-expiration', 'queue', 'reason', 'routing-keys', 'time']);
    expect(headers).toMatchObject({ h: 1, 'x-first-death-reason': 'rejected', 'x-first-death-queue': 'work', 'x-last-death-reason': 'rejected' });
    expect(d.message.properties.expiration).toBeUndefined();
    expect(d.message.exchange).toBe('dlx');
    // send it around again through the same queue
    q('work2', { 'x-dead-letter-exchange': 'dlx' });
    b.ack(d.ref);
    b.publish({ ...d.message, exchange: '', routingKey: 'work' });
    b.reject(b.get('work', false, 'c1')!.ref, false);
    const d2 = b.get('dead', true, 'c1')!;
    const deaths = d2.message.properties.headers!['x-death'] as FieldTable[];
    expect(deaths).toHaveLength(1);
    expect(deaths[0].count).toEqual({ type: 'long', value: 2 });
  });

  it('queue TTL and per-message expiration expire at the head into the DLX', async () => {
    const { b, drain } = withDlq({ 'x-message-ttl': 30 });
    b.publish(msg('', 'work', 'q-ttl'));
    b.publish(msg('', 'work', 'short', { expiration: '0' }));
    await until(() => b.queues().find((s) => s.name === 'dead')!.messages === 2, 'both expired');
    const out: string[] = [];
    for (let d = b.get('dead', true, 'c1'); d; d = b.get('dead', true, 'c1')) {
      out.push(`${d.message.body}:${((d.message.properties.headers!['x-death'] as FieldTable[])[0].reason as string)}`);
    }
    expect(out).toEqual(['q-ttl:expired', 'short:expired']);
    expect(drain('work')).toEqual([]);
  });

  it('expiration 0 is delivered to a waiting consumer, else dropped', () => {
    const { b, q } = setup();
    q('q');
    b.publish(msg('', 'q', 'gone', { expiration: '0' }));
    expect(b.queues()[0].messages).toBe(0);
    const s = new TestSink('s');
    b.consume('q', s, false);
    b.publish(msg('', 'q', 'kept', { expiration: '0' }));
    expect(s.bodies()).toEqual(['kept']);
  });

  it('max-length drop-head dead-letters "maxlen"; reject-publish refuses', () => {
    const { b, drain } = withDlq({ 'x-max-length': 2 });
    for (const s of ['1', '2', '3']) b.publish(msg('', 'work', s));
    expect(drain('work')).toEqual(['2', '3']);
    const d = b.get('dead', true, 'c1')!;
    expect(d.message.body.toString()).toBe('1');
    expect((d.message.properties.headers!['x-death'] as FieldTable[])[0].reason).toBe('maxlen');

    const s = setup();
    s.q('rp', { 'x-max-length': 1, 'x-overflow': 'reject-publish' });
    expect(s.b.publish(msg('', 'rp', 'a')).accepted).toBe(true);
    expect(s.b.publish(msg('', 'rp', 'b')).accepted).toBe(false);
    expect(s.drain('rp')).toEqual(['a']);
  });

  it('a TTL loop without rejection is cut (RabbitMQ cycle detection)', async () => {
    const s = setup();
    s.b.declareExchange('loop', 'fanout', exchangeOptions, false);
    s.q('self', { 'x-message-ttl': 0, 'x-dead-letter-exchange': 'loop' });
    s.b.bindQueue('self', 'loop', '', {}, 'c1');
    s.b.publish(msg('', 'self', 'spin'));
    await new Promise((r) => setTimeout(r, 20));
    expect(s.b.queues()[0]).toMatchObject({ messages: 0, deadLettered: 1 });
  });

  it('x-expires deletes the queue when unused', async () => {
    const { b, q } = setup();
    q('temp', { 'x-expires': 20 });
    await until(() => b.queues().length === 0, 'queue to expire');
  });
});
