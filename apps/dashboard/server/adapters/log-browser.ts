import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { deleteFinishedGroup } from '@riderflow/service-kit';
import type { LogAdmin } from './log-admin.js';
import { headersOf } from '../core/record-headers.js';
import type { TailRecord } from './log-stream.js';

// Reads a window of records from any offset or time with a short-lived consumer of its own group,
// the one way a standard Kafka client can read at an arbitrary position.

export interface BrowseRequest { topic: string; partition: number; offset?: string; time?: number; limit: number }
export interface BrowseRecord extends TailRecord { headers: Record<string, string> }

export async function browse(kafka: Kafka, admin: LogAdmin, req: BrowseRequest, timeoutMs = 15_000): Promise<{ start: string | null; records: BrowseRecord[] }> {
  let start = req.offset ?? null;
  if (req.time !== undefined) {
    const offsets = await admin.offsetsForTime(req.topic, req.time);
    start = offsets.find((o) => o.partition === req.partition)?.offset ?? null;
  }
  if (start === null) throw new Error('give an offset or a time');
  const snapshot = admin.snapshot?.topics.find((t) => t.name === req.topic)?.partitions.find((p) => p.partition === req.partition);
  const groupId = `dashboard-browser-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, sessionTimeout: 6_000, heartbeatInterval: 500 });
  const records: BrowseRecord[] = [];
  const first = BigInt(start);
  try {
    await consumer.connect();
    await consumer.subscribe({ topic: req.topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, timeoutMs);
      const done = () => { clearTimeout(timer); resolve(); };
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            if (partition !== req.partition || BigInt(message.offset) < first || records.length >= req.limit) return;
            records.push({ topic: req.topic, partition, offset: message.offset, key: message.key?.toString() ?? null, timestamp: message.timestamp, value: message.value?.toString() ?? '', headers: headersOf(message.headers) });
            const atEnd = snapshot && BigInt(message.offset) >= BigInt(snapshot.high) - 1n;
            if (records.length >= req.limit || atEnd) done();
          },
        })
        .then(() => consumer.seek({ topic: req.topic, partition: req.partition, offset: start! }))
        .catch(reject);
      if (snapshot && BigInt(start!) >= BigInt(snapshot.high)) done();
    });
  } finally {
    await consumer.disconnect().catch(() => {});
    // one window read is a finished job: its group goes with it
    await deleteFinishedGroup(kafka, groupId);
  }
  return { start, records };
}
