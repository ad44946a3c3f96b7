import type { ConfirmChannel } from 'amqplib';
import type { Producer } from 'kafkajs';
import { routeForTask, TOPIC, type LogEvent, type Task } from '@riderflow/contracts';
import { encodeEvent, encodeTask } from '@riderflow/service-kit';

/**
 * Where rostering's decisions go: events to topic roster.plans (one key, so they stay in order),
 * tasks (moves, call-ins, shift bookings) to their exchange on a confirm channel.
 */
export class RosterOutbox {
  constructor(private readonly producer: Producer, private readonly channel: ConfirmChannel) {}

  async publishEvent(event: LogEvent): Promise<void> {
    await this.producer.send({ topic: TOPIC.rosterPlans, messages: [{ key: 'all', value: encodeEvent(event), timestamp: String(event.ts) }] });
  }

  /** Queues a task; `confirm` waits until the broker has every task queued so far. */
  sendTask(task: Task): void {
    const route = routeForTask(task);
    this.channel.publish(route.exchange, route.routingKey, encodeTask(task), { persistent: true, contentType: 'application/json', messageId: task.id });
  }

  async confirm(): Promise<void> {
    await this.channel.waitForConfirms();
  }
}
