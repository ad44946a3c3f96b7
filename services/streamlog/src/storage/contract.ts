// The storage engine's public shape. The Kafka protocol server (src/server, src/group) is written
// against these interfaces; the engine (src/storage) implements them. Offsets and timestamps are
// bigint because Kafka's are int64.

export interface TopicConfig {
  partitions: number;
  /** delete whole segments older than this (by their largest record timestamp); -1 = keep forever */
  retentionMs: number;
  /** keep each partition under this many bytes by deleting its oldest whole segments; -1 = unbounded */
  retentionBytes: number;
  /** roll a new segment once the active one reaches this size */
  segmentBytes: number;
  /** Kafka's cleanup.policy: delete (retention), compact (latest record per key), or both */
  cleanupPolicy: CleanupPolicy;
  /** roll the active segment once its first batch is this old (ms), so it becomes cleanable */
  segmentMs: number;
  /** clean once the uncleaned share of the sealed segments' bytes reaches this (0..1) */
  minCleanableDirtyRatio: number;
  /** keep tombstones (null values) this long after they were first cleaned, so consumers see deletes */
  deleteRetentionMs: number;
}

export type CleanupPolicy = 'delete' | 'compact' | 'compact,delete';

export interface TopicInfo {
  name: string;
  /** Kafka's topic id (a UUID, assigned at creation); clients of Fetch v13+ name topics by it */
  id?: string;
  config: TopicConfig;
}

/** How a produce waits for durability: 'fsync' = answered after fsync (batched across producers), 'none' = after the write */
export type Durability = 'fsync' | 'none';

export interface EngineOptions {
  dataDir: string;
  /** topic defaults for auto-created topics and for CreateTopics without configs */
  defaults?: Partial<TopicConfig>;
  /** how often retention runs, ms */
  retentionCheckMs?: number;
  /** told about failures in background work (the retention timer); default: ignored */
  onBackgroundError?: (err: unknown, context: string) => void;
}

export interface AppendResult {
  /** offset assigned to the first record of the first batch */
  baseOffset: bigint;
  /** offset the partition will assign next (the log end offset) */
  nextOffset: bigint;
}

export interface ReadResult {
  /** whole record batches (v2, raw bytes exactly as stored) starting with the batch that contains `offset` */
  data: Buffer;
  highWatermark: bigint;
  logStartOffset: bigint;
}

/** A record as the library API sees it (for tests, benchmarks and embedding) */
export interface LogRecord {
  key: Buffer | null;
  value: Buffer | null;
  timestamp: bigint;
  headers?: { key: string; value: Buffer | null }[];
}

export interface StoredRecord extends LogRecord {
  offset: bigint;
}

export interface PartitionLog {
  readonly topic: string;
  readonly partition: number;
  readonly logStartOffset: bigint;
  /** single node: the log end offset; every appended record is visible to consumers */
  readonly highWatermark: bigint;
  /**
   * Append one or more raw record batches (v2) as sent in a Produce request. The engine checks each
   * batch (magic 2, CRC-32C, lengths), assigns offsets by rewriting baseOffset, and stores it.
   * Rejects with a CorruptRecordError (nothing stored) when any batch is malformed.
   */
  appendBatches(batches: Buffer, durability: Durability): Promise<AppendResult>;
  /** Library convenience: encode records into one batch and append it. */
  append(records: LogRecord[], durability?: Durability): Promise<AppendResult>;
  /** Raw batches from `offset`, at most about `maxBytes` (always at least one whole batch if any exists). OffsetOutOfRangeError outside [logStartOffset, highWatermark]. */
  read(offset: bigint, maxBytes: number): ReadResult;
  /** Library convenience: decoded records from `offset`, at most `maxRecords` (transaction markers skipped; aborted records included, as read_uncommitted). */
  readRecords(offset: bigint, maxRecords: number): StoredRecord[];
  /** earliest offset whose record timestamp >= ts, or null if none (ListOffsets by timestamp) */
  offsetForTimestamp(ts: bigint): bigint | null;
  /**
   * Like offsetForTimestamp, with the found record's timestamp (ListOffsets answers both). For a
   * batch compressed with a codec the engine cannot decode (snappy, lz4, zstd) it answers the
   * batch's base offset and max timestamp.
   */
  findByTimestamp(ts: bigint): { offset: bigint; timestamp: bigint } | null;
  /** total bytes on disk for this partition */
  /** compacted partitions: the share of sealed bytes not cleaned yet (0 when nothing is sealed) */
  dirtyRatio(): number;
  sizeBytes(): number;
  /** DeleteRecords: make everything before `offset` (-1 = the high watermark) unreadable; answers the new logStartOffset */
  deleteRecordsBefore(offset: bigint): bigint;
  /** the first offset of the oldest open transaction here, or the high watermark: read_committed reads stop before it */
  readonly lastStableOffset: bigint;
  /** aborted transactions that may have records in [from, to] (Fetch's aborted_transactions for read_committed) */
  abortedTransactions(from: bigint, to: bigint): { producerId: bigint; firstOffset: number; lastOffset: number }[];
  /** write a commit or abort marker (control batch) closing `producerId`'s transaction here (the transaction coordinator's job) */
  writeMarker(producerId: bigint, epoch: number, commit: boolean, durability: Durability): Promise<AppendResult>;
  /** resolves when highWatermark moves past `offset` or when `signal` aborts (Fetch long-poll) */
  waitForData(offset: bigint, signal: AbortSignal): Promise<void>;
}

export interface CommittedOffset {
  offset: bigint;
  metadata: string | null;
  commitTimestamp: bigint;
}

/** Committed consumer-group offsets, persisted so they survive restarts */
export interface OffsetStore {
  commit(group: string, entries: { topic: string; partition: number; offset: bigint; metadata: string | null }[]): Promise<void>;
  fetch(group: string, topic: string, partition: number): CommittedOffset | null;
  /** every (topic, partition) the group has committed */
  list(group: string): { topic: string; partition: number; committed: CommittedOffset }[];
  groups(): string[];
  deleteGroup(group: string): Promise<void>;
  /** forget single committed offsets (OffsetDelete); unknown ones are ignored */
  deleteOffsets(group: string, partitions: { topic: string; partition: number }[]): Promise<void>;
}

export interface LogEngine {
  readonly dataDir: string;
  readonly defaults: TopicConfig;
  readonly offsets: OffsetStore;
  createTopic(name: string, config?: Partial<TopicConfig>): Promise<TopicInfo>;
  deleteTopic(name: string): Promise<void>;
  /** change a topic's retention or segment size (not its partition count); persisted */
  alterTopicConfig(name: string, changes: Partial<Omit<TopicConfig, 'partitions'>>, validateOnly?: boolean): Promise<TopicInfo>;
  /** InitProducerId: a new producer id (epoch 0), or the same id with the next epoch when `existing` is current */
  initProducerId(existing?: { producerId: bigint; epoch: number }): { producerId: bigint; epoch: number };
  /** grow a topic to `total` partitions (CreatePartitions); a failure leaves the topic as it was */
  addPartitions(name: string, total: number, validateOnly?: boolean): Promise<TopicInfo>;
  listTopics(): TopicInfo[];
  topic(name: string): TopicInfo | undefined;
  partition(topic: string, partition: number): PartitionLog | undefined;
  /** run retention now (also runs on a timer) */
  enforceRetention(now?: number): Promise<void>;
  /** flush and fsync everything, stop timers, close files */
  close(): Promise<void>;
}

// Errors the engine throws, by Kafka error name so the server maps them to codes directly.
export class StorageError extends Error {
  constructor(readonly kafkaError: 'OUT_OF_ORDER_SEQUENCE_NUMBER' | 'DUPLICATE_SEQUENCE_NUMBER' | 'INVALID_PRODUCER_EPOCH' | 'POLICY_VIOLATION' | 'CORRUPT_MESSAGE' | 'OFFSET_OUT_OF_RANGE' | 'TOPIC_ALREADY_EXISTS' | 'UNKNOWN_TOPIC_OR_PARTITION' | 'INVALID_TOPIC_EXCEPTION' | 'INVALID_PARTITIONS' | 'INVALID_CONFIG' | 'INVALID_RECORD' | 'KAFKA_STORAGE_ERROR', message: string) {
    super(message);
    this.name = 'StorageError';
  }
}

/** Implemented in ./engine.ts, re-exported from ./index.ts */
export type OpenLogEngine = (options: EngineOptions) => Promise<LogEngine>;
