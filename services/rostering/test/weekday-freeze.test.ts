import { describe, expect, it } from 'vitest';
import { BUCKETS_PER_DAY } from '../src/core/buckets.js';
import { featuresToFreeze, levelCorrectionFor, WEEKDAY_FEATURES, type Sample } from '../src/core/features.js';

// Training origins spanning `days` days (one zone; features do not matter to the rule).
function origins(days: number): Sample[] {
  return Array.from({ length: days * BUCKETS_PER_DAY }, (_, origin) => ({ zoneId: 'A', origin, x: [], y: [] }));
}

// Ten days of history (eight of training origins) saw each weekday once: the network learned that
// one Monday's level as "Monday", on top of the day trend that already scales today's counts, and
// the next Monday's forecast came out 15.8 % low (bench/rostering/first-start-forecast.ts).
describe('which models may learn the weekday, and which are level-corrected', () => {
  it('freezes the weekday until every weekday has been seen twice (two weeks of training origins)', () => {
    for (const days of [3, 6, 7, 8, 10, 13]) expect(featuresToFreeze(origins(days)), `${days} days`).toEqual(WEEKDAY_FEATURES);
    for (const days of [14, 21]) expect(featuresToFreeze(origins(days)), `${days} days`).toEqual([]);
    expect(featuresToFreeze([])).toEqual([]);
  });

  it('corrects the level only below a week of training origins, whatever is frozen', () => {
    for (const days of [3, 6]) expect(levelCorrectionFor(origins(days)), `${days} days`).toBe(true);
    for (const days of [7, 8, 10, 14]) expect(levelCorrectionFor(origins(days)), `${days} days`).toBe(false);
  });
});
