import type { LogEngine, TopicConfig, TopicInfo } from '../storage/contract.js';
import { StorageError } from '../storage/contract.js';
import { defaultPartitionBudget } from './partition-budget.js';

/**
 * Topic creation limits and auto-creation of topics from Metadata requests (concurrent requests for
 * one new name create it once). Every new partition counts against a total budget derived from the
 * process's file-descriptor limit, so no client can make the broker run out of descriptors.
 */
export class TopicCreator {
  private readonly inFlight = new Map<string, Promise<TopicInfo>>();
  /** partitions promised to creations still in progress */
  private reserved = 0;

  constructor(
    private readonly engine: LogEngine,
    readonly partitionBudget: number = defaultPartitionBudget(),
  ) {}

  totalPartitions(): number {
    let n = this.reserved;
    for (const t of this.engine.listTopics()) n += t.config.partitions;
    return n;
  }

  /** a plain refusal when `extra` more partitions would exceed the budget, else null */
  checkBudget(extra: number): string | null {
    const total = this.totalPartitions();
    if (extra <= 0 || total + extra <= this.partitionBudget) return null;
    return `this broker holds ${total} partitions and allows ${this.partitionBudget} in total (bounded by its open-file limit); ${extra} more do not fit`;
  }

  /** create a topic within the budget; the budget is held while the creation runs */
  async create(name: string, config: Partial<TopicConfig> & { partitions: number }): Promise<TopicInfo> {
    const refusal = this.checkBudget(config.partitions);
    if (refusal) throw new StorageError('POLICY_VIOLATION', refusal);
    this.reserved += config.partitions;
    try {
      return await this.engine.createTopic(name, config);
    } finally {
      this.reserved -= config.partitions;
    }
  }

  ensure(name: string, config: Partial<TopicConfig> & { partitions: number }): Promise<TopicInfo> {
    const existing = this.engine.topic(name);
    if (existing) return Promise.resolve(existing);
    let p = this.inFlight.get(name);
    if (!p) {
      p = this.create(name, config)
        .catch((err: unknown) => {
          const raced = err instanceof StorageError && err.kafkaError === 'TOPIC_ALREADY_EXISTS' ? this.engine.topic(name) : undefined;
          if (raced) return raced;
          throw err;
        })
        .finally(() => this.inFlight.delete(name));
      this.inFlight.set(name, p);
    }
    return p;
  }
}
