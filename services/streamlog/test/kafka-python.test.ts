import { describe, expect, it } from 'vitest';
import { useTestBroker } from './helpers/broker.js';
import { hasPythonModule, runPythonClient } from './helpers/python.js';

const hasKafkaPython = hasPythonModule('kafka');

describe.skipIf(!hasKafkaPython)('kafka-python 2.0.2 (python3-kafka) against streamlog', () => {
  const broker = useTestBroker();

  it('creates a topic, produces, consumes in a group, commits, resumes, lists/describes/deletes groups, alters retention', async () => {
    const out = await runPythonClient<Record<string, unknown>>('kafka_python_flow.py', [broker().brokers, 'kp-topic']);
    expect(out.topics).toEqual(['kp-topic']);
    expect(out.first).toEqual(Array.from({ length: 20 }, (_, i) => `v${i}`));
    expect(out.committed).toEqual({ '0': 10, '1': 10 });
    expect(out.resumed).toEqual(['v20', 'v21', 'v22', 'v23']);
    expect(out.groups).toEqual(['kp-group']);
    expect(out.describedState).toBe('Empty');
    expect(out.groupOffsets).toEqual([[0, 12], [1, 12]]);
    expect(out.configs).toEqual([['cleanup.policy', 'delete'], ['retention.ms', '7200000']]);
    expect(broker().engine.topic('kp-topic')?.config.retentionMs).toBe(7_200_000);
    expect(out.deleteGroups).toEqual([['kp-group', 0]]);
    expect(out.groupsAfterDelete).toEqual([]);
  });
});
