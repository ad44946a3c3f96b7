import { describe, expect, it } from 'vitest';
import { LagClock } from '../server/core/lag-clock.js';
import { RatesHistory } from '../server/core/rates-history.js';
import { RosteringView } from '../server/core/rostering-view.js';
import { offsetText, simTime, wholeNumber } from '../server/core/human-input.js';
import { fmtSimTime, parseSimTime } from '../lib/sim-time.js';
import { topLaggingGroups } from '../lib/lag-picks.js';
import type { GroupInfo, LogPageSnapshot } from '@riderflow/contracts';

describe('lag in seconds', () => {
  it('reads a caught-up group as flat zero, not as noise up to the sampling period', () => {
    const c = new LagClock(600, 2_000);
    // the log end grows steadily, sampled every 2 s; the group commits a little behind each time
    const values: number[] = [];
    for (let i = 0; i < 30; i++) {
      const at = i * 2_000;
      const high = 100 * (i + 1);
      c.record('t', 0, at, high);
      // committed trails the end by what arrived since its last commit (up to one period's worth)
      const committed = high - ((i * 37) % 100);
      values.push(c.lagSeconds('t', 0, committed, high, at + 500));
    }
    expect(values.slice(2).every((v) => v === 0)).toBe(true);
  });

  it('still measures a group that is really behind', () => {
    const c = new LagClock(600, 2_000);
    for (let i = 0; i <= 10; i++) c.record('t', 0, i * 2_000, 100 * i);
    // committed at 300: the end passed 300 at t = 6 s; now = 20 s
    expect(c.lagSeconds('t', 0, 300, 1_000, 20_000)).toBeCloseTo(14);
  });
});

describe('rates history', () => {
  it('keeps the last span of points in time order', () => {
    const h = new RatesHistory(10_000);
    for (let t = 0; t <= 30_000; t += 1_000) h.add({ at: t, publish: 1, deliver: 1, ack: 1 });
    h.add({ at: 30_000, publish: 9, deliver: 9, ack: 9 }); // same time again: ignored
    const pts = h.list();
    expect(pts[0]!.at).toBe(20_000);
    expect(pts.at(-1)).toEqual({ at: 30_000, publish: 1, deliver: 1, ack: 1 });
  });
});

describe('forms speak human', () => {
  it('says what an offset, a number and a time must look like', () => {
    expect(() => offsetText('abc')).toThrow('Offset must be a whole number ≥ 0');
    expect(() => offsetText('-1')).toThrow('Offset must be a whole number ≥ 0');
    expect(offsetText('0042')).toBe('42');
    expect(() => wholeNumber('x', 'Partition')).toThrow('Partition must be a whole number ≥ 0');
    expect(() => wholeNumber('500', 'Limit', { min: 1, max: 200 })).toThrow('Limit must be a whole number from 1 to 200');
    expect(() => simTime('yesterday')).toThrow('Time must be a simulated UTC time written as 2025-03-03 18:40 (24-hour)');
    expect(simTime('2025-03-03 18:40')).toBe(Date.UTC(2025, 2, 3, 18, 40));
  });

  it('reads and writes one time format: simulated UTC, 24-hour, ISO', () => {
    expect(parseSimTime('2025-03-03T18:40:05Z')).toBe(Date.UTC(2025, 2, 3, 18, 40, 5));
    expect(parseSimTime('2025-03-03 18:40 UTC')).toBe(Date.UTC(2025, 2, 3, 18, 40));
    expect(parseSimTime('2025-02-31 10:00')).toBeNull();
    expect(parseSimTime('2025-03-03 6:40 PM')).toBeNull();
    expect(fmtSimTime(Date.UTC(2025, 2, 3, 18, 40, 5))).toBe('2025-03-03 18:40:05');
    expect(fmtSimTime(Date.UTC(2025, 2, 3, 18, 40, 5), false)).toBe('2025-03-03 18:40');
  });
});

describe('a retrain of the same window is one job', () => {
  const model = (jobId: string, status: 'running' | 'finished' | 'failed') => ({ type: 'roster.model' as const, v: 1 as const, id: `m-${jobId}-${status}`, ts: 1, jobId, status, activeModel: 'baseline' });

  it('is pending while queued or running, for its own window only, and no longer once rostering has answered', () => {
    const v = new RosteringView();
    const window = { from: 1_000 };
    expect(v.pendingRetrain(window)).toBeNull();
    v.queued('j1', window);
    expect(v.pendingRetrain({ from: 1_000 })).toMatchObject({ jobId: 'j1', status: 'queued' });
    expect(v.pendingRetrain({})).toBeNull(); // all recorded orders is another window
    expect(v.pendingRetrain({ from: 1_000, to: 2_000 })).toBeNull();
    v.model(model('j1', 'running'));
    expect(v.pendingRetrain(window)).toMatchObject({ jobId: 'j1', status: 'running' });
    v.model(model('j1', 'finished'));
    expect(v.pendingRetrain(window)).toBeNull();
    v.queued('j2', window);
    v.model(model('j2', 'failed'));
    expect(v.pendingRetrain(window)).toBeNull();
    // a job the broker refused is forgotten, not left queued
    v.queued('j3', {});
    v.unqueued('j3');
    expect(v.pendingRetrain({})).toBeNull();
    expect(v.view().retrains.map((r) => r.jobId)).toEqual(['j2', 'j1']);
  });

  it('keeps no window past its job, and no job without its window', () => {
    const v = new RosteringView();
    // Refused by the broker while queued: the job and its window go together.
    v.queued('refused', { from: 5 });
    v.unqueued('refused');
    expect(v.retrainWindow('refused')).toBeNull();
    // Refused late, after rostering had already reported it running: the job is real and keeps its
    // window, so a second retrain of that window is still seen as pending.
    v.queued('late', { from: 7 });
    v.model(model('late', 'running'));
    v.unqueued('late');
    expect(v.retrainWindow('late')).toEqual({ from: 7 });
    expect(v.pendingRetrain({ from: 7 })).toMatchObject({ jobId: 'late', status: 'running' });
    // The list keeps the 20 newest jobs: each job pushed out takes its window with it.
    for (let i = 0; i < 30; i++) {
      v.queued(`j${i}`, { from: i });
      v.model(model(`j${i}`, 'running'));
      if (i % 2 === 0) v.model(model(`j${i}`, 'finished'));
    }
    const kept = v.view().retrains.map((r) => r.jobId);
    expect(kept).toHaveLength(20);
    for (const id of ['late', ...Array.from({ length: 30 }, (_, i) => `j${i}`)]) {
      expect(v.retrainWindow(id)).toEqual(kept.includes(id) ? { from: Number(id.slice(1)) } : null);
    }
    // A job pushed out while running is forgotten whole: its late news comes back without a window.
    expect(kept).not.toContain('j1');
    v.model(model('j1', 'finished'));
    expect(v.retrainWindow('j1')).toBeNull();
    expect(v.pendingRetrain({ from: 29 })).toMatchObject({ jobId: 'j29', status: 'running' });
  });
});

describe('the lag charts\' default groups', () => {
  const group = (groupId: string, lag: number, committed: boolean): GroupInfo => ({
    groupId, state: 'Stable', members: 1, lag, lagSeconds: lag / 10, shortLived: false, kind: committed ? 'service' : 'follower',
    partitions: committed ? [{ topic: 't', partition: 0, committed: '5', high: String(5 + lag), lag, lagSeconds: lag / 10 }] : [],
  });

  it('are the groups with the most lag, and never one that has committed no offset (it has no lag figure, not a lag of 0)', () => {
    const groups = [group('a', 0, true), group('follower', 0, false), group('b', 40, true), group('c', 7, true)];
    const log = { topics: [], groups, history: [] } as unknown as LogPageSnapshot;
    expect(topLaggingGroups(log)).toEqual(['b', 'c', 'a']);
    expect(topLaggingGroups(log, 2)).toEqual(['b', 'c']);
    expect(topLaggingGroups(null)).toEqual([]);
  });
});
