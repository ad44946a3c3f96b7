import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { deleteFinishedGroup } from '@riderflow/service-kit';
import { LAB_RUNS_TOPIC, LabRunRecordSchema, type LabRunRecord } from '@riderflow/contracts';

// Past lab runs, read from the log like everything else the dashboard shows: every finished run
// (from this page or from `npm run lab` in a terminal) is one record on `lab.runs`. The topic is
// re-read only when its end offset moved, so listing runs costs one offsets request most times.

export class LabRunsLog {
  private cache: { high: string; runs: LabRunRecord[] } = { high: '0', runs: [] };

  constructor(private readonly kafka: Kafka) {}

  /** newest first */
  async list(): Promise<LabRunRecord[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    let high = '0';
    try {
      if (!(await admin.listTopics()).includes(LAB_RUNS_TOPIC)) return [];
      high = (await admin.fetchTopicOffsets(LAB_RUNS_TOPIC)).find((p) => p.partition === 0)?.high ?? '0';
    } finally {
      await admin.disconnect();
    }
    if (high !== this.cache.high) this.cache = { high, runs: await this.readAll(BigInt(high)) };
    return [...this.cache.runs].reverse();
  }

  private async readAll(end: bigint): Promise<LabRunRecord[]> {
    const runs: LabRunRecord[] = [];
    if (end === 0n) return runs;
    const groupId = `dashboard-lab-runs-${randomUUID()}`;
    const consumer = this.kafka.consumer({ groupId, maxWaitTimeInMs: 100, sessionTimeout: 6_000, heartbeatInterval: 500 });
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: LAB_RUNS_TOPIC, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${LAB_RUNS_TOPIC} could not be read in 20 s`)), 20_000);
        consumer.run({
          autoCommit: false,
          eachMessage: async ({ message }) => {
            // A record that does not match the schema (an older lab, a hand-written one) is skipped, not shown half.
            try {
              const r = LabRunRecordSchema.safeParse(JSON.parse(message.value?.toString() ?? ''));
              if (r.success) runs.push(r.data);
            } catch { /* not JSON */ }
            if (BigInt(message.offset) >= end - 1n) { clearTimeout(timer); resolve(); }
          },
        }).catch(reject);
      });
    } finally {
      await consumer.disconnect().catch(() => {});
      await deleteFinishedGroup(this.kafka, groupId);
    }
    return runs;
  }
}
