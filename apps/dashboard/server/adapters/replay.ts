import type { Consumer, Kafka } from 'kafkajs';
import { deleteFinishedGroup } from '@riderflow/service-kit';
import type { ReplayInfo } from '@riderflow/contracts';
import type { LogAdmin } from './log-admin.js';
import { HumanError } from '../core/human-error.js';
import { fmtSimTime } from '../core/sim-time.js';

// "Replay from time T into a new group": a fresh consumer group starts at the offsets the log's
// time index gives for T and reads forward; its lag on the log page shows it catching up. The log
// keeps every event, so a replay never disturbs the groups already reading. A replay is a finite
// job: when it is stopped (by the user, by a newer replay taking its slot, or by the dashboard
// stopping) its group is deleted; one a crash left behind goes at the next start (LogAdmin.sweepStale).

export type { ReplayInfo };

export class Replays {
  private readonly active = new Map<string, { info: ReplayInfo; consumer: Consumer }>();

  constructor(private readonly kafka: Kafka, private readonly admin: LogAdmin, private readonly max = 3) {}

  list(): ReplayInfo[] {
    return [...this.active.values()].map((r) => ({ ...r.info }));
  }

  /** refuses a start on an empty topic or after the newest record, in words */
  async checkStart(topic: string, from: number): Promise<void> {
    const newest = await this.admin.newestTimestamp(topic);
    if (newest === null) throw new HumanError(400, `${topic} holds no records yet: there is nothing to replay.`);
    if (from > newest) throw new HumanError(400, `There are no records after ${fmtSimTime(newest, false)} (the newest) on ${topic}: pick an earlier time.`);
  }

  async start(topic: string, from: number): Promise<ReplayInfo> {
    await this.checkStart(topic, from);
    if (this.active.size >= this.max) {
      const oldest = [...this.active.keys()][0]!;
      await this.stop(oldest);
    }
    const offsets = await this.admin.offsetsForTime(topic, from);
    const groupId = `replay-${new Date(from).toISOString().replace(/[:.]/g, '-')}-${Date.now().toString(36)}`;
    const consumer = this.kafka.consumer({ groupId, maxWaitTimeInMs: 250, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
    const info: ReplayInfo = { groupId, topic, from, consumed: 0, startedAt: Date.now(), caughtUp: false };
    this.active.set(groupId, { info, consumer });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        info.consumed += batch.messages.length;
        if (batch.offsetLag() === '0') info.caughtUp = true;
      },
    });
    for (const o of offsets) consumer.seek({ topic, partition: o.partition, offset: o.offset });
    return { ...info };
  }

  async stop(groupId: string): Promise<boolean> {
    const r = this.active.get(groupId);
    if (!r) return false;
    this.active.delete(groupId);
    await r.consumer.disconnect().catch(() => {});
    await deleteFinishedGroup(this.kafka, groupId);
    return true;
  }

  async stopAll(): Promise<void> {
    for (const id of [...this.active.keys()]) await this.stop(id);
  }
}
