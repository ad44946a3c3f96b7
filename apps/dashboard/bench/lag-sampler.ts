import type { Admin, Kafka } from 'kafkajs';
import { TOPIC_NAMES } from '@riderflow/contracts';
import { LagClock } from '../server/core/lag-clock.js';

// The gateway's consumer lag, measured from outside through the Kafka admin API exactly as an
// operator would: the group's committed offsets against the topics' log-end offsets, in messages,
// and in seconds (how long ago the log end was where the group's commit is now).

export interface LagSample { at: number; messages: number; seconds: number; worst: string }

export class LagSampler {
  private admin: Admin | null = null;
  private readonly clock = new LagClock(1_000);
  readonly samples: LagSample[] = [];

  constructor(private readonly kafka: Kafka, private readonly groupId: string) {}

  async sample(): Promise<LagSample | null> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    const now = Date.now();
    const highs = new Map<string, number>();
    const offsets = await Promise.all(TOPIC_NAMES.map(async (topic) => ({ topic, parts: await this.admin!.fetchTopicOffsets(topic) })));
    for (const { topic, parts } of offsets) {
      for (const p of parts) {
        highs.set(`${topic}/${p.partition}`, Number(p.high));
        this.clock.record(topic, p.partition, now, Number(p.high));
      }
    }
    const committed = await this.admin.fetchOffsets({ groupId: this.groupId, topics: [...TOPIC_NAMES] });
    let messages = 0;
    let seconds = 0;
    let known = 0;
    let worst = '';
    for (const t of committed) {
      for (const p of t.partitions) {
        const high = highs.get(`${t.topic}/${p.partition}`);
        if (high === undefined || p.offset === '-1') continue;
        known++;
        const c = Number(p.offset);
        messages += Math.max(0, high - c);
        const sec = this.clock.lagSeconds(t.topic, p.partition, c, high, now);
        if (sec > seconds) {
          seconds = sec;
          worst = `${t.topic}/${p.partition} committed ${c} of ${high}`;
        }
      }
    }
    if (known === 0) return null; // the group has not committed yet
    const s = { at: now, messages, seconds, worst };
    this.samples.push(s);
    return s;
  }

  async close(): Promise<void> {
    await this.admin?.disconnect();
  }
}
