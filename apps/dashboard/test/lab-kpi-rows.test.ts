import { describe, expect, it } from 'vitest';
import type { LabKpis } from '@riderflow/contracts';
import { LAB_KPI_ROWS, onTimeOfEnded, openAtEnd, openOrdersNote } from '../lib/lab-kpi-rows.js';

// A 1-hour window cut at the newest record: 100 orders placed, 40 delivered (36 within 40 min),
// 4 cancelled, 56 still on their way. Of created, 36 %; of the orders that ended, 36 / 44.
const cut: LabKpis = { created: 100, delivered: 40, cancelled: 4, clickToDoorMeanMin: 24, clickToDoorP90Min: 33, onTimeShare: 0.36, utilisation: 0.5, distanceKm: 80 };

describe('the lab page’s on-time rows', () => {
  it('names "on time" for the live tile’s base (orders that ended) and keeps "of created" under another name', () => {
    expect(openAtEnd(cut)).toBe(56);
    expect(onTimeOfEnded(cut)).toBeCloseTo(36 / 44, 10);
    const onTime = LAB_KPI_ROWS.find((r) => r.id === 'onTime')!;
    const ofCreated = LAB_KPI_ROWS.find((r) => r.id === 'within40OfCreated')!;
    expect(onTime.label).toMatch(/^on time ≤ 40 min \(% of orders ended/);
    expect(ofCreated.label).toMatch(/^delivered ≤ 40 min \(% of orders created/);
    expect(ofCreated.value(cut)).toBe(0.36);
    // no other row calls itself on time
    expect(LAB_KPI_ROWS.filter((r) => /on time/i.test(r.label)).map((r) => r.id)).toEqual(['onTime']);
    expect(LAB_KPI_ROWS.find((r) => r.id === 'open')!.value(cut)).toBe(56);
  });

  it('says why "of created" is low when the window ended with many orders on their way, and says nothing when it did not', () => {
    expect(openOrdersNote(cut)).toMatch(/^56 of the 100 orders placed in the window \(56 %\) were still on their way when it ended/);
    expect(openOrdersNote({ ...cut, delivered: 92, cancelled: 3, onTimeShare: 0.85 })).toBeNull();
    expect(onTimeOfEnded({ ...cut, delivered: 0, cancelled: 0, onTimeShare: null })).toBeNull();
  });
});
