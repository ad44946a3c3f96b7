import type { Consumer, Kafka } from 'kafkajs';
import { deleteFinishedGroup } from '@riderflow/service-kit';
import type { ReplayInfo } from '@riderflow/contracts';
import type { LogAdmin } from './log-admin.js';
import { HumanError } from '../core/human-error.js';
import { fmtSimTime } from '../core/sim-time.js';
import { ReplayProgress } from '../core/replay-progress.js';

// "Replay from time T into a new group": a fresh consumer group starts at the offsets the log's
// time index gives for T and reads forward; its lag on the log page shows it catching up. The log
// keeps every event, so a replay never disturbs the groups already reading. It has caught up when
// every partition of the topic has been read to its end (core/replay-progress.ts), not when one has. A replay is a job that
// ends when it is stopped: it keeps following its topic after it has caught up (so its lag can be
// compared with the services' groups on the page) until the user stops it from its row in the
// replay table or the dashboard stops; then its group is deleted. One a crash left behind goes at
// the next start (LogAdmin.sweepStale). At most `max` run at once: another start is refused in
// words rather than silently stopping one the user may still be watching. A second start of the
// replay already running (same topic, same time: a double click, a retried request) is refused
// too, naming it: two groups reading the same records side by side show nothing one does not.

export type { ReplayInfo };

/** what a running replay keeps itself; how far it has read (caughtUp, partitions) is only in its ReplayProgress */
type ReplayRecord = Omit<ReplayInfo, 'caughtUp' | 'partitions' | 'partitionsAtEnd'>;

export class Replays {
  private readonly active = new Map<string, { info: ReplayRecord; consumer: Consumer; progress: ReplayProgress }>();

  constructor(private readonly kafka: Kafka, private readonly admin: LogAdmin, private readonly max = 3) {}

  list(): ReplayInfo[] {
    return [...this.active.values()].map((r) => this.view(r.info, r.progress));
  }

  /** refuses a start on an empty topic or after the newest record, in words */
  async checkStart(topic: string, from: number): Promise<void> {
    const newest = await this.admin.newestTimestamp(topic);
    if (newest === null) throw new HumanError(400, `${topic} holds no records yet: there is nothing to replay.`);
    if (from > newest) throw new HumanError(400, `There are no records after ${fmtSimTime(newest, false)} (the newest) on ${topic}: pick an earlier time.`);
  }

  async start(topic: string, from: number): Promise<ReplayInfo> {
    this.refuseIfRunning(topic, from);
    this.refuseIfFull();
    await this.checkStart(topic, from);
    const offsets = await this.admin.offsetsForTime(topic, from);
    const progress = new ReplayProgress(offsets, await this.admin.endOffsets(topic));
    // again: another start (maybe of this very replay) may have come in meanwhile
    this.refuseIfRunning(topic, from);
    this.refuseIfFull();
    const groupId = `replay-${new Date(from).toISOString().replace(/[:.]/g, '-')}-${Date.now().toString(36)}`;
    const consumer = this.kafka.consumer({ groupId, maxWaitTimeInMs: 250, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
    const info: ReplayRecord = { groupId, topic, from, consumed: 0, startedAt: Date.now() };
    this.active.set(groupId, { info, consumer, progress });
    // Every fetched batch, including one that held only transaction markers (which never reaches
    // eachBatch), says how far its partition has been read and where that partition ends.
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      if (payload.topic === topic) progress.read(payload.partition, payload.lastOffset, payload.highWatermark);
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        info.consumed += batch.messages.length;
      },
    });
    for (const o of offsets) consumer.seek({ topic, partition: o.partition, offset: o.offset });
    return this.view(info, progress);
  }

  private view(info: ReplayRecord, progress: ReplayProgress): ReplayInfo {
    const { partitions, atEnd } = progress.counts;
    return { ...info, caughtUp: progress.caughtUp, partitions, partitionsAtEnd: atEnd };
  }

  private refuseIfRunning(topic: string, from: number): void {
    const same = [...this.active.values()].find((r) => r.info.topic === topic && r.info.from === from);
    if (!same) return;
    throw new HumanError(409, `A replay of ${topic} from ${fmtSimTime(from, false)} is running already (${same.info.groupId}): follow it in the replay table, or stop it there first to start it afresh.`);
  }

  private refuseIfFull(): void {
    if (this.active.size < this.max) return;
    throw new HumanError(409, `${this.max} replays are running already (${[...this.active.keys()].join(', ')}): stop one of them first (its Stop button in the replay table).`);
  }

  /** stops a running replay and deletes its group; an id that is not a running replay is a 404 in words */
  async stop(groupId: string): Promise<{ stopped: string; groupDeleted: boolean; note?: string }> {
    const r = this.active.get(groupId);
    if (!r) {
      const running = [...this.active.keys()];
      throw new HumanError(404, `There is no running replay "${groupId}"${running.length ? ` (running: ${running.join(', ')})` : ': no replay is running'}.`);
    }
    this.active.delete(groupId);
    await r.consumer.disconnect().catch(() => {});
    const reason = await deleteFinishedGroup(this.kafka, groupId);
    return reason === null ? { stopped: groupId, groupDeleted: true } : { stopped: groupId, groupDeleted: false, note: `stopped, but its group could not be deleted (${reason}); the next dashboard start sweeps it` };
  }

  async stopAll(): Promise<void> {
    for (const id of [...this.active.keys()]) await this.stop(id).catch(() => {});
  }
}
