import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fsyncDir } from './atomic-file.js';
import {
  StorageError,
  type EngineOptions,
  type LogEngine,
  type OffsetStore,
  type PartitionLog,
  type TopicConfig,
  type TopicInfo,
} from './contract.js';
import { lockDataDir } from './data-dir-lock.js';
import { CLEAN_SHUTDOWN_FILE, partitionDirName } from './file-names.js';
import { JournalOffsetStore } from './offset-store.js';
import { ProducerIds } from './producer-ids.js';
import { PartitionLogImpl } from './partition-log.js';
import { DEFAULT_TOPIC_CONFIG, loadTopics, resolveTopicConfig, saveTopics } from './topic-store.js';
import { validateTopicName } from './topic-name.js';

const DEFAULT_RETENTION_CHECK_MS = 5 * 60 * 1000;

interface Topic {
  info: TopicInfo;
  partitions: PartitionLogImpl[];
}

class Engine implements LogEngine {
  private readonly topics = new Map<string, Topic>();
  private readonly producerIds: ProducerIds;
  /** epochs handed out per producer id (InitProducerId v3+ bumps them) */
  private readonly producerEpochs = new Map<bigint, number>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    readonly dataDir: string,
    readonly defaults: TopicConfig,
    private readonly offsetStore: JournalOffsetStore,
    private readonly unlock: () => void,
  ) {
    this.producerIds = new ProducerIds(dataDir);
  }

  initProducerId(existing?: { producerId: bigint; epoch: number }): { producerId: bigint; epoch: number } {
    this.assertOpen();
    if (existing && existing.producerId >= 0n && this.producerEpochs.get(existing.producerId) === existing.epoch && existing.epoch < 32766) {
      const epoch = existing.epoch + 1;
      this.producerEpochs.set(existing.producerId, epoch);
      return { producerId: existing.producerId, epoch };
    }
    const producerId = this.producerIds.allocate();
    this.producerEpochs.set(producerId, 0);
    return { producerId, epoch: 0 };
  }

  get offsets(): OffsetStore {
    return this.offsetStore;
  }

  openExisting(topics: TopicInfo[], cleanShutdown: boolean): void {
    // topics from before topic ids get one now
    const missingIds = topics.some((t) => !t.id);
    for (const info of topics) this.topics.set(info.name, this.openTopic({ ...info, id: info.id ?? randomUUID() }, cleanShutdown));
    if (missingIds) this.persistTopics();
  }

  startRetentionTimer(everyMs: number, onError: (err: unknown, context: string) => void): void {
    this.timer = setInterval(() => {
      // a failed deletion is retried on the next tick; skipping one never harms data
      this.enforceRetention().catch((err: unknown) => onError(err, 'retention'));
    }, everyMs);
    this.timer.unref();
  }

  private openTopic(info: TopicInfo, cleanShutdown: boolean): Topic {
    const topic: Topic = { info, partitions: [] };
    for (let p = 0; p < info.config.partitions; p++) {
      const dir = path.join(this.dataDir, partitionDirName(info.name, p));
      topic.partitions.push(PartitionLogImpl.open(info.name, p, dir, () => topic.info.config, cleanShutdown));
    }
    return topic;
  }

  /** a new topic's partitions, all or none: on failure every opened file is closed and every new directory removed */
  private createPartitions(info: TopicInfo): Topic {
    const topic: Topic = { info, partitions: [] };
    try {
      for (let p = 0; p < info.config.partitions; p++) {
        const dir = path.join(this.dataDir, partitionDirName(info.name, p));
        topic.partitions.push(PartitionLogImpl.open(info.name, p, dir, () => topic.info.config, false));
      }
      return topic;
    } catch (err) {
      for (const p of topic.partitions) p.destroy();
      for (let p = 0; p < info.config.partitions; p++) fs.rmSync(path.join(this.dataDir, partitionDirName(info.name, p)), { recursive: true, force: true });
      throw plainStorageError(err, `topic "${info.name}"`);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new StorageError('KAFKA_STORAGE_ERROR', 'log engine is closed');
  }

  async createTopic(name: string, config?: Partial<TopicConfig>): Promise<TopicInfo> {
    this.assertOpen();
    validateTopicName(name);
    if (this.topics.has(name)) throw new StorageError('TOPIC_ALREADY_EXISTS', `topic "${name}" already exists`);
    // as in Kafka: '.' and '_' collide in metric names, so names differing only there are refused
    const collisionKey = name.replaceAll('.', '_');
    const collides = [...this.topics.keys()].find((t) => t.replaceAll('.', '_') === collisionKey);
    if (collides) throw new StorageError('INVALID_TOPIC_EXCEPTION', `topic "${name}" collides with existing topic "${collides}" ('.' and '_' are treated alike)`);
    const info: TopicInfo = { name, id: randomUUID(), config: resolveTopicConfig(this.defaults, config) };
    // leftovers of a deletion interrupted by a crash must not resurface as data
    for (let p = 0; p < info.config.partitions; p++) {
      fs.rmSync(path.join(this.dataDir, partitionDirName(name, p)), { recursive: true, force: true });
    }
    const topic = this.createPartitions(info);
    fsyncDir(this.dataDir);
    this.topics.set(name, topic);
    this.persistTopics();
    return { name, id: info.id, config: { ...info.config } };
  }

  async deleteTopic(name: string): Promise<void> {
    this.assertOpen();
    const topic = this.topics.get(name);
    if (!topic) throw new StorageError('UNKNOWN_TOPIC_OR_PARTITION', `topic "${name}" does not exist`);
    this.topics.delete(name);
    this.persistTopics();
    for (const p of topic.partitions) p.destroy();
    fsyncDir(this.dataDir);
    await this.offsetStore.forgetTopic(name);
  }

  async alterTopicConfig(name: string, changes: Partial<Omit<TopicConfig, 'partitions'>>, validateOnly = false): Promise<TopicInfo> {
    this.assertOpen();
    const topic = this.topics.get(name);
    if (!topic) throw new StorageError('UNKNOWN_TOPIC_OR_PARTITION', `topic "${name}" does not exist`);
    const config = resolveTopicConfig(topic.info.config, { ...changes, partitions: topic.info.config.partitions });
    if (!validateOnly) {
      topic.info = { name, id: topic.info.id, config };
      this.persistTopics();
    }
    return { name, id: topic.info.id, config: { ...config } };
  }

  async addPartitions(name: string, total: number, validateOnly = false): Promise<TopicInfo> {
    this.assertOpen();
    const topic = this.topics.get(name);
    if (!topic) throw new StorageError('UNKNOWN_TOPIC_OR_PARTITION', `topic "${name}" does not exist`);
    const current = topic.info.config.partitions;
    if (!Number.isInteger(total) || total <= current) {
      throw new StorageError('INVALID_PARTITIONS', `topic "${name}" has ${current} partitions; the new count must be larger, got ${total}`);
    }
    const config = resolveTopicConfig(topic.info.config, { partitions: total });
    if (validateOnly) return { name, id: topic.info.id, config };
    const added: PartitionLogImpl[] = [];
    try {
      for (let p = current; p < total; p++) {
        const dir = path.join(this.dataDir, partitionDirName(name, p));
        fs.rmSync(dir, { recursive: true, force: true });
        added.push(PartitionLogImpl.open(name, p, dir, () => topic.info.config, false));
      }
    } catch (err) {
      // nothing half-made stays behind: close and remove what was opened
      for (const p of added) p.destroy();
      for (let p = current; p < total; p++) fs.rmSync(path.join(this.dataDir, partitionDirName(name, p)), { recursive: true, force: true });
      throw plainStorageError(err, `topic "${name}"`);
    }
    fsyncDir(this.dataDir);
    topic.partitions.push(...added);
    topic.info = { name, id: topic.info.id, config };
    this.persistTopics();
    return { name, id: topic.info.id, config: { ...config } };
  }

  private persistTopics(): void {
    saveTopics(this.dataDir, [...this.topics.values()].map((t) => t.info));
  }

  listTopics(): TopicInfo[] {
    return [...this.topics.values()].map((t) => ({ name: t.info.name, id: t.info.id, config: { ...t.info.config } }));
  }

  topic(name: string): TopicInfo | undefined {
    const t = this.topics.get(name);
    return t ? { name: t.info.name, id: t.info.id, config: { ...t.info.config } } : undefined;
  }

  partition(topic: string, partition: number): PartitionLog | undefined {
    return this.topics.get(topic)?.partitions[partition];
  }

  async enforceRetention(now: number = Date.now()): Promise<void> {
    if (this.closed) return;
    for (const t of this.topics.values()) {
      for (const p of t.partitions) {
        p.enforceRetention(now);
        // compaction yields between segments; a topic deleted meanwhile closes its partitions, which stops it
        if (t.info.config.cleanupPolicy !== 'delete') await p.compact(now);
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    for (const t of this.topics.values()) for (const p of t.partitions) p.close();
    this.offsetStore.close();
    // only now may the next open skip the recovery scan
    const marker = path.join(this.dataDir, CLEAN_SHUTDOWN_FILE);
    fs.writeFileSync(marker, new Date().toISOString() + '\n');
    const fd = fs.openSync(marker, 'r');
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fsyncDir(this.dataDir);
    this.unlock();
  }
}

/**
 * An operating-system failure as a StorageError whose message names the error code but never a
 * path: the message may travel to a client.
 */
function plainStorageError(err: unknown, what: string): Error {
  if (err instanceof StorageError) return err;
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'EMFILE' || code === 'ENFILE') {
    return new StorageError('KAFKA_STORAGE_ERROR', `${what}: the broker has run out of file descriptors (${code}); nothing was created`);
  }
  return new StorageError('KAFKA_STORAGE_ERROR', `${what}: storage failure${code ? ` (${code})` : ''}; nothing was created`);
}

/**
 * Opens (creating if needed) a log in `options.dataDir`. Without a clean-shutdown marker every
 * partition's active segment is scanned and a torn tail truncated before anything is served.
 */
export async function openLogEngine(options: EngineOptions): Promise<LogEngine> {
  const dataDir = path.resolve(options.dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  const defaults = resolveTopicConfig(DEFAULT_TOPIC_CONFIG, options.defaults);
  const unlock = lockDataDir(dataDir);
  const marker = path.join(dataDir, CLEAN_SHUTDOWN_FILE);
  const cleanShutdown = fs.existsSync(marker);
  if (cleanShutdown) {
    // from here on a crash must trigger a full recovery scan
    fs.rmSync(marker);
    fsyncDir(dataDir);
  }
  let engine: Engine;
  try {
    const topics = loadTopics(dataDir);
    const offsets = JournalOffsetStore.open(dataDir);
    engine = new Engine(dataDir, defaults, offsets, unlock);
    engine.openExisting(topics, cleanShutdown);
  } catch (err) {
    unlock();
    throw err;
  }
  engine.startRetentionTimer(options.retentionCheckMs ?? DEFAULT_RETENTION_CHECK_MS, options.onBackgroundError ?? (() => {}));
  return engine;
}
