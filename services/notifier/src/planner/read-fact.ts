import type { KafkaMessage } from 'kafkajs';
import { LogEventSchema, parseWith, typeAllowedOnTopic, type EventDead, type LogEvent } from '@riderflow/contracts';
import { deadLetterFor } from '@riderflow/service-kit';

/** A record of the facts topic: a valid event on its own topic, or the dead letter it becomes. */
export type Fact = { ok: true; event: LogEvent } | { ok: false; dead: EventDead };

// The same checks the kit's validated consumer makes, kept here because the planner runs its own
// transactional loop. The dead letter's id is deterministic (group, topic, partition, offset).
export function readFact(topic: string, partition: number, message: KafkaMessage, groupId: string): Fact {
  const parsed = parseWith(LogEventSchema, message.value);
  if (!parsed.ok) return { ok: false, dead: deadLetterFor(topic, partition, message, parsed.reason, groupId) };
  if (!typeAllowedOnTopic(parsed.value.type, topic)) {
    return { ok: false, dead: deadLetterFor(topic, partition, message, `event type ${parsed.value.type} does not belong on topic ${topic}`, groupId) };
  }
  return { ok: true, event: parsed.value };
}
