import type { Kafka } from 'kafkajs';
import { parseEvent, TOPIC, type LogEvent } from '@riderflow/contracts';
import { readTopicSpan } from '@riderflow/service-kit';

export interface OrderEventsRead {
  events: LogEvent[];
  /** Records read (from the first at or after `fromMs` to the end the topic had when called). */
  records: number;
  /** Records that are not a valid order event (skipped; the dead-letter topic is the readers' business). */
  invalid: number;
}

/**
 * Reads `order.events` from the first record at or after simulated time `fromMs` (record
 * timestamps are simulated time) to the end the topic has when called: what a resumed start needs
 * to know which orders were still in flight.
 */
export async function readOrderEventsSince(kafka: Kafka, fromMs: number, timeoutMs = 60_000): Promise<OrderEventsRead> {
  const events: LogEvent[] = [];
  let invalid = 0;
  const records = await readTopicSpan(kafka, TOPIC.orderEvents, (m) => {
    const parsed = m.value ? parseEvent(m.value) : null;
    if (parsed?.ok) events.push(parsed.event); else invalid++;
  }, { fromMs: Math.max(0, fromMs), timeoutMs, label: 'resume' });
  return { events, records, invalid };
}
