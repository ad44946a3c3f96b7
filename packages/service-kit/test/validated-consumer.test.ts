import fs from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { startStreamlog, type StreamlogHandle } from '@riderflow/streamlog';
import { parseEvent, TOPICS, type LogEvent } from '@riderflow/contracts';
import { validEvents } from '@riderflow/contracts/examples';
import { encodeEvent, ensureTopics, runValidatedConsumer } from '../src/index.js';

describe('runValidatedConsumer against the embedded log', () => {
  let dir: string;
  let log: StreamlogHandle;
  let kafka: Kafka;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rf-contracts-log-'));
    log = await startStreamlog({ port: 0, dataDir: dir, durability: 'none' });
    kafka = new Kafka({ clientId: 'contracts-test', brokers: [log.brokers], logLevel: logLevel.NOTHING });
  });
  afterAll(async () => {
    await log?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('ensureTopics creates every topic with its partitions, idempotently', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      await ensureTopics(admin);
      await ensureTopics(admin);
      const meta = await admin.fetchTopicMetadata({ topics: Object.keys(TOPICS) });
      for (const t of meta.topics) expect(t.partitions.length).toBe(TOPICS[t.name as keyof typeof TOPICS].partitions);
    } finally {
      await admin.disconnect();
    }
  });

  it('dead-letters bad messages with reason and offset, and still handles the good ones behind them', async () => {
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const created = validEvents.find((e) => e.type === 'order.created')!;
    const ready = validEvents.find((e) => e.type === 'order.ready')!;
    const weather = validEvents.find((e) => e.type === 'weather.updated')!;
    // All on partition-key o1 of order.events, so they are consumed strictly in this order.
    await producer.send({
      topic: 'order.events',
      messages: [
        { key: 'o1', value: encodeEvent(created) },
        { key: 'o1', value: 'this is not json' },
        { key: 'o1', value: JSON.stringify({ ...ready, storeId: 42 }) },
        { key: 'o1', value: encodeEvent(weather) }, // valid event, wrong topic
        { key: 'o1', value: encodeEvent({ ...ready, id: 'boom' }) }, // handler throws for this one
        { key: 'o1', value: encodeEvent(ready) },
      ],
    });
    const handled: LogEvent[] = [];
    const consumer = await runValidatedConsumer({
      kafka,
      groupId: 'contracts-test-group',
      topics: ['order.events'],
      fromBeginning: true,
      deadLetterProducer: producer,
      handle: (e) => {
        if (e.id === 'boom') throw new Error('kaboom');
        handled.push(e);
      },
    });
    const deadConsumer = kafka.consumer({ groupId: 'contracts-test-dead-reader' });
    const dead: LogEvent[] = [];
    try {
      await deadConsumer.connect();
      await deadConsumer.subscribe({ topics: ['events.dead'], fromBeginning: true });
      await deadConsumer.run({ eachMessage: async ({ message }) => { const p = parseEvent(message.value); if (p.ok) dead.push(p.event); } });
      const deadline = Date.now() + 30_000;
      while ((handled.length < 2 || dead.length < 4) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(handled.map((e) => e.type)).toEqual(['order.created', 'order.ready']);
      const reasons = dead.map((d) => (d.type === 'event.dead' ? [d.offset, d.reason, d.sourceTopic, d.consumerGroup] : []));
      expect(reasons.map((r) => r[2])).toEqual(['order.events', 'order.events', 'order.events', 'order.events']);
      expect(reasons.map((r) => r[3])).toEqual(Array(4).fill('contracts-test-group'));
      const offsets = reasons.map((r) => r[0]);
      const base = Number(offsets[0]);
      expect(offsets).toEqual([base, base + 1, base + 2, base + 3].map(String));
      expect(reasons[0][1]).toMatch(/not JSON/);
      expect(reasons[1][1]).toMatch(/storeId/);
      expect(reasons[2][1]).toMatch(/does not belong on topic/);
      expect(reasons[3][1]).toMatch(/handler failed: kaboom/);
      const firstDead = dead[0];
      expect(firstDead.type === 'event.dead' && firstDead.payload).toBe('this is not json');
      expect(firstDead).toMatchObject({ sourceKey: 'o1', sourceKeyEncoding: 'utf8' });
    } finally {
      await deadConsumer.disconnect();
      await consumer.disconnect();
      await producer.disconnect();
    }
  });

  // A record from a client we did not write (kcat, librdkafka): its key and headers, a repeated
  // name, an empty and a null value among them, must survive into the dead letter, or the evidence
  // of who sent it is gone once the source topic's retention deletes the record.
  it.skipIf(spawnSync('kcat', ['-V']).status !== 0)('keeps a bad record’s key and headers, byte for byte, in its dead letter', async () => {
    const topic = 'weather.updates';
    // asynchronously: the broker runs in this process and must answer kcat meanwhile
    const kcat = spawn('kcat', ['-b', log.brokers, '-P', '-t', topic, '-p', '0', '-k', 'zone-7 ключ', '-H', 'trace-id=abc123', '-H', 'hop=one', '-H', 'hop=two', '-H', 'empty=', '-H', 'nothing'], { timeout: 60_000 });
    let stderr = '';
    kcat.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    kcat.stdin.end('not json from kcat\n');
    const code = await new Promise((resolve) => kcat.once('close', resolve));
    expect(code, stderr).toBe(0);
    const producer = kafka.producer();
    await producer.connect();
    const consumer = await runValidatedConsumer({
      kafka,
      groupId: 'contracts-test-kcat',
      topics: [topic],
      fromBeginning: true,
      deadLetterProducer: producer,
      handle: () => {},
    });
    const reader = kafka.consumer({ groupId: 'contracts-test-kcat-dead-reader' });
    const dead: LogEvent[] = [];
    try {
      await reader.connect();
      await reader.subscribe({ topics: ['events.dead'], fromBeginning: true });
      await reader.run({ eachMessage: async ({ message }) => { const p = parseEvent(message.value); if (p.ok && p.event.type === 'event.dead' && p.event.consumerGroup === 'contracts-test-kcat') dead.push(p.event); } });
      const deadline = Date.now() + 30_000;
      while (dead.length < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(dead).toHaveLength(1);
      expect(dead[0]).toMatchObject({
        sourceTopic: topic,
        payload: 'not json from kcat',
        sourceKey: 'zone-7 ключ',
        sourceKeyEncoding: 'utf8',
        sourceHeaders: [
          { name: 'trace-id', value: 'abc123', encoding: 'utf8' },
          { name: 'hop', value: 'one', encoding: 'utf8' },
          { name: 'hop', value: 'two', encoding: 'utf8' },
          { name: 'empty', value: '', encoding: 'utf8' },
          { name: 'nothing', value: null, encoding: 'utf8' },
        ],
      });
    } finally {
      await reader.disconnect();
      await consumer.disconnect();
      await producer.disconnect();
    }
  });
});
