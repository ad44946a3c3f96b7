import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigResourceTypes, type Kafka } from 'kafkajs';
import { useTestBroker, waitFor } from './helpers/broker.js';
import { collectingConsumer, quickGroup, type Received } from './helpers/consume.js';
import { hasPythonModule, runPythonClient } from './helpers/python.js';
import {
  BATCH_LOG_OVERHEAD,
  BATCH_OFFSET_ATTRIBUTES,
  BATCH_OFFSET_LAST_OFFSET_DELTA,
  BATCH_OFFSET_LENGTH,
  CONTROL_FLAG,
  DELETE_HORIZON_FLAG,
} from '../src/records/index.js';
import type { PartitionLog } from '../src/storage/contract.js';

const run = promisify(execFile);
const hasKcat = spawnSync('kcat', ['-V']).status === 0;
const hasConfluentKafka = hasPythonModule('confluent_kafka');
const TOPIC = 'tx-compacted';
const KEYS = ['k0', 'k1', 'k2', 'k3'];
const ROUNDS = 5;
/** delete.retention.ms: long enough for the clients to read while stamped markers are still there */
const MARKER_RETENTION_MS = 5_000;

/** markers in the log that carry a delete horizon */
function stampedMarkers(log: PartitionLog): number {
  let n = 0;
  let offset = log.logStartOffset;
  while (offset < log.highWatermark) {
    const { data } = log.read(offset, 1 << 20);
    if (data.length === 0) break;
    for (let p = 0; p + BATCH_LOG_OVERHEAD <= data.length; p += BATCH_LOG_OVERHEAD + data.readInt32BE(p + BATCH_OFFSET_LENGTH)) {
      const attributes = data.readInt16BE(p + BATCH_OFFSET_ATTRIBUTES);
      if (attributes & CONTROL_FLAG && attributes & DELETE_HORIZON_FLAG) n++;
      offset = data.readBigInt64BE(p) + BigInt(data.readInt32BE(p + BATCH_OFFSET_LAST_OFFSET_DELTA)) + 1n;
    }
  }
  return n;
}

const pairs = (rs: Received[]) => rs.map((r) => `${r.key}=${r.value}`).sort();

/** kafkajs reads the topic to its end in a fresh group; `expected` records (it waits for that many) */
async function readAll(kafka: Kafka, group: string, readUncommitted: boolean, expected: number | ((read: string[]) => boolean)): Promise<string[]> {
  const c = await collectingConsumer(kafka, { ...quickGroup(group), readUncommitted }, TOPIC);
  const done = typeof expected === 'number' ? () => c.received.length >= expected : () => expected(pairs(c.received));
  try {
    await waitFor(done, 30_000, typeof expected === 'number' ? `${expected} records in ${group}` : `the expected records in ${group}`);
    return pairs(c.received);
  } finally {
    await c.consumer.disconnect();
  }
}

/**
 * The cleaner and transactions, read back by clients we did not write: an aborted transaction's
 * records are removed from a compacted topic (no reader ever sees them again), markers go once
 * their transaction has nothing left and delete.retention.ms has passed, and the producer's later
 * transactions still read as committed (no stale aborted-transaction entry hides them).
 */
describe('the log cleaner with transactions, read by kafkajs, kcat and librdkafka', () => {
  const broker = useTestBroker({ logCleanerIntervalMs: 50 });

  it('removes aborted records and emptied markers; every client reads exactly the latest committed value per key', async () => {
    const kafka = broker().kafka();
    const admin = kafka.admin();
    await admin.connect();
    // written as a plain topic first, so the aborted records are seen before any cleaning; then compacted
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1 }] });
    const producer = kafka.producer({ transactionalId: 'tx-compacted-producer', idempotent: true, maxInFlightRequests: 1, retry: { retries: 2, initialRetryTime: 50 } });
    await producer.connect();
    const transaction = async (values: (key: string) => string, commit: boolean) => {
      const tx = await producer.transaction();
      await tx.send({ topic: TOPIC, messages: KEYS.map((key) => ({ key, value: values(key) })) });
      await (commit ? tx.commit() : tx.abort());
    };
    try {
      for (let r = 0; r < ROUNDS; r++) {
        await transaction(() => `c${r}`, true);
        await transaction(() => `ABORTED-${r}`, false);
      }
      // a key only an aborted transaction ever wrote, then a last committed value of k0
      const ghost = await producer.transaction();
      await ghost.send({ topic: TOPIC, messages: [{ key: 'ghost', value: 'ABORTED-ghost' }] });
      await ghost.abort();
      const final = await producer.transaction();
      await final.send({ topic: TOPIC, messages: [{ key: 'k0', value: 'final' }] });
      await final.commit();

      const log = broker().engine.partition(TOPIC, 0)!;
      const end = log.highWatermark;
      // before cleaning, read_uncommitted sees the aborted records
      expect((await readAll(kafka, 'before-ru', true, KEYS.length * ROUNDS * 2 + 2)).filter((p) => p.includes('ABORTED'))).toHaveLength(KEYS.length * ROUNDS + 1);
      await admin.alterConfigs({
        validateOnly: false,
        resources: [{
          type: ConfigResourceTypes.TOPIC,
          name: TOPIC,
          configEntries: [
            { name: 'cleanup.policy', value: 'compact' },
            { name: 'segment.ms', value: '100' },
            { name: 'min.cleanable.dirty.ratio', value: '0' },
            { name: 'delete.retention.ms', value: String(MARKER_RETENTION_MS) },
          ],
        }],
      });

      // the cleaner runs every 50 ms. First the aborted records go and the emptied markers get their
      // delete horizon: clients read past such stamped markers (attribute bit 6) unharmed
      const latest = KEYS.map((k) => (k === 'k0' ? 'k0=final' : `${k}=c${ROUNDS - 1}`)).sort();
      await waitFor(() => log.readRecords(log.logStartOffset, 10_000).length === KEYS.length && stampedMarkers(log) > 0, 60_000, 'aborted records removed and markers stamped');
      expect(await readAll(kafka, 'stamped-rc', false, KEYS.length)).toEqual(latest);
      if (hasKcat) {
        const { stdout } = await run('kcat', ['-b', broker().brokers, '-C', '-t', TOPIC, '-p', '0', '-o', 'beginning', '-e', '-X', 'isolation.level=read_committed', '-f', '%k=%s\\n'], { timeout: 30_000 });
        expect(stdout.trim().split('\n').sort()).toEqual(latest);
      }
      // then, after delete.retention.ms, the markers of transactions with nothing left go: wait until
      // no aborted transaction is listed (its marker removed) and the log holds one record per key
      await waitFor(() => log.abortedTransactions(0n, end).length === 0 && log.readRecords(log.logStartOffset, 10_000).length === KEYS.length, 60_000, 'the cleaner removed the aborted transactions and their markers');
      expect(log.highWatermark).toBe(end); // offsets as written
      expect(log.readRecords(log.logStartOffset, 10_000).map((r) => `${r.key}=${r.value}`).sort()).toEqual(latest);

      expect(await readAll(kafka, 'after-rc', false, KEYS.length)).toEqual(latest);
      expect(await readAll(kafka, 'after-ru', true, KEYS.length)).toEqual(latest);
      if (hasKcat) {
        for (const isolation of ['read_committed', 'read_uncommitted']) {
          const { stdout } = await run('kcat', ['-b', broker().brokers, '-C', '-t', TOPIC, '-p', '0', '-o', 'beginning', '-e', '-X', `isolation.level=${isolation}`, '-f', '%k=%s\\n'], { timeout: 30_000 });
          expect(stdout.trim().split('\n').sort()).toEqual(latest);
        }
      }
      if (hasConfluentKafka) {
        for (const isolation of ['read_committed', 'read_uncommitted']) {
          const read = await runPythonClient<string[]>('confluent_kafka_read_to_end.py', [broker().brokers, TOPIC, isolation]);
          expect([...read].sort()).toEqual(latest);
        }
      }

      // the same producer (same producer id) commits again after the cleaning: read_committed sees it
      await transaction(() => 'after', true);
      // every key's "after" value is read; the older values may be read too, or already be compacted
      // away (the cleaner runs every 50 ms, and on a slow machine it can get there before kafkajs does)
      const afterValues = KEYS.map((k) => `${k}=after`);
      const later = await readAll(kafka, 'later-rc', false, (read) => afterValues.every((v) => read.includes(v)));
      expect(later.filter((v) => !afterValues.includes(v)).every((v) => latest.includes(v))).toBe(true);
      expect(later.filter((v) => afterValues.includes(v))).toEqual(afterValues);

      // an aborted transaction at the very end: its records go, its marker (the last batch) stays, so
      // clients that read to the end still reach it (kcat -e and librdkafka's partition EOF)
      const tail = await producer.transaction();
      await tail.send({ topic: TOPIC, messages: [{ key: 'k1', value: 'ABORTED-tail' }] });
      await tail.abort();
      await waitFor(() => !log.readRecords(log.logStartOffset, 10_000).some((r) => r.value?.toString() === 'ABORTED-tail'), 60_000, 'the cleaner removed the aborted tail');
      // that pass also compacted the older values away: one record per key, the "after" ones
      const afterOnly = KEYS.map((k) => `${k}=after`);
      expect(log.readRecords(log.logStartOffset, 10_000).map((r) => `${r.key}=${r.value}`)).toEqual(afterOnly);
      if (hasKcat) {
        const { stdout } = await run('kcat', ['-b', broker().brokers, '-C', '-t', TOPIC, '-p', '0', '-o', 'beginning', '-e', '-X', 'isolation.level=read_uncommitted', '-f', '%k=%s\\n'], { timeout: 30_000 });
        expect(stdout.trim().split('\n')).toEqual(afterOnly);
      }
      if (hasConfluentKafka) {
        expect(await runPythonClient<string[]>('confluent_kafka_read_to_end.py', [broker().brokers, TOPIC, 'read_committed'])).toEqual(afterOnly);
      }
    } finally {
      await producer.disconnect();
      await admin.disconnect();
    }
  }, 180_000);
});
