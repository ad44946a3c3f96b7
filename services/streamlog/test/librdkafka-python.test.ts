import { describe, expect, it } from 'vitest';
import { useTestBroker } from './helpers/broker.js';
import { hasPythonModule, runPythonClient } from './helpers/python.js';

const hasConfluentKafka = hasPythonModule('confluent_kafka');

describe.skipIf(!hasConfluentKafka)('confluent-kafka / librdkafka (python3-confluent-kafka) against streamlog', () => {
  const broker = useTestBroker();

  it('produces with enable.idempotence, consumes in a group, commits, resumes, lists groups and alters retention', async () => {
    const out = await runPythonClient<Record<string, unknown>>('confluent_kafka_flow.py', [broker().brokers, 'ck-topic'], 150_000);
    expect(out.produceErrors).toEqual([]);
    expect(out.unflushed).toBe(0);
    expect(out.firstCount).toBe(50);
    expect(out.committed).toEqual([[0, 25], [1, 25]]);
    expect(out.resumed).toEqual(['v50', 'v51', 'v52', 'v53']);
    expect(out.groups).toEqual(['ck-group']);
    expect(out.retention).toBe('3600000');
    // every record once: idempotent batches carry a producer id, and nothing was written twice
    const values = [0, 1].flatMap((p) => broker().engine.partition('ck-topic', p)!.readRecords(0n, 1000).map((r) => r.value!.toString()));
    expect(values.sort()).toEqual(Array.from({ length: 54 }, (_, i) => `v${i}`).sort());
    const firstBatch = broker().engine.partition('ck-topic', 0)!.read(0n, 1024).data;
    expect(firstBatch.readBigInt64BE(43)).toBeGreaterThanOrEqual(0n); // the producer id InitProducerId gave
    expect(firstBatch.readInt32BE(53)).toBe(0); // its first sequence
  }, 180_000);
});
