import type { LogEngine, TopicConfig, TopicInfo } from '../storage/contract.js';
import { StorageError } from '../storage/contract.js';

/** Auto-creation of topics from Metadata requests: concurrent requests for one new name create it once. */
export class TopicCreator {
  private readonly inFlight = new Map<string, Promise<TopicInfo>>();

  constructor(private readonly engine: LogEngine) {}

  ensure(name: string, config: Partial<TopicConfig>): Promise<TopicInfo> {
    const existing = this.engine.topic(name);
    if (existing) return Promise.resolve(existing);
    let p = this.inFlight.get(name);
    if (!p) {
      p = this.engine
        .createTopic(name, config)
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
