import type { Producer } from 'kafkajs';
import { TOPIC, type EventDead } from '@riderflow/contracts';

export interface BatchCommit {
  groupId: string;
  topic: string;
  partition: number;
  /** the offset the group resumes from: one past the last record handled */
  nextOffset: string;
  deadLetters: EventDead[];
}

/**
 * One Kafka transaction: the batch's dead letters and the group's offset (TxnOffsetCommit through
 * sendOffsets) become visible together or not at all. A failure aborts, and the caller's throw
 * makes the consumer read the batch again from the last committed offset.
 */
export async function commitInTransaction(producer: Producer, commit: BatchCommit): Promise<void> {
  const txn = await producer.transaction();
  try {
    if (commit.deadLetters.length > 0) {
      await txn.send({
        topic: TOPIC.eventsDead,
        messages: commit.deadLetters.map((d) => ({ key: d.sourceTopic, value: JSON.stringify(d), timestamp: String(d.ts) })),
      });
    }
    await txn.sendOffsets({ consumerGroupId: commit.groupId, topics: [{ topic: commit.topic, partitions: [{ partition: commit.partition, offset: commit.nextOffset }] }] });
    await txn.commit();
  } catch (err) {
    await txn.abort().catch(() => {});
    throw err;
  }
}
