import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { startStreamlog, type StreamlogHandle } from '@riderflow/streamlog';
import { keyForEvent, parseEvent, TOPICS, topicForEvent, type LogEvent } from '@riderflow/contracts';
import { buildProgram, resolveOptions } from '../src/cli/options.js';
import { runSimulation } from '../src/run.js';

describe('a short run against an in-process streamlog', () => {
  let dir: string;
  let log: StreamlogHandle;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-sim-log-'));
    log = await startStreamlog({ port: 0, dataDir: dir, durability: 'none' });
  });
  afterAll(async () => {
    await log?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('produces the expected topics, keys, timestamps and counts, read back with kafkajs', async () => {
    const program = buildProgram({}).exitOverride();
    program.parse(['--brokers', log.brokers, '--no-amqp', '--speed', 'max', '--riders', '40', '--stores', '15', '--zones', '9', '--duration', '40m', '--seed', 'log-test', '--quiet'], { from: 'user' });
    const generated: LogEvent[] = [];
    const lines: string[] = [];
    const summary = await runSimulation(resolveOptions(program), { info: (l) => lines.push(l), progress: () => {}, onEvents: (evs) => generated.push(...evs) });
    expect(lines.some((l) => /^digest [0-9a-f]{16}/.test(l))).toBe(true);
    expect(summary.eventsSent).toBe(generated.length);
    expect(generated.length).toBeGreaterThan(500);

    const expectedByTopic: Record<string, number> = {};
    for (const e of generated) expectedByTopic[topicForEvent(e)] = (expectedByTopic[topicForEvent(e)] ?? 0) + 1;
    expect(Object.keys(expectedByTopic).sort()).toEqual(['order.events', 'rider.location', 'rider.shifts', 'weather.updates']);
    expect(summary.sentByTopic).toEqual(expectedByTopic);

    const kafka = new Kafka({ clientId: 'sim-test', brokers: [log.brokers], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const meta = await admin.fetchTopicMetadata({ topics: Object.keys(TOPICS) });
    for (const t of meta.topics) expect(t.partitions.length).toBe(TOPICS[t.name as keyof typeof TOPICS].partitions);
    await admin.disconnect();

    const consumer = kafka.consumer({ groupId: 'sim-test-reader' });
    const seen: { topic: string; partition: number; key: string; ts: string; event: LogEvent }[] = [];
    const bad: string[] = [];
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: Object.keys(expectedByTopic), fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ topic, partition, message }) => {
          const p = parseEvent(message.value);
          if (!p.ok) { bad.push(p.reason); return; }
          seen.push({ topic, partition, key: message.key!.toString(), ts: message.timestamp, event: p.event });
        },
      });
      const deadline = Date.now() + 40_000;
      while (seen.length + bad.length < generated.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    } finally {
      await consumer.disconnect();
    }
    expect(bad).toEqual([]);
    expect(new Set(seen.map((x) => x.event.id)).size).toBe(seen.length); // no duplicates
    expect(seen.length).toBe(generated.length);
    const gotByTopic: Record<string, number> = {};
    for (const s of seen) {
      gotByTopic[s.topic] = (gotByTopic[s.topic] ?? 0) + 1;
      expect(s.topic).toBe(topicForEvent(s.event));
      expect(s.key).toBe(keyForEvent(s.event)); // keyed by entity id
      expect(s.ts).toBe(String(s.event.ts)); // record timestamp = simulated time
    }
    expect(gotByTopic).toEqual(expectedByTopic);
    // One entity, one partition, in order: per-entity order holds.
    const partitionOf = new Map<string, number>();
    const lastTs = new Map<string, number>();
    for (const s of seen.filter((x) => x.topic === 'rider.location')) {
      expect(partitionOf.get(s.key) ?? s.partition).toBe(s.partition);
      partitionOf.set(s.key, s.partition);
      expect(s.event.ts).toBeGreaterThanOrEqual(lastTs.get(s.key) ?? 0);
      lastTs.set(s.key, s.event.ts);
    }
    expect(new Set(seen.filter((x) => x.topic === 'rider.location').map((x) => x.partition)).size).toBeGreaterThan(1);
  });
});
