import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBroker, type TestBroker } from './helpers/broker.js';
import { hasPythonModule, runPythonClient } from './helpers/python.js';

const hasKafkaPython = hasPythonModule('kafka');

describe.skipIf(!hasKafkaPython)('kafka-python 2.0.2 (python3-kafka) against streamlog', () => {
  let broker: TestBroker;
  beforeAll(async () => {
    broker = await startTestBroker();
  });
  afterAll(async () => {
    await broker?.destroy();
  });

  it('creates a topic, produces, consumes in a group, commits, resumes, lists and describes groups and configs', async () => {
    const out = await runPythonClient<Record<string, unknown>>('kafka_python_flow.py', [broker.brokers, 'kp-topic']);
    expect(out.topics).toEqual(['kp-topic']);
    expect(out.first).toEqual(Array.from({ length: 20 }, (_, i) => `v${i}`));
    expect(out.committed).toEqual({ '0': 10, '1': 10 });
    expect(out.resumed).toEqual(['v20', 'v21', 'v22', 'v23']);
    expect(out.groups).toEqual(['kp-group']);
    expect(out.describedState).toBe('Empty');
    expect(out.groupOffsets).toEqual([[0, 12], [1, 12]]);
    expect(out.configNames).toEqual(['cleanup.policy', 'retention.ms']);
  });
});
