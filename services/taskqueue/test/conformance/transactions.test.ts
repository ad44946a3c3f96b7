// Transactions (tx.select) as RabbitMQ 3.10.8 runs them, probed with pika and checked here on both
// brokers with @cloudamqp/amqp-client (amqplib has no tx): every error RabbitMQ raises at
// basic.publish it raises there inside a transaction too, closing the channel before tx.commit,
// and nothing the transaction held is applied; publishes route at commit, through the exchange
// named at the publish; a queue that refuses a publish fails the commit with 'partial tx
// completion' after the rest is applied; an ack takes its tag at once and tx.rollback gives it back.

import { beforeAll, describe, expect, it } from 'vitest';
import type { AMQPChannel, AMQPProperties } from '@cloudamqp/amqp-client';
import { targetNames, uniqueName, until, useClientSession } from './targets.js';

describe.each(targetNames)('transactions on %s', (targetName) => {
  const session = useClientSession(targetName);
  const { queues, exchanges } = session;

  async function queue(tag: string, args: Record<string, unknown> = {}): Promise<string> {
    const name = uniqueName(tag);
    await session.admin.queueDeclare(name, { durable: false, autoDelete: false }, args);
    queues.push(name);
    return name;
  }

  async function count(q: string): Promise<number> {
    return (await session.admin.queueDeclare(q, { passive: true })).messageCount;
  }

  /** a transactional channel whose close reason (from the server) is kept */
  async function txChannel(): Promise<{ ch: AMQPChannel; closed: () => string | undefined }> {
    const ch = await session.client.channel();
    let reason: string | undefined;
    ch.onerror = (r) => {
      reason = r;
    };
    await ch.txSelect();
    return { ch, closed: () => reason };
  }

  const internal = uniqueName('internal-x');
  beforeAll(async () => {
    await session.admin.exchangeDeclare(internal, 'fanout', { internal: true, durable: false });
    exchanges.push(internal);
  });

  const refusedAtPublish: Array<[string, (q: string) => [exchange: string, routingKey: string, props: AMQPProperties], RegExp]> = [
    ['a missing exchange', () => ['rf-conf-tx-no-such-exchange', 'k', {}], /NOT_FOUND - no exchange 'rf-conf-tx-no-such-exchange' in vhost '\/' \(404\)/],
    ['an internal exchange', () => [internal, 'k', {}], new RegExp(`ACCESS_REFUSED - cannot publish to internal exchange '${internal}' in vhost '/' \\(403\\)`)],
    ['reply_to amq.rabbitmq.reply-to without a reply consumer', (q) => ['', q, { replyTo: 'amq.rabbitmq.reply-to' }], /PRECONDITION_FAILED - fast reply consumer does not exist \(406\)/],
    ['a foreign user_id', (q) => ['', q, { userId: 'bob' }], /PRECONDITION_FAILED - user_id property set to 'bob' but authenticated user was 'guest' \(406\)/],
    ['a bad expiration', (q) => ['', q, { expiration: 'soon' }], /PRECONDITION_FAILED - invalid expiration 'soon': no_integer \(406\)/],
    ['delivery_mode 3', (q) => ['', q, { deliveryMode: 3 }], /PRECONDITION_FAILED - invalid message: \{delivery_mode_unknown,3\} \(406\)/],
  ];

  it.each(refusedAtPublish)('a publish to %s closes the channel at the publish, and the transaction is lost', async (_what, bad, text) => {
    const q = await queue('tx-refused');
    const { ch, closed } = await txChannel();
    await ch.basicPublish('', q, 'held by the transaction');
    const [exchange, routingKey, props] = bad(q);
    await ch.basicPublish(exchange, routingKey, 'bad', props);
    // a round trip that is not tx.commit: the channel is already closed when it is answered
    await expect(ch.basicQos(0)).rejects.toThrow(text);
    expect(closed()).toMatch(text);
    expect(await count(q)).toBe(0);
  });

  it('publishes route at commit: a queue declared after the publish gets it', async () => {
    const late = uniqueName('tx-late');
    const { ch } = await txChannel();
    const returned: string[] = [];
    ch.onReturn = (m) => returned.push(m.bodyToString() ?? '');
    await ch.basicPublish('', late, 'for a queue declared before the commit', {}, true);
    await session.admin.queueDeclare(late, { durable: false, autoDelete: false });
    queues.push(late);
    await ch.txCommit();
    expect(await count(late)).toBe(1);
    expect(returned).toEqual([]);
    await ch.close();
  });

  it('publishes route at commit through the exchange named at the publish, even if it was deleted since', async () => {
    const q = await queue('tx-xgone');
    const x = uniqueName('tx-xgone');
    await session.admin.exchangeDeclare(x, 'fanout', { durable: false });
    await session.admin.queueBind(q, x, '');
    const { ch } = await txChannel();
    await ch.basicPublish(x, '', 'routed through a deleted exchange');
    await session.admin.exchangeDelete(x);
    await ch.txCommit();
    expect(await count(q)).toBe(1);
    await ch.close();
  });

  it('an unroutable mandatory publish is returned at commit and the commit succeeds', async () => {
    const q = await queue('tx-mandatory');
    const { ch } = await txChannel();
    const returned: string[] = [];
    ch.onReturn = (m) => returned.push(`${m.replyCode} ${m.replyText} ${m.bodyToString()}`);
    await ch.basicPublish('', q, 'routed');
    await ch.basicPublish('', uniqueName('nowhere'), 'unroutable', {}, true);
    await ch.basicQos(0);
    expect(returned).toEqual([]); // not routed yet: nothing to return before the commit
    await ch.txCommit();
    await until(() => returned.length === 1, 'the return', 10_000);
    expect(returned).toEqual(['312 NO_ROUTE unroutable']);
    expect(await count(q)).toBe(1);
    await ch.close();
  });

  it.each(['reject-publish', 'reject-publish-dlx'])('a full %s queue fails the commit with partial tx completion, after the rest is applied', async (overflow) => {
    const q = await queue('tx-ok');
    const full = await queue('tx-full', { 'x-max-length': 1, 'x-overflow': overflow });
    await session.admin.basicPublish('', full, 'first');
    await until(async () => (await count(full)) === 1, 'the full queue filled', 10_000);
    const { ch, closed } = await txChannel();
    await ch.basicPublish('', q, 'applied');
    await ch.basicPublish('', full, 'refused');
    await expect(ch.txCommit()).rejects.toThrow(/PRECONDITION_FAILED - partial tx completion \(406\)/);
    expect(closed()).toMatch(/partial tx completion/);
    expect(await count(q)).toBe(1);
    expect(await count(full)).toBe(1);
  });

  it('an ack takes its tag at once: a second ack of it is 406 before the commit, and the close requeues both', async () => {
    const q = await queue('tx-ack');
    await session.admin.basicPublish('', q, 'm0');
    await session.admin.basicPublish('', q, 'm1');
    await until(async () => (await count(q)) === 2, 'two queued', 10_000);
    const { ch, closed } = await txChannel();
    const m = await ch.basicGet(q, { noAck: false });
    expect(m?.deliveryTag).toBe(1);
    await ch.basicAck(1);
    await ch.basicAck(1);
    await expect(ch.basicQos(0)).rejects.toThrow(/PRECONDITION_FAILED - unknown delivery tag 1 \(406\)/);
    expect(closed()).toMatch(/unknown delivery tag 1/);
    await until(async () => (await count(q)) === 2, 'the uncommitted ack undone', 10_000);
  });

  it('tx.rollback gives an acked tag back: it can be acked again and committed', async () => {
    const q = await queue('tx-rollback');
    await session.admin.basicPublish('', q, 'm0');
    await session.admin.basicPublish('', q, 'm1');
    await until(async () => (await count(q)) === 2, 'two queued', 10_000);
    const { ch } = await txChannel();
    await ch.basicGet(q, { noAck: false });
    await ch.basicGet(q, { noAck: false });
    await ch.basicAck(2, true);
    await ch.txRollback();
    await ch.basicAck(1);
    await ch.txCommit();
    await ch.close();
    await until(async () => (await count(q)) === 1, 'one acked, one requeued', 10_000);
    const left = await session.admin.basicGet(q, { noAck: true });
    expect(left?.bodyToString()).toBe('m1');
  });
});
