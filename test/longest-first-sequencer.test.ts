import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TestSpecification, Vitest } from 'vitest/node';
import LongestFirstSequencer from './longest-first-sequencer.js';

// The order the suite's files start in: the committed durations on a fresh clone (no results
// cache), the longer of committed and cached where both exist, unknown files after the long ones.

const root = mkdtempSync(path.join(os.tmpdir(), 'rf-sequencer-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function sequencer(committed: Record<string, number>, cached: Record<string, number> = {}, sizes: Record<string, number> = {}) {
  mkdirSync(path.join(root, 'test'), { recursive: true });
  writeFileSync(path.join(root, 'test/file-durations.json'), JSON.stringify({ measured: 'test', files: committed }));
  const rel = (key: string) => key.slice(key.indexOf(':') + 1);
  const ctx = {
    config: { root, shard: undefined },
    cache: {
      getFileTestResults: (key: string) => (rel(key) in cached ? { duration: cached[rel(key)], failed: false } : undefined),
      getFileStats: (key: string) => ({ size: sizes[rel(key)] ?? 100 }),
    },
  } as unknown as Vitest;
  return new LongestFirstSequencer(ctx);
}

const spec = (file: string) => ({ moduleId: path.join(root, file), project: { name: '' } }) as unknown as TestSpecification;
const order = async (s: LongestFirstSequencer, files: string[]) => (await s.sort(files.map(spec))).map((f) => path.relative(root, f.moduleId));

describe('longest-first sequencer', () => {
  it('on a fresh clone starts the files in the order of their committed durations, unknown files after the long ones', async () => {
    const s = sequencer({ 'a/long.test.ts': 180_000, 'a/mid.test.ts': 60_000, 'a/short.test.ts': 4_000 });
    expect(await order(s, ['a/mid.test.ts', 'a/short.test.ts', 'a/long.test.ts', 'a/new.test.ts'])).toEqual(['a/long.test.ts', 'a/mid.test.ts', 'a/new.test.ts', 'a/short.test.ts']);
  });

  it('takes the longer of the committed and the cached duration', async () => {
    const s = sequencer({ 'x.test.ts': 100_000, 'y.test.ts': 50_000 }, { 'x.test.ts': 1_000, 'y.test.ts': 200_000, 'z.test.ts': 70_000 });
    expect(await order(s, ['x.test.ts', 'y.test.ts', 'z.test.ts'])).toEqual(['y.test.ts', 'x.test.ts', 'z.test.ts']);
  });

  it('orders files it knows nothing of by size, larger first', async () => {
    const s = sequencer({}, {}, { 'small.test.ts': 10, 'mid.test.ts': 900, 'big.test.ts': 5_000 });
    expect(await order(s, ['mid.test.ts', 'small.test.ts', 'big.test.ts'])).toEqual(['big.test.ts', 'mid.test.ts', 'small.test.ts']);
  });
});
