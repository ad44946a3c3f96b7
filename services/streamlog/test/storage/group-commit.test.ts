import fs from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { batchOf, useEngine } from './helpers.js';

const t = useEngine();
afterEach(() => vi.restoreAllMocks());

describe('group commit', () => {
  it("an 'fsync' append resolves only after a real fdatasync that started after its write, shared by concurrent appenders", async () => {
    await t.engine.createTopic('gc');
    const log = t.engine.partition('gc', 0)!;
    const events: string[] = [];
    const real = fs.fdatasync;
    // observe (not replace) the real fdatasync: record when each starts and completes
    vi.spyOn(fs, 'fdatasync').mockImplementation(((fd: number, cb: (err: NodeJS.ErrnoException | null) => void) => {
      events.push(`sync-start hw=${log.highWatermark}`);
      real(fd, (err) => {
        events.push('sync-done');
        cb(err);
      });
    }) as typeof fs.fdatasync);

    const appends = Array.from({ length: 20 }, (_, i) =>
      log.appendBatches(batchOf(2, `c${i}`), 'fsync').then((r) => events.push(`ack ${r.nextOffset}`)),
    );
    await Promise.all(appends);

    const syncs = events.filter((e) => e.startsWith('sync-start'));
    expect(syncs.length).toBeGreaterThanOrEqual(1);
    expect(syncs.length).toBeLessThan(20); // batched, not one per append
    // every ack comes after a completed sync that started once its records were written
    for (const [i, e] of events.entries()) {
      if (!e.startsWith('ack')) continue;
      const next = Number(e.split(' ')[1]);
      const covering = events.slice(0, i).findIndex((x, j) => x.startsWith('sync-start') && Number(x.split('=')[1]) >= next && events.slice(j, i).includes('sync-done'));
      expect(covering, `${e} acknowledged without a covering fsync: ${events.join(', ')}`).toBeGreaterThanOrEqual(0);
    }
  });

  it("'none' appends do not wait for fdatasync", async () => {
    await t.engine.createTopic('nosync');
    const log = t.engine.partition('nosync', 0)!;
    const spy = vi.spyOn(fs, 'fdatasync');
    for (let i = 0; i < 10; i++) await log.appendBatches(batchOf(1, `n${i}`), 'none');
    expect(spy).not.toHaveBeenCalled();
    expect(log.highWatermark).toBe(10n);
  });
});
