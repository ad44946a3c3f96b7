import type { ChannelModel, ConfirmChannel } from 'amqplib';

// The walkthrough's own queues (walkthrough.demo, walkthrough.work) are left behind, empty, so the
// queues page can show them after a step ("stays listed"). A non-durable queue is gone after a
// broker restart (AMQP 0-9-1, RabbitMQ and the embedded taskqueue alike), so they are declared
// durable: then they stay listed across restarts too, as the step texts say.
//
// A broker that still holds one declared non-durable by an older walkthrough refuses the durable
// declaration (406 PRECONDITION_FAILED, which closes the channel): that one is deleted (it holds
// nothing the walkthrough needs: each run purges it first) and declared again, durable.

/** a confirm channel on `conn` with `queue` declared durable and empty */
export async function keptQueueChannel(conn: ChannelModel, queue: string): Promise<ConfirmChannel> {
  let ch = await conn.createConfirmChannel();
  ch.on('error', () => {});
  try {
    await ch.assertQueue(queue, { durable: true });
  } catch (err) {
    if (!/PRECONDITION_FAILED/.test((err as Error).message)) throw err;
    ch = await conn.createConfirmChannel();
    ch.on('error', () => {});
    await ch.deleteQueue(queue);
    await ch.assertQueue(queue, { durable: true });
  }
  await ch.purgeQueue(queue);
  return ch;
}
