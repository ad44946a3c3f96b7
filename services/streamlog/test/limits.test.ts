import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { tempDir, startTestBroker, waitFor } from './helpers/broker.js';
import { startChildBroker, type ChildBroker } from './helpers/child-broker.js';
import { rawConnect } from './helpers/raw-client.js';
import { codec } from './protocol/fixtures.js';
import { Reader } from '../src/protocol/primitives/reader.js';
import { Writer } from '../src/protocol/primitives/writer.js';
import { ApiKey } from '../src/protocol/api-keys.js';
import { ErrorCode } from '../src/protocol/error-codes.js';

const kafkaFor = (brokers: string) => new Kafka({ clientId: 'limits-test', brokers: [brokers], logLevel: logLevel.NOTHING, retry: { retries: 2, initialRetryTime: 50 } });

const createTopicsV4 = codec('CreateTopics', 4);

/** a topic creation's outcome with the broker's own message (kafkajs shows only its text for the code) */
async function createError(brokers: string, topic: string, numPartitions: number): Promise<{ type?: string; message: string } | null> {
  const raw = await rawConnect(Number(brokers.split(':').pop()));
  try {
    const w = new Writer();
    createTopicsV4.encodeRequest(w, { topics: [{ name: topic, numPartitions, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 30_000, validateOnly: false });
    const res = createTopicsV4.decodeResponse(new Reader(await raw.request(ApiKey.CreateTopics, 4, w.toBuffer()))) as { topics: { errorCode: number; errorMessage: string | null }[] };
    const { errorCode, errorMessage } = res.topics[0];
    if (errorCode === 0) return null;
    return { type: Object.entries(ErrorCode).find(([, c]) => c === errorCode)?.[0], message: errorMessage ?? '' };
  } finally {
    raw.destroy();
  }
}

async function roundTrip(brokers: string, topic: string): Promise<string[]> {
  const kafka = kafkaFor(brokers);
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: [{ value: 'still-serving' }] });
  await producer.disconnect();
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  return offsets.map((o) => o.high);
}

const partitionDirs = (dataDir: string, topic: string) => fs.readdirSync(dataDir).filter((f) => f.startsWith(`${topic}-`));

describe('limits', () => {
  let child: ChildBroker | undefined;
  afterEach(async () => {
    child?.child.kill('SIGKILL');
    await child?.exited;
    child = undefined;
  });

  it('with 400 file descriptors, a 400-partition topic is refused by the partition budget, and the broker keeps serving', async () => {
    const dataDir = tempDir();
    child = await startChildBroker(['--data-dir', dataDir, '--no-fsync'], 90_000, 400);
    const err = await createError(child.brokers, 't-big', 400);
    expect(err?.type).toBe('POLICY_VIOLATION');
    expect(err?.message).toMatch(/allows \d+ in total/);
    expect(err?.message).not.toContain(dataDir);
    expect(partitionDirs(dataDir, 't-big')).toEqual([]);
    expect(await createError(child.brokers, 'small', 3)).toBeNull();
    expect(await roundTrip(child.brokers, 'small')).toContain('1');
  });

  it('with 256 file descriptors: sealed segments hold none, topics fill the budget exactly, one more partition is refused, and the broker keeps serving', async () => {
    const dataDir = tempDir();
    child = await startChildBroker(['--data-dir', dataDir, '--no-fsync'], 90_000, 256);
    const openFds = () => fs.readdirSync(`/proc/${child!.child.pid}/fd`).length;
    const kafka = kafkaFor(child.brokers);
    const admin = kafka.admin();
    await admin.connect();
    try {
      // 300 segments in one partition: more than the whole descriptor limit if sealed ones kept theirs
      await admin.createTopics({ topics: [{ topic: 'rolled', numPartitions: 1, configEntries: [{ name: 'segment.bytes', value: '1024' }] }] });
      const producer = kafka.producer();
      await producer.connect();
      const value = Buffer.alloc(700, 'v');
      let sent = 0;
      await Promise.all(
        Array.from({ length: 10 }, async () => {
          while (sent < 300) {
            sent++;
            await producer.send({ topic: 'rolled', acks: 1, messages: [{ value }] });
          }
        }),
      );
      await producer.disconnect();
      expect(fs.readdirSync(path.join(dataDir, 'rolled-0')).filter((f) => f.endsWith('.log')).length).toBeGreaterThanOrEqual(300);
      expect(openFds()).toBeLessThan(100);

      // the budget, as the broker states it, is filled exactly; one partition more is refused
      const probe = await createError(child.brokers, 'probe', 5_000);
      expect(probe?.type).toBe('POLICY_VIOLATION');
      const budget = Number(/allows (\d+) in total/.exec(probe!.message)?.[1]);
      expect(budget).toBe(256 - 64); // one descriptor per partition after the reserve
      expect(await createError(child.brokers, 'fill', budget - 1)).toBeNull();
      const over = await createError(child.brokers, 'over', 1);
      expect(over?.type).toBe('POLICY_VIOLATION');
      expect(over?.message).toMatch(new RegExp(`holds ${budget} partitions and allows ${budget} in total`));
      expect(over?.message).not.toContain(dataDir);
      expect(partitionDirs(dataDir, 'over')).toEqual([]);
      expect(openFds()).toBeLessThan(256);

      // still serving: new connections, produce into the full set, and a read across every sealed segment
      expect(await roundTrip(child.brokers, 'fill')).toContain('1');
      const consumer = kafka.consumer({ groupId: 'limits-rolled' });
      await consumer.connect();
      await consumer.subscribe({ topic: 'rolled', fromBeginning: true });
      let consumed = 0;
      await new Promise<void>((resolve) => {
        void consumer.run({ eachMessage: async () => void (++consumed >= 300 && resolve()) });
      });
      await consumer.disconnect();
      expect(consumed).toBe(300);
      expect(openFds()).toBeLessThan(256);
    } finally {
      await admin.disconnect();
    }
  });

  it('when the files run out anyway, the creation rolls back completely and names no path', async () => {
    const dataDir = tempDir();
    // a budget above what 400 descriptors allow, so the creation itself hits EMFILE
    child = await startChildBroker(['--data-dir', dataDir, '--no-fsync', '--max-partitions', '100000'], 90_000, 400);
    const err = await createError(child.brokers, 't-big', 400);
    expect(err?.type).toBe('KAFKA_STORAGE_ERROR');
    expect(err?.message).toMatch(/run out of file descriptors/);
    expect(err?.message).not.toContain(dataDir);
    expect(err?.message).not.toContain('/');
    expect(partitionDirs(dataDir, 't-big')).toEqual([]);
    // every descriptor came back: new connections work and a 100-partition topic fits
    expect(await createError(child.brokers, 'after', 100)).toBeNull();
    expect(await roundTrip(child.brokers, 'after')).toHaveLength(100);
    // and after a restart nothing of the failed topic is left
    child.child.kill('SIGKILL');
    await child.exited;
    child = await startChildBroker(['--data-dir', dataDir, '--no-fsync'], 90_000);
    expect(partitionDirs(dataDir, 't-big')).toEqual([]);
    const admin = kafkaFor(child.brokers).admin();
    await admin.connect();
    expect((await admin.listTopics()).sort()).toEqual(['after']);
    await admin.disconnect();
  });

  it('refuses topic names that collide in metric names', async () => {
    const broker = await startTestBroker();
    try {
      expect(await createError(broker.brokers, 'a.b_c-d', 1)).toBeNull();
      const err = await createError(broker.brokers, 'a_b_c-d', 1);
      expect(err?.type).toBe('INVALID_TOPIC_EXCEPTION');
      expect(err?.message).toMatch(/collides/);
    } finally {
      await broker.destroy();
    }
  });

  it('closes idle connections, sooner before SASL authentication', async () => {
    const broker = await startTestBroker({ saslUsers: { u: 'p' }, preAuthIdleMs: 300, connectionsMaxIdleMs: 60_000 });
    try {
      const raw = await rawConnect(broker.port);
      const started = Date.now();
      await raw.closed;
      expect(Date.now() - started).toBeLessThan(30_000);
    } finally {
      await broker.destroy();
    }
    const open = await startTestBroker({ connectionsMaxIdleMs: 1_000 });
    try {
      const raw = await rawConnect(open.port);
      let closed = false;
      void raw.closed.then(() => (closed = true));
      await waitFor(() => closed, 30_000, 'idle connection closed');
    } finally {
      await open.destroy();
    }
  });
});
