import type { ConfirmChannel } from 'amqplib';
import type { Producer } from 'kafkajs';
import { keyForEvent, routeForTask, TOPIC, type RiderInstruction } from '@riderflow/contracts';
import { encodeEvent } from '@riderflow/service-kit';
import type { DispatchOutput } from '../core/live-dispatcher.js';

/**
 * Sends one round's decisions: the facts to topic dispatch.assignments, then every rider its
 * instruction through the notifications exchange, and waits for the broker's confirms. Rejects
 * if any of it failed (the caller gives the round back to the core).
 */
export class DecisionPublisher {
  constructor(private readonly producer: Producer, private readonly channel: ConfirmChannel) {}

  async publish(out: DispatchOutput): Promise<void> {
    if (out.events.length === 0) return;
    await this.producer.send({
      topic: TOPIC.dispatchAssignments,
      messages: out.events.map((e) => ({ key: keyForEvent(e), value: encodeEvent(e), timestamp: String(e.ts) })),
    });
    for (const task of out.instructions) this.sendInstruction(task);
    await this.channel.waitForConfirms();
  }

  private sendInstruction(task: RiderInstruction): void {
    const { exchange, routingKey } = routeForTask(task);
    this.channel.publish(exchange, routingKey, Buffer.from(JSON.stringify(task)), {
      persistent: true,
      contentType: 'application/json',
      messageId: task.id,
      timestamp: Math.floor(task.ts / 1000),
      type: task.type,
    });
  }
}
