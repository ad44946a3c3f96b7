import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SealedReadHandles, readHandleCapacity, sealedReadHandles } from '../../src/storage/sealed-read-handles.js';
import type { PartitionLogImpl } from '../../src/storage/partition-log.js';
import { records, removeDir, tempDir, useEngine } from './helpers.js';

/** this process's descriptors whose target lies under `dir` (deleted files included: "<path> (deleted)") */
function fdsUnder(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const fd of fs.readdirSync('/proc/self/fd')) {
    try {
      const target = fs.readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith(dir + path.sep)) out.set(fd, target);
    } catch {
      // closed between readdir and readlink (the readdir's own descriptor)
    }
  }
  return out;
}

const t = useEngine();

describe('sealed segment read descriptors', () => {
  it('keeps the least recently used ones up to its capacity and closes the rest', () => {
    const dir = tempDir();
    try {
      const files = ['a', 'b', 'c'].map((n) => {
        const file = path.join(dir, n);
        fs.writeFileSync(file, n);
        return file;
      });
      const [a, b, c] = [{}, {}, {}];
      const cache = new SealedReadHandles(2);
      let opened = 0;
      const opener = (file: string) => () => (opened++, fs.openSync(file, 'r'));
      const fdA = cache.fdFor(a, opener(files[0]));
      cache.fdFor(b, opener(files[1]));
      expect(cache.fdFor(a, opener(files[0]))).toBe(fdA); // a hit: no open, and a is now the most recent
      expect(opened).toBe(2);
      cache.fdFor(c, opener(files[2])); // over capacity: b, the least recently used, is closed
      expect(opened).toBe(3);
      expect(cache.size).toBe(2);
      expect([...fdsUnder(dir).values()].sort()).toEqual([files[0], files[2]]);
      expect(cache.isCached(b)).toBe(false);
      cache.evict(a);
      cache.evict(c);
      expect(fdsUnder(dir).size).toBe(0);

      // capacity 0 caches nothing: the caller closes what it was given
      const none = new SealedReadHandles(0);
      const fd = none.fdFor(a, opener(files[0]));
      expect(none.isCached(a)).toBe(false);
      fs.closeSync(fd);
    } finally {
      removeDir(dir);
    }
  });

  it('takes a quarter of the partition budget reserve, at most 64', () => {
    expect(readHandleCapacity(400)).toBe(25); // reserve 100
    expect(readHandleCapacity(128)).toBe(16); // reserve 64, the minimum
    expect(readHandleCapacity(1024)).toBe(64);
    expect(readHandleCapacity(1 << 20)).toBe(64);
    expect(readHandleCapacity(null)).toBe(64);
  });

  it('a consumer re-reading sealed segments opens nothing new; deleted and cleaned segments leave no descriptor behind', async () => {
    await t.engine.createTopic('sealed', { segmentBytes: 2048, cleanupPolicy: 'compact,delete', segmentMs: 1, minCleanableDirtyRatio: 0 });
    const log = t.engine.partition('sealed', 0)!;
    for (let b = 0; b < 40; b++) await log.append(records(5, `b${b % 4}`, 10_000n + BigInt(b * 5), 40));
    const partitionDir = path.join(t.dir, 'sealed-0');
    const segments = fs.readdirSync(partitionDir).filter((f) => f.endsWith('.log')).length;
    expect(segments).toBeGreaterThan(5);
    expect(segments - 1).toBeLessThanOrEqual(sealedReadHandles.capacity); // every sealed one fits: all are reused

    const readAll = () => log.readRecords(0n, 1_000_000).length;
    expect(readAll()).toBe(200);
    const afterFirst = fdsUnder(partitionDir);
    // the active segment's own descriptor plus one cached per sealed segment, each pointing at a live file
    expect(afterFirst.size).toBe(segments);
    expect([...afterFirst.values()].every((f) => !f.endsWith('(deleted)'))).toBe(true);
    expect(readAll()).toBe(200);
    expect(fdsUnder(partitionDir)).toEqual(afterFirst); // the same descriptors: no open or close per read

    // the cleaner renames a cleaned file over each segment: the old descriptors go with the old files
    await (log as unknown as PartitionLogImpl).compact(Date.now() + 10);
    expect(readAll()).toBeLessThan(200);
    const afterClean = [...fdsUnder(partitionDir).values()];
    expect(afterClean.filter((f) => f.endsWith('(deleted)'))).toEqual([]);

    // deleting records drops whole segments: none of their descriptors stays open
    log.deleteRecordsBefore(log.highWatermark);
    expect([...fdsUnder(partitionDir).values()].filter((f) => f.endsWith('(deleted)'))).toEqual([]);
    await t.engine.deleteTopic('sealed');
    expect(fdsUnder(partitionDir).size).toBe(0);
  });
});
