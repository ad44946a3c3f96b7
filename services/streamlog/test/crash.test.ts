import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { startTestBroker, tempDir } from './helpers/broker.js';
import { startChildBroker } from './helpers/child-broker.js';

describe('crash safety', () => {
  it('keeps every acknowledged acks=-1 record, in order, after SIGKILL mid-stream', async () => {
    const dataDir = tempDir('rf-streamlog-crash-');
    const child = await startChildBroker(['--data-dir', dataDir]);
    let acked = 0;
    let sent = 0;
    let producer: ReturnType<Kafka['producer']> | undefined;
    try {
      const kafka = new Kafka({ brokers: [child.brokers], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: 'crash', numPartitions: 2 }] });
      await admin.disconnect();
      producer = kafka.producer({ retry: { retries: 0 } });
      await producer.connect();
      const p = producer;

      // two producers' worth of concurrent streams (one per partition), each awaiting its acks
      const stream = async (partition: number) => {
        for (let batch = 0; ; batch++) {
          const values = Array.from({ length: 50 }, (_, i) => `p${partition}-${batch * 50 + i}`);
          sent += values.length;
          try {
            await p.send({ topic: 'crash', acks: -1, messages: values.map((value) => ({ value, partition })) });
          } catch {
            return batch * 50; // acknowledged records on this partition
          }
          acked += values.length;
        }
      };
      let streamsEnded = 0;
      const streams = [stream(0), stream(1)].map((s) => s.finally(() => streamsEnded++));
      // A stream that fails before the kill (or never gets going) must fail the test, not spin until its timeout.
      const deadline = Date.now() + 30_000;
      while (acked < 2_000) {
        if (streamsEnded > 0) throw new Error(`a produce stream failed before the kill, after ${acked} acknowledged records`);
        if (Date.now() > deadline) throw new Error(`only ${acked} of 2000 records acknowledged within 30 s`);
        await new Promise((r) => setTimeout(r, 5));
      }
      child.child.kill('SIGKILL');
      const ackedPerPartition = await Promise.all(streams);
      await child.exited;

      // restart on the same directory: every acknowledged record is there, dense and in order
      const broker = await startTestBroker({ dataDir });
      try {
        for (const partition of [0, 1]) {
          const log = broker.engine.partition('crash', partition)!;
          const stored = log.readRecords(0n, 1_000_000).map((r) => r.value!.toString());
          expect(stored.length).toBeGreaterThanOrEqual(ackedPerPartition[partition]);
          // nothing torn, nothing reordered: the stored log is exactly the first N values produced
          expect(stored).toEqual(Array.from({ length: stored.length }, (_, i) => `p${partition}-${i}`));
        }
        // and the log takes new writes after recovery
        const kafka2 = broker.kafka();
        const p2 = kafka2.producer();
        await p2.connect();
        const [res] = await p2.send({ topic: 'crash', acks: -1, messages: [{ value: 'after', partition: 0 }] });
        await p2.disconnect();
        expect(BigInt(res.baseOffset!)).toBe(broker.engine.partition('crash', 0)!.highWatermark - 1n);
      } finally {
        await broker.close();
      }
    } finally {
      child.child.kill('SIGKILL');
      await child.exited;
      await producer?.disconnect().catch(() => {});
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
