import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import { RosteringModelRecordSchema, type RosteringModelRecord } from '@riderflow/contracts';
import { deleteFinishedGroup, type Logger } from '@riderflow/service-kit';
import { foldRegistry, type ModelRegistryState } from '../core/model-registry-state.js';
import { MODELS_TOPIC } from './model-topic.js';

/**
 * Follows rostering.models while the service runs (read_committed), so a change made elsewhere —
 * `npm run models -- activate <version>` (a rollback), a retrain by another process, a retired
 * version — reaches the running service without a restart. `onChange` gets the registry after
 * every batch that changed it. The group is a "follower-" group (service-kit's FOLLOWER_GROUP_PREFIXES):
 * it lives as long as the service, so the log page does not call it a job, but it commits nothing and
 * takes a new id at every start, so it is deleted on stop and swept at the next dashboard start
 * after a crash.
 */
export class RegistryFollower {
  private readonly latest = new Map<string, RosteringModelRecord | null>();
  private consumer: Consumer | undefined;
  readonly groupId = `follower-rostering-models-${randomUUID()}`;
  /** Partition → end offset at start: until each is read, the registry is history being caught up with, not news. */
  private readonly catchingUp = new Map<number, number>();
  private fetchesWithoutBatch = 0;

  constructor(
    private readonly kafka: Kafka,
    private readonly log: Logger,
    private readonly onChange: (state: ModelRegistryState) => Promise<void>,
  ) {}

  /** Whether the follower has read what the topic held when it started (then every change is news). */
  get caughtUp(): boolean {
    return this.catchingUp.size === 0;
  }

  async start(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      for (const p of await admin.fetchTopicOffsets(MODELS_TOPIC)) if (Number(p.high) > Number(p.low)) this.catchingUp.set(p.partition, Number(p.high));
    } finally {
      await admin.disconnect();
    }
    const consumer = this.kafka.consumer({ groupId: this.groupId, readUncommitted: false, maxWaitTimeInMs: 500 });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: [MODELS_TOPIC], fromBeginning: true });
    // The end may be a transaction marker or a record the cleaner removed, which is never handed
    // over: fetches that keep bringing nothing also mean caught up.
    consumer.on(consumer.events.FETCH, () => {
      if (this.catchingUp.size > 0 && ++this.fetchesWithoutBatch >= 10) this.catchingUp.clear();
    });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        this.fetchesWithoutBatch = 0;
        let changed = false;
        for (const m of batch.messages) {
          const key = m.key?.toString();
          if (!key) continue;
          let value: RosteringModelRecord | null = null;
          if (m.value !== null) {
            const parsed = RosteringModelRecordSchema.safeParse(safeJson(m.value.toString('utf8')));
            if (!parsed.success || parsed.data.version !== key) {
              this.log.warn({ key, offset: m.offset }, `unreadable record on ${MODELS_TOPIC}; skipped`);
              continue;
            }
            value = parsed.data;
          }
          this.latest.delete(key);
          this.latest.set(key, value);
          changed = true;
        }
        const end = this.catchingUp.get(batch.partition);
        if (end !== undefined && Number(batch.lastOffset()) + 1 >= end) this.catchingUp.delete(batch.partition);
        // while catching up, intermediate states (an old active version) are history: not applied
        if (!changed || !this.caughtUp) return;
        try {
          await this.onChange(foldRegistry(this.latest));
        } catch (err) {
          this.log.error({ err: (err as Error).message }, `could not apply a change of ${MODELS_TOPIC}; keeping the current model`);
        }
      },
    });
  }

  async stop(): Promise<void> {
    if (!this.consumer) return;
    await this.consumer.disconnect().catch(() => {});
    const reason = await deleteFinishedGroup(this.kafka, this.groupId);
    if (reason) this.log.warn({ groupId: this.groupId, reason }, 'could not delete the registry follower group');
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
