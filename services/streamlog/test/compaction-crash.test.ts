import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { startTestBroker, tempDir } from './helpers/broker.js';
import { startChildBroker } from './helpers/child-broker.js';

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
      await admin.createTopics({
        topics: [{
          topic: 'compact-crash',
          numPartitions: 1,
          configEntries: [
            { name: 'cleanup.policy', value: 'compact' },
            { name: 'segment.bytes', value: '4096' },
            { name: 'segment.ms', value: '50' },
            { name: 'min.cleanable.dirty.ratio', value: '0' },
          ],
        }],
      });
      await admin.disconnect();
      const producer = kafka.producer({ retry: { retries: 0 } });
      await producer.connect();
      // every key gets a new value each round; the cleaner rewrites segments underneath all the while
      const deadline = Date.now() + 30_000;
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
  }, 120_000);
});
