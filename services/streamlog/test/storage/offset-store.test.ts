import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLogEngine } from '../../src/storage/index.js';
import { useEngine } from './helpers.js';

const t = useEngine();

describe('committed group offsets', () => {
  it('commit, fetch, list and groups; the latest commit wins', async () => {
    const o = t.engine.offsets;
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
    for (let i = 0; i < 50; i++) await t.engine.offsets.commit('busy', [{ topic: 't', partition: 0, offset: BigInt(i), metadata: null }]);
    await t.engine.offsets.commit('doomed', [{ topic: 't', partition: 0, offset: 3n, metadata: null }]);
    await t.engine.offsets.deleteGroup('doomed');
    const file = path.join(t.dir, 'consumer-offsets.jsonl');
    const linesBefore = fs.readFileSync(file, 'utf8').trim().split('\n').length;
    await t.engine.close();
    t.engine = await openLogEngine({ dataDir: t.dir });
    expect(t.engine.offsets.fetch('busy', 't', 0)?.offset).toBe(49n);
    expect(t.engine.offsets.fetch('doomed', 't', 0)).toBeNull();
    expect(t.engine.offsets.groups()).toEqual(['busy']);
    const linesAfter = fs.readFileSync(file, 'utf8').trim().split('\n').length;
    expect(linesBefore).toBe(52);
    expect(linesAfter).toBe(1);
  });

  it('ignores a torn last journal line left by a crash', async () => {
    await t.engine.offsets.commit('g', [{ topic: 't', partition: 0, offset: 11n, metadata: null }]);
    await t.engine.close();
    fs.appendFileSync(path.join(t.dir, 'consumer-offsets.jsonl'), '{"g":"g","t":"t","p":0,"o":"9');
    t.engine = await openLogEngine({ dataDir: t.dir });
    expect(t.engine.offsets.fetch('g', 't', 0)?.offset).toBe(11n);
    await t.engine.offsets.commit('g', [{ topic: 't', partition: 0, offset: 12n, metadata: null }]);
    await t.engine.close();
    t.engine = await openLogEngine({ dataDir: t.dir });
    expect(t.engine.offsets.fetch('g', 't', 0)?.offset).toBe(12n);
  });

  it('deleting a topic forgets its committed offsets but keeps the group others', async () => {
    await t.engine.createTopic('a');
    await t.engine.createTopic('b');
    await t.engine.offsets.commit('g', [
      { topic: 'a', partition: 0, offset: 1n, metadata: null },
      { topic: 'b', partition: 0, offset: 2n, metadata: null },
    ]);
    await t.engine.deleteTopic('a');
    expect(t.engine.offsets.fetch('g', 'a', 0)).toBeNull();
    expect(t.engine.offsets.fetch('g', 'b', 0)?.offset).toBe(2n);
    await t.engine.close();
    t.engine = await openLogEngine({ dataDir: t.dir });
    expect(t.engine.offsets.fetch('g', 'a', 0)).toBeNull();
    expect(t.engine.offsets.fetch('g', 'b', 0)?.offset).toBe(2n);
  });
});
