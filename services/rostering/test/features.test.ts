import { describe, expect, it } from 'vitest';
import { BUCKET_MS, BUCKETS_PER_DAY, bucketOf } from '../src/core/buckets.js';
import { CITY, DemandHistory } from '../src/core/demand-history.js';
import type { AnyEvent } from '../src/core/events.js';
import { buildTrainingSet, cityDayTrend, featureNames, featureVector, targetVector } from '../src/core/features.js';
import { baselineForecast, baselineNotes } from '../src/core/baselines.js';
import { errorMetrics } from '../src/core/metrics.js';
import { ROSTERING_BUCKET_MS, ROSTERING_MIN_TRAINING_BUCKETS, rosteringTrainingRefusal } from '@riderflow/contracts';

const T0 = Date.UTC(2026, 2, 2); // Monday 00:00 UTC
const MIN = 60_000;
const DAY = 24 * 60 * MIN;

function order(ts: number, zoneId: string, id = `o${ts}-${zoneId}`): AnyEvent {
  return { type: 'order.created', ts, orderId: id, zoneId, storeLat: 52.5, storeLon: 13.4, dropLat: 52.51, dropLon: 13.41 } as AnyEvent;
}
function ping(ts: number, riderId: string, zoneId: string, status: string): AnyEvent {
  return { type: 'rider.location', ts, riderId, zoneId, lat: 52.5, lon: 13.4, status, speedKmh: 10 } as AnyEvent;
}
function weather(ts: number, zoneId: string, rainMmH: number): AnyEvent {
  return { type: 'weather.updated', ts, zoneId, condition: rainMmH > 0 ? 'rain' : 'clear', rainMmH, demandFactor: 1, speedFactor: 1 } as AnyEvent;
}

const sequence: AnyEvent[] = [
  order(T0 + 1 * MIN, 'A'),
  order(T0 + 5 * MIN, 'A'),
  order(T0 + 14 * MIN, 'B'),
  order(T0 + 15 * MIN, 'A'), // next bucket
  ping(T0 + 3 * MIN, 'r1', 'A', 'idle'),
  ping(T0 + 4 * MIN, 'r2', 'A', 'to_store'),
  ping(T0 + 6 * MIN, 'r2', 'A', 'to_customer'), // same rider twice: counted once
  ping(T0 + 7 * MIN, 'r3', 'A', 'off_shift'), // not active
  weather(T0 + 20 * MIN, 'A', 5),
  order(T0 + DAY + 2 * MIN, 'A'),
  order(T0 + DAY + 16 * MIN, 'B'),
  ping(T0 + DAY + 20 * MIN, 'r1', 'B', 'idle'), // advances the watermark past bucket b0+97
  { type: 'order.delivered', ts: T0 + 30 * MIN, orderId: 'x', riderId: 'r1', placedAt: T0, clickToDoorMin: 30 } as AnyEvent,
];

function feed(events: AnyEvent[]): DemandHistory {
  const h = new DemandHistory();
  for (const e of events) h.add(e);
  return h;
}

describe('demand features from a hand-made event sequence', () => {
  const b0 = bucketOf(T0);
  const h = feed(sequence);

  it('counts orders per zone and 15-minute bucket, and the city total', () => {
    expect(h.orders('A', b0)).toBe(2);
    expect(h.orders('B', b0)).toBe(1);
    expect(h.orders('A', b0 + 1)).toBe(1);
    expect(h.orders(CITY, b0)).toBe(3);
    expect(h.orders('A', b0 + BUCKETS_PER_DAY)).toBe(1);
    expect(h.zoneIds()).toEqual(['A', 'B']);
  });

  it('counts distinct active riders and ignores off-shift ones', () => {
    expect(h.ridersActive('A', b0)).toBe(2);
    expect(h.riderStates().find((r) => r.riderId === 'r1')?.zoneId).toBe('B');
  });

  it('carries the weather forward from its update', () => {
    expect(h.rainAt('A', T0 + 19 * MIN)).toBe(0);
    expect(h.rainAt('A', T0 + 20 * MIN)).toBe(5);
    expect(h.rainAt('A', T0 + DAY)).toBe(5);
    expect(h.rainAt('B', T0 + DAY)).toBe(0);
  });

  it('is independent of arrival order (replays interleave partitions)', () => {
    const shuffled = feed([...sequence].reverse());
    const origin = b0 + BUCKETS_PER_DAY;
    expect(featureVector(shuffled, 'A', origin)).toEqual(featureVector(h, 'A', origin));
    expect(shuffled.riderStates()).toEqual(h.riderStates());
  });

  it('builds the feature vector: lags, same bucket yesterday, cyclical time, rain, riders', () => {
    const origin = b0 + BUCKETS_PER_DAY; // Tuesday 00:00–00:15 has just closed
    const names = featureNames();
    const x = featureVector(h, 'A', origin);
    expect(x).toHaveLength(names.length);
    const f = (n: string) => x[names.indexOf(n)];
    expect(f('orders_t-0')).toBe(1);
    expect(f('orders_t-1')).toBe(0); // Monday 23:45 had no orders
    expect(f('yesterday_h1')).toBe(1); // Monday 00:15 bucket
    expect(f('yesterday_h2')).toBe(0);
    expect(f('last_week_h1')).toBe(1); // under a week of history: falls back to yesterday
    // next bucket starts at 00:15 → 1/96 of the day
    expect(f('tod_sin')).toBeCloseTo(Math.sin((2 * Math.PI) / 96), 9);
    expect(f('tod_cos')).toBeCloseTo(Math.cos((2 * Math.PI) / 96), 9);
    // Tuesday: (1 + 1/96) / 7 of the week
    expect(f('dow_sin')).toBeCloseTo(Math.sin((2 * Math.PI * (1 + 1 / 96)) / 7), 9);
    expect(f('rain_mmh')).toBe(5);
    expect(f('raining')).toBe(1);
    expect(f('riders_active')).toBe(0);
    expect(f('zone_level')).toBeCloseTo(4 / (BUCKETS_PER_DAY + 1), 9);
    expect(targetVector(h, 'A', origin).slice(0, 2)).toEqual([0, 0]);
    expect(targetVector(h, 'B', origin).slice(0, 2)).toEqual([1, 0]);
  });

  it('baselines read the same history: yesterday, last week (fallback) and moving average', () => {
    const origin = b0 + BUCKETS_PER_DAY;
    expect(baselineForecast('seasonal_naive_yesterday', h, 'A', origin, 2)).toEqual([1, 0]);
    expect(baselineForecast('seasonal_naive_last_week', h, 'A', origin, 2)).toEqual([1, 0]);
    expect(baselineForecast('moving_average_1h', h, 'A', origin, 2)).toEqual([0.25, 0.25]);
  });

  it('says when "last week" is yesterday: all of it with under a week of history, a share with a partial week, nothing with a full week', () => {
    const origin = b0 + BUCKETS_PER_DAY;
    expect(baselineNotes(h, [{ zoneId: 'A', origin } as never], 2)).toEqual({ seasonal_naive_last_week: 'not enough history: same as yesterday' });
    // a history that starts a week before the second target, not the first: half the forecasts fall back
    const week = feed([...sequence, order(T0 + (BUCKETS_PER_DAY + 2 - 7 * BUCKETS_PER_DAY) * BUCKET_MS, 'A')]);
    expect(baselineNotes(week, [{ zoneId: 'A', origin } as never], 2)).toEqual({ seasonal_naive_last_week: "not enough history for 50 % of the forecasts: those are yesterday's" });
    const long = feed([...sequence, order(T0 - 8 * DAY, 'A')]);
    expect(baselineNotes(long, [{ zoneId: 'A', origin } as never], 2)).toEqual({});
  });

  it('holds out the last day with no target leaking into training', () => {
    const events: AnyEvent[] = [];
    for (let d = 0; d < 4; d++) for (let k = 0; k < BUCKETS_PER_DAY; k++) events.push(order(T0 + d * DAY + k * BUCKET_MS + MIN, k % 2 ? 'A' : 'B'));
    const set = buildTrainingSet(feed(events), { horizon: 4 });
    expect(set.train.length).toBeGreaterThan(0);
    expect(set.test.length).toBeGreaterThan(0);
    for (const s of set.train) expect(s.origin + 4).toBeLessThan(set.holdoutStart);
    for (const s of set.test) expect(s.origin + 1).toBeGreaterThanOrEqual(set.holdoutStart);
    expect(set.lastBucket - set.holdoutStart + 1).toBe(BUCKETS_PER_DAY);
  });

  it('MAE and RMSE', () => {
    expect(errorMetrics([[1, 2], [3, 4]], [[2, 2], [3, 1]])).toEqual({ mae: 1, rmse: Math.sqrt(10 / 4), n: 4 });
    expect(() => errorMetrics([[1]], [])).toThrow(/actual rows/);
  });
});

describe('the least history a training needs', () => {
  // The dashboard refuses a retrain window up front by contracts' rosteringTrainingRefusal: it must
  // agree with the training set rostering really builds, or a refused window could have trained
  // (or an accepted one fail later in the job).
  it('agrees with buildTrainingSet: ROSTERING_MIN_TRAINING_BUCKETS complete buckets train, one fewer does not', () => {
    expect(ROSTERING_BUCKET_MS).toBe(BUCKET_MS);
    for (const buckets of [ROSTERING_MIN_TRAINING_BUCKETS - 1, ROSTERING_MIN_TRAINING_BUCKETS]) {
      // an order in every bucket, and one in the next (still filling, so not counted)
      const events = Array.from({ length: buckets + 1 }, (_, b) => order(T0 + b * BUCKET_MS + MIN, 'A'));
      const set = buildTrainingSet(feed(events));
      const trains = set.train.length > 0 && set.test.length > 0;
      expect(trains, `${buckets} buckets`).toBe(buckets >= ROSTERING_MIN_TRAINING_BUCKETS);
      const refusal = rosteringTrainingRefusal({}, { oldest: events[0]!.ts, newest: events.at(-1)!.ts });
      expect(refusal === null, `${buckets} buckets: ${refusal}`).toBe(trains);
    }
  });
});

describe('the refusal in words', () => {
  it('counts hours in the singular and plural', () => {
    const T = Date.UTC(2025, 2, 3, 11, 45);
    expect(rosteringTrainingRefusal({}, { oldest: T, newest: T + 61 * MIN })).toMatch(/the window holds 1 simulated hour \(/);
    expect(rosteringTrainingRefusal({}, { oldest: T, newest: T + 121 * MIN })).toMatch(/the window holds 2 simulated hours \(/);
  });
});

describe('the day trend: today over yesterday, city-wide, six hours', () => {
  // `perBucket(k)` orders in each 15-minute bucket k of yesterday (k < 96) and today (k ≥ 96),
  // from 06:00 yesterday (the history's first bucket) to 12:00 today, spread over two zones.
  function day(perBucket: (k: number) => number): DemandHistory {
    const h = new DemandHistory();
    const from = bucketOf(T0) + 24;
    for (let b = from; b < from + BUCKETS_PER_DAY + 24; b++) {
      const k = b - bucketOf(T0);
      for (let j = 0; j < perBucket(k); j++) h.add(order(b * BUCKET_MS + j * 1000, j % 2 ? 'A' : 'B'));
    }
    return h;
  }
  const noon = bucketOf(T0) + BUCKETS_PER_DAY + 47; // the origin 11:45 today: buckets up to 12:00 have closed
  const late = (k: number) => k >= BUCKETS_PER_DAY + 40; // today 10:00-12:00

  it('two late-morning hours that came a third above the day weigh two hours of six', () => {
    // Yesterday 8 orders a bucket; today 6 (0.75 of yesterday) but its last two hours at 8, as a
    // noisy late morning of ~100 orders can: two hours alone would read "like yesterday" (1.0).
    const h = day((k) => (k < BUCKETS_PER_DAY ? 8 : late(k) ? 8 : 6));
    expect(cityDayTrend(h, noon)).toBeCloseTo((16 * 6 + 8 * 8 + 4) / (24 * 8 + 4), 12);
  });

  it('reads the hours yesterday covers, and is 1 with under two of them', () => {
    const h = day((k) => (k < BUCKETS_PER_DAY ? 8 : 6));
    expect(cityDayTrend(h, noon)).toBeCloseTo((24 * 6 + 4) / (24 * 8 + 4), 12);
    const first = bucketOf(T0) + 24 + BUCKETS_PER_DAY; // 06:00 today: yesterday's 06:00 is the history's first bucket
    expect(cityDayTrend(h, first + 7)).toBeCloseTo((8 * 6 + 4) / (8 * 8 + 4), 12); // two hours covered
    expect(cityDayTrend(h, first + 6)).toBe(1); // 1 h 45 min: too little to compare
  });
});
