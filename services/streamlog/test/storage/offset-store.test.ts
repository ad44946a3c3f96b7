import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openLogEngine, type LogEngine } from '../../src/storage/index.js';
import { removeDir, tempDir } from './helpers.js';

let dir: string;
let engine: LogEngine;

beforeEach(async () => {
  dir = tempDir();
  engine = await openLogEngine({ dataDir: dir });
});
afterEach(async () => {
  await engine.close();
  removeDir(dir);
});

describe('committed group offsets', () => {
  it('commit, fetch, list and groups; the latest commit wins', async () => {
    const o = engine.offsets;
    expect(o.fetch('g1', 't', 0)).toBeNull();
    await o.commit('g1', [
      { topic: 't', partition: 0, offset: 5n, metadata: null },
      { topic: 't', partition: 1, offset: 7n, metadata: 'meta' },
    ]);
    await o.commit('g1', [{ topic: 't', partition: 0, offset: 9n, metadata: 'later' }]);
    await o.commit('g2', [{ topic: 'u', partition: 3, offset: 1n, metadata: null }]);
    expect(o.fetch('g1', 't', 0)).toMatchObject({ offset: 9n, metadata: 'later' });
    expect(o.fetch('g1', 't', 0)!.commitTimestamp).toBeGreaterThan(0n);
    expect(o.fetch('g1', 't', 1)).toMatchObject({ offset: 7n, metadata: 'meta' });
    expect(o.list('g1').map((e) => [e.topic, e.partition, e.committed.offset]).sort()).toEqual([
      ['t', 0, 9n],
      ['t', 1, 7n],
    ]);
    expect(o.groups().sort()).toEqual(['g1', 'g2']);
  });

  it('survives a restart, including deleteGroup, and compacts its journal on open', async () => {
    for (let i = 0; i < 50; i++) await engine.offsets.commit('busy', [{ topic: 't', partition: 0, offset: BigInt(i), metadata: null }]);
    await engine.offsets.commit('doomed', [{ topic: 't', partition: 0, offset: 3n, metadata: null }]);
    await engine.offsets.deleteGroup('doomed');
    const file = path.join(dir, 'consumer-offsets.jsonl');
    const linesBefore = fs.readFileSync(file, 'utf8').trim().split('\n').length;
    await engine.close();
    engine = await openLogEngine({ dataDir: dir });
    expect(engine.offsets.fetch('busy', 't', 0)?.offset).toBe(49n);
    expect(engine.offsets.fetch('doomed', 't', 0)).toBeNull();
    expect(engine.offsets.groups()).toEqual(['busy']);
    const linesAfter = fs.readFileSync(file, 'utf8').trim().split('\n').length;
    expect(linesBefore).toBe(52);
    expect(linesAfter).toBe(1);
  });

  it('ignores a torn last journal line left by a crash', async () => {
    await engine.offsets.commit('g', [{ topic: 't', partition: 0, offset: 11n, metadata: null }]);
    await engine.close();
    fs.appendFileSync(path.join(dir, 'consumer-offsets.jsonl'), '{"g":"g","t":"t","p":0,"o":"9');
    engine = await openLogEngine({ dataDir: dir });
    expect(engine.offsets.fetch('g', 't', 0)?.offset).toBe(11n);
    await engine.offsets.commit('g', [{ topic: 't', partition: 0, offset: 12n, metadata: null }]);
    await engine.close();
    engine = await openLogEngine({ dataDir: dir });
    expect(engine.offsets.fetch('g', 't', 0)?.offset).toBe(12n);
  });

  it('deleting a topic forgets its committed offsets but keeps the group others', async () => {
    await engine.createTopic('a');
    await engine.createTopic('b');
    await engine.offsets.commit('g', [
      { topic: 'a', partition: 0, offset: 1n, metadata: null },
      { topic: 'b', partition: 0, offset: 2n, metadata: null },
    ]);
    await engine.deleteTopic('a');
    expect(engine.offsets.fetch('g', 'a', 0)).toBeNull();
    expect(engine.offsets.fetch('g', 'b', 0)?.offset).toBe(2n);
    await engine.close();
    engine = await openLogEngine({ dataDir: dir });
    expect(engine.offsets.fetch('g', 'a', 0)).toBeNull();
    expect(engine.offsets.fetch('g', 'b', 0)?.offset).toBe(2n);
  });
});
