// basic.publish's checks in RabbitMQ 3.10.8's order, with its texts (probed with pika; the
// message size, checked first, is not repeated here: it takes a 128 MiB body). The exchange
// (404, then 403 internal), the direct reply-to consumer, user_id, expiration, delivery_mode: a
// publish that breaks several is refused for the first. And the expiration as RabbitMQ parses it.

import { beforeAll, describe, expect, it } from 'vitest';
import type { AMQPProperties } from '@cloudamqp/amqp-client';
import { targetNames, uniqueName, useClientSession } from './targets.js';

describe.each(targetNames)('publish checks on %s', (targetName) => {
  const session = useClientSession(targetName);
  let q: string;
  const internal = uniqueName('internal-x');
  const missing = uniqueName('missing-x');

  beforeAll(async () => {
    q = uniqueName('checks');
    await session.admin.queueDeclare(q, { durable: false, autoDelete: false });
    session.queues.push(q);
    await session.admin.exchangeDeclare(internal, 'fanout', { internal: true, durable: false });
    session.exchanges.push(internal);
  });

  /** publish on a fresh channel: the close text, or 'accepted' when a round trip after it is answered */
  async function outcome(exchange: string, routingKey: string, props: AMQPProperties): Promise<string> {
    const ch = await session.client.channel();
    ch.onerror = () => {};
    await ch.basicPublish(exchange, routingKey, 'x', props);
    try {
      await ch.basicQos(0);
    } catch (err) {
      return (err as Error).message.replace(/^channel \d+ closed: /, '');
    }
    await ch.close();
    return 'accepted';
  }

  const badExpiration = "PRECONDITION_FAILED - invalid expiration 'soon': no_integer (406)";
  it.each<[string, () => [string, string, AMQPProperties], () => string]>([
    ['missing exchange + bad expiration', () => [missing, 'k', { expiration: 'soon' }], () => `NOT_FOUND - no exchange '${missing}' in vhost '/' (404)`],
    ['missing exchange + delivery_mode 3', () => [missing, 'k', { deliveryMode: 3 }], () => `NOT_FOUND - no exchange '${missing}' in vhost '/' (404)`],
    ['missing exchange + reply_to without a consumer', () => [missing, 'k', { replyTo: 'amq.rabbitmq.reply-to' }], () => `NOT_FOUND - no exchange '${missing}' in vhost '/' (404)`],
    ['internal exchange + foreign user_id', () => [internal, 'k', { userId: 'bob' }], () => `ACCESS_REFUSED - cannot publish to internal exchange '${internal}' in vhost '/' (403)`],
    ['reply_to without a consumer + foreign user_id', () => ['', q, { replyTo: 'amq.rabbitmq.reply-to', userId: 'bob' }], () => 'PRECONDITION_FAILED - fast reply consumer does not exist (406)'],
    ['reply_to without a consumer + bad expiration', () => ['', q, { replyTo: 'amq.rabbitmq.reply-to', expiration: 'soon' }], () => 'PRECONDITION_FAILED - fast reply consumer does not exist (406)'],
    ['foreign user_id + bad expiration', () => ['', q, { userId: 'bob', expiration: 'soon' }], () => "PRECONDITION_FAILED - user_id property set to 'bob' but authenticated user was 'guest' (406)"],
    ['bad expiration + delivery_mode 3', () => ['', q, { expiration: 'soon', deliveryMode: 3 }], () => badExpiration],
  ])('%s: the first check in RabbitMQ order refuses it', async (_what, publish, text) => {
    expect(await outcome(...publish())).toBe(text());
  });

  const tooLarge19 = `{value_too_large,\n${' '.repeat(43)}9223372036854775807}`;
  it.each<[string, string]>([
    ['5s', `{leftover_string,"s"}`],
    ['5.0', `{leftover_string,".0"}`],
    ['-5', '{value_negative,-5}'],
    [' 5', 'no_integer'],
    ['+', 'no_integer'],
    ['315360000001', '{value_too_large,315360000001}'],
    ['9223372036854775807', tooLarge19],
    ['+5', 'accepted'],
    ['-0', 'accepted'],
    ['315360000000', 'accepted'],
  ])('expiration %j: %s', async (expiration, reason) => {
    const got = await outcome('', q, { expiration });
    expect(got).toBe(reason === 'accepted' ? 'accepted' : `PRECONDITION_FAILED - invalid expiration '${expiration}': ${reason} (406)`);
  });
});
