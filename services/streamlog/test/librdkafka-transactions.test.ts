import { describe, expect, it } from 'vitest';
import { useTestBroker } from './helpers/broker.js';
import { hasPythonModule, runPythonClient } from './helpers/python.js';

const hasConfluentKafka = hasPythonModule('confluent_kafka');

describe.skipIf(!hasConfluentKafka)('librdkafka transactional producer (python3-confluent-kafka) against streamlog', () => {
  const broker = useTestBroker();

  it('commits, aborts, sends offsets with the transaction and is fenced as a zombie', async () => {
    const out = await runPythonClient<Record<string, unknown>>('confluent_kafka_transactions.py', [broker().brokers, 'ck-tx-topic'], 150_000);
    const committed = ['committed-0', 'committed-1', 'committed-2', 'out-in-0', 'out-in-1', 'out-in-2', 'out-in-3', 'successor'];
    expect(out.readCommitted).toEqual(committed);
    // read_uncommitted also sees the aborted records and the fenced zombie's (aborted) one
    expect([...(out.readUncommitted as string[])].sort()).toEqual([...committed, 'aborted-0', 'aborted-1', 'zombie'].sort());
    expect(out.committedInput).toEqual([4]);
    expect(out.zombieCommit).toMatch(/FENCED|EPOCH/);
    const log = broker().engine.partition('ck-tx-topic', 0)!;
    expect(log.lastStableOffset).toBe(log.highWatermark);
  }, 180_000);
});
