import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { startTestBroker, tempDir, waitFor } from './helpers/broker.js';
import { collectingConsumer, quickGroup } from './helpers/consume.js';
import { startChildBroker } from './helpers/child-broker.js';
import { compactedTopic } from './helpers/compacted-topic.js';

const KEYS = 20;

describe('log compaction across a broker SIGKILL', () => {
  it('a SIGKILL while the cleaner runs loses no latest value and leaves no half-cleaned segment', async () => {
    const dataDir = tempDir('rf-streamlog-compact-crash-');
    const pdir = path.join(dataDir, 'compact-crash-0');
    const child = await startChildBroker(['--data-dir', dataDir, '--log-cleaner-interval-ms', '10']);
    let acked = -1;
    try {
      const kafka = new Kafka({ brokers: [child.brokers], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [compactedTopic('compact-crash', { 'segment.bytes': '4096', 'segment.ms': '50', 'min.cleanable.dirty.ratio': '0' })] });
      await admin.disconnect();
      const producer = kafka.producer({ retry: { retries: 0 } });
      await producer.connect();
      // every key gets a new value each round; the cleaner rewrites segments underneath all the while
      // (a generous deadline: on a loaded 2-core machine the cleaner's first pass can take long)
      const deadline = Date.now() + 120_000;
      let roundsWhileCleaning = 0;
      for (let round = 0; ; round++) {
        await producer.send({ topic: 'compact-crash', acks: -1, messages: Array.from({ length: KEYS }, (_, k) => ({ key: `k${k}`, value: `r${round}` })) });
        acked = round;
        // the checkpoint appears after the first cleaner pass; from then on keep writing while it cleans
        if (fs.existsSync(path.join(pdir, 'cleaner-checkpoint'))) roundsWhileCleaning++;
        if (roundsWhileCleaning > 150) break;
        if (Date.now() > deadline) throw new Error(`the cleaner never ran (${round} rounds)`);
      }
      child.child.kill('SIGKILL');
      await child.exited;
      await producer.disconnect().catch(() => undefined);
    } finally {
      child.child.kill('SIGKILL');
      await child.exited;
    }

    const broker = await startTestBroker({ dataDir });
    try {
      expect(fs.readdirSync(pdir).filter((f) => f.endsWith('.cleaned'))).toEqual([]);
      const log = broker.engine.partition('compact-crash', 0)!;
      const lastByKey = new Map<string, number>();
      let previous = -1n;
      for (const r of log.readRecords(log.logStartOffset, 10_000_000)) {
        expect(r.offset).toBeGreaterThan(previous); // offsets ascend, gaps allowed
        previous = r.offset;
        lastByKey.set(r.key!.toString(), Number(r.value!.toString().slice(1)));
      }
      // every key is there with its latest acknowledged value (or a later one that was written but not yet acknowledged)
      expect([...lastByKey.keys()].sort()).toEqual(Array.from({ length: KEYS }, (_, k) => `k${k}`).sort());
      for (const round of lastByKey.values()) expect(round).toBeGreaterThanOrEqual(acked);
      // and the cleaner, run once more, leaves exactly one record per key in the sealed part
      await broker.engine.enforceRetention(Date.now() + 1_000);
      const sealedEnd = log.highWatermark;
      const keysSeen = log.readRecords(log.logStartOffset, 10_000_000).filter((r) => r.offset < sealedEnd).map((r) => r.key!.toString());
      expect(keysSeen.sort()).toEqual([...lastByKey.keys()].sort());
    } finally {
      await broker.destroy();
    }
  }, 300_000);

  it('a SIGKILL while the cleaner removes aborted transactions: after restart no aborted record comes back and every key keeps its latest committed value', async () => {
    const dataDir = tempDir('rf-streamlog-compact-txn-crash-');
    const topic = 'compact-txn-crash';
    const pdir = path.join(dataDir, `${topic}-0`);
    const child = await startChildBroker(['--data-dir', dataDir, '--log-cleaner-interval-ms', '10']);
    let committedRound = -1;
    try {
      const kafka = new Kafka({ brokers: [child.brokers], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [compactedTopic(topic, { 'segment.bytes': '4096', 'segment.ms': '50', 'min.cleanable.dirty.ratio': '0', 'delete.retention.ms': '20' })] });
      await admin.disconnect();
      const producer = kafka.producer({ transactionalId: 'compact-txn-crash', idempotent: true, maxInFlightRequests: 1, transactionTimeout: 2_000, retry: { retries: 2, initialRetryTime: 50 } });
      await producer.connect();
      // each round: a committed transaction with every key's new value, then an aborted one over the same keys
      const deadline = Date.now() + 120_000;
      let roundsWhileCleaning = 0;
      for (let round = 0; ; round++) {
        const committed = await producer.transaction();
        await committed.send({ topic, messages: Array.from({ length: KEYS }, (_, k) => ({ key: `k${k}`, value: `r${round}` })) });
        await committed.commit();
        committedRound = round;
        const aborted = await producer.transaction();
        await aborted.send({ topic, messages: Array.from({ length: KEYS }, (_, k) => ({ key: `k${k}`, value: `ABORTED${round}` })) });
        await aborted.abort();
        if (fs.existsSync(path.join(pdir, 'cleaner-checkpoint'))) roundsWhileCleaning++;
        if (roundsWhileCleaning > 60) break;
        if (Date.now() > deadline) throw new Error(`the cleaner never ran (${round} rounds)`);
      }
      // and one transaction left open across the kill
      const open = await producer.transaction();
      await open.send({ topic, messages: [{ key: 'k0', value: 'ABORTED-open' }] });
      child.child.kill('SIGKILL');
      await child.exited;
      await producer.disconnect().catch(() => undefined);
    } finally {
      child.child.kill('SIGKILL');
      await child.exited;
    }

    const broker = await startTestBroker({ dataDir, logCleanerIntervalMs: 20, transactionTimeoutCheckMs: 100 });
    try {
      expect(fs.readdirSync(pdir).filter((f) => f.endsWith('.cleaned'))).toEqual([]);
      const log = broker.engine.partition(topic, 0)!;
      // the open transaction times out and is aborted; then the cleaner removes every aborted record
      await waitFor(() => log.lastStableOffset === log.highWatermark, 30_000, 'the open transaction aborted by its timeout');
      await waitFor(() => !log.readRecords(log.logStartOffset, 10_000_000).some((r) => r.value!.toString().startsWith('ABORTED')), 60_000, 'no aborted record left in the log');
      // a read_committed kafkajs consumer reads every key, each at its latest committed round or a later one
      const c = await collectingConsumer(broker.kafka(), quickGroup('after-crash'), topic);
      try {
        await waitFor(() => new Set(c.received.map((r) => r.key)).size >= KEYS, 30_000, 'every key read');
        const lastByKey = new Map(c.received.map((r) => [r.key!, r.value!]));
        for (const v of lastByKey.values()) {
          expect(v).toMatch(/^r\d+$/);
          expect(Number(v.slice(1))).toBeGreaterThanOrEqual(committedRound);
        }
      } finally {
        await c.consumer.disconnect();
      }
    } finally {
      await broker.destroy();
    }
  }, 360_000);
});
