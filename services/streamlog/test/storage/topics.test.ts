import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLogEngine, StorageError, type LogEngine } from '../../src/storage/index.js';
import { removeDir, tempDir } from './helpers.js';

let dir: string;
let engine: LogEngine;

beforeEach(async () => {
  dir = tempDir();
  engine = await openLogEngine({ dataDir: dir, defaults: { partitions: 2 } });
});
afterEach(async () => {
  await engine.close();
  removeDir(dir);
});

describe('topics', () => {
  it('creates topics with defaults, lists them and persists them in topics.json', async () => {
    const info = await engine.createTopic('rider.location');
    expect(info).toEqual({ name: 'rider.location', id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/), config: { partitions: 2, retentionMs: 604_800_000, retentionBytes: -1, segmentBytes: 67_108_864, cleanupPolicy: 'delete', segmentMs: 604_800_000, minCleanableDirtyRatio: 0.5, deleteRetentionMs: 86_400_000 } });
    await engine.createTopic('order_events-v1', { partitions: 4, retentionBytes: 1_000_000 });
    expect(engine.listTopics().map((t) => [t.name, t.config.partitions]).sort()).toEqual([
      ['order_events-v1', 4],
      ['rider.location', 2],
    ]);
    expect(engine.partition('order_events-v1', 3)).toBeDefined();
    expect(engine.partition('order_events-v1', 4)).toBeUndefined();
    expect(engine.partition('nope', 0)).toBeUndefined();
    const saved = JSON.parse(fs.readFileSync(path.join(dir, 'topics.json'), 'utf8'));
    expect(saved.topics.map((t: { name: string }) => t.name).sort()).toEqual(['order_events-v1', 'rider.location']);
    // the topic id is persisted with the topic
    expect(saved.topics.find((t: { name: string }) => t.name === 'rider.location').id).toBe(info.id);
    for (let p = 0; p < 4; p++) expect(fs.existsSync(path.join(dir, `order_events-v1-${p}`, '00000000000000000000.log'))).toBe(true);
  });

  it.each([
    ['', /empty/],
    ['.', /cannot be/],
    ['..', /cannot be/],
    ['a'.repeat(250), /longer than 249/],
    ['with space', /characters/],
    ['slash/inside', /characters/],
    ['ünïcode', /characters/],
  ])('rejects the topic name %j with INVALID_TOPIC_EXCEPTION', async (name, message) => {
    await expect(engine.createTopic(name)).rejects.toMatchObject({ kafkaError: 'INVALID_TOPIC_EXCEPTION', message: expect.stringMatching(message) });
    expect(engine.listTopics()).toEqual([]);
  });

  it('accepts a 249-character name', async () => {
    await engine.createTopic('x'.repeat(249), { partitions: 1 });
    expect(engine.topic('x'.repeat(249))).toBeDefined();
  });

  it('refuses duplicates, bad partition counts and bad configs with Kafka error names', async () => {
    await engine.createTopic('dup');
    await expect(engine.createTopic('dup')).rejects.toMatchObject({ kafkaError: 'TOPIC_ALREADY_EXISTS' });
    await expect(engine.createTopic('p0', { partitions: 0 })).rejects.toMatchObject({ kafkaError: 'INVALID_PARTITIONS' });
    await expect(engine.createTopic('p1', { partitions: 1.5 })).rejects.toMatchObject({ kafkaError: 'INVALID_PARTITIONS' });
    await expect(engine.createTopic('seg', { segmentBytes: 10 })).rejects.toMatchObject({ kafkaError: 'INVALID_CONFIG' });
    await expect(engine.createTopic('ret', { retentionMs: -5 })).rejects.toMatchObject({ kafkaError: 'INVALID_CONFIG' });
    await expect(engine.deleteTopic('missing')).rejects.toMatchObject({ kafkaError: 'UNKNOWN_TOPIC_OR_PARTITION' });
    expect(engine.listTopics().map((t) => t.name)).toEqual(['dup']);
  });

  it('deleteTopic removes its files, releases waiters and survives a restart', async () => {
    await engine.createTopic('tmp');
    await engine.createTopic('stay');
    const log = engine.partition('tmp', 1)!;
    await log.append([{ key: null, value: Buffer.from('x'), timestamp: 1n }]);
    const waiting = log.waitForData(5n, new AbortController().signal);
    await engine.deleteTopic('tmp');
    await waiting;
    expect(fs.existsSync(path.join(dir, 'tmp-0'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'tmp-1'))).toBe(false);
    expect(engine.topic('tmp')).toBeUndefined();
    await expect(log.append([{ key: null, value: null, timestamp: 1n }])).rejects.toMatchObject({ kafkaError: 'KAFKA_STORAGE_ERROR' });
    await engine.close();
    engine = await openLogEngine({ dataDir: dir });
    expect(engine.listTopics().map((t) => t.name)).toEqual(['stay']);
  });

  it('refuses a corrupt topics.json with a StorageError naming the file', async () => {
    await engine.createTopic('kept');
    await engine.close();
    const file = path.join(dir, 'topics.json');
    fs.writeFileSync(file, '{"version":1,"topics":[{"name":"kept"'); // torn write
    const opening = openLogEngine({ dataDir: dir });
    await expect(opening).rejects.toBeInstanceOf(StorageError);
    await expect(opening).rejects.toMatchObject({ kafkaError: 'KAFKA_STORAGE_ERROR', message: expect.stringContaining(`${file} is not valid JSON`) });
    // afterEach closes `engine` again; give it a healthy one
    fs.writeFileSync(file, JSON.stringify({ version: 1, topics: [] }));
    engine = await openLogEngine({ dataDir: dir });
  });
});

