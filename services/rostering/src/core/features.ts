import { BUCKETS_PER_DAY, BUCKETS_PER_WEEK, BUCKET_MS, dayFraction, weekFraction } from './buckets.js';
import { CITY, type DemandHistory } from './demand-history.js';

/** Forecast horizon: 8 buckets of 15 minutes = the next two hours. */
export const DEFAULT_HORIZON = 8;
const RECENT = 4;
const PROFILE_DAYS = 7;
/** Rain above this (mm/h) counts as "raining" for the flag feature. */
const RAIN_FLAG_MMH = 0.5;

/** Orders in bucket b, or undefined when the history does not cover it. */
function known(h: DemandHistory, zoneId: string, b: number): number | undefined {
  return h.covers(b) ? h.orders(zoneId, b) : undefined;
}

/** Same bucket yesterday; when the history is shorter than a day, the most recent count stands in. */
export function sameBucketYesterday(h: DemandHistory, zoneId: string, target: number, origin: number): number {
  return known(h, zoneId, target - BUCKETS_PER_DAY) ?? h.orders(zoneId, origin);
}

/** Whether the history holds the same bucket a week before `target` (else "last week" is yesterday's count). */
export function lastWeekKnown(h: DemandHistory, target: number): boolean {
  return h.covers(target - BUCKETS_PER_WEEK);
}

/** Same bucket last week; falls back to yesterday while the history is shorter than a week. */
export function sameBucketLastWeek(h: DemandHistory, zoneId: string, target: number, origin: number): number {
  return known(h, zoneId, target - BUCKETS_PER_WEEK) ?? sameBucketYesterday(h, zoneId, target, origin);
}

/** Mean of the same bucket over up to the last seven days that the history covers. */
export function sameBucketProfile(h: DemandHistory, zoneId: string, target: number, origin: number): number {
  let sum = 0;
  let n = 0;
  for (let k = 1; k <= PROFILE_DAYS; k++) {
    const b = target - k * BUCKETS_PER_DAY;
    if (b > origin) continue;
    const c = known(h, zoneId, b);
    if (c !== undefined) {
      sum += c;
      n++;
    }
  }
  return n > 0 ? sum / n : h.orders(zoneId, origin);
}

/** Mean of the last `window` buckets up to and including the origin. */
export function movingAverage(h: DemandHistory, zoneId: string, origin: number, window = RECENT): number {
  let sum = 0;
  let n = 0;
  for (let k = 0; k < window; k++) {
    const c = known(h, zoneId, origin - k);
    if (c !== undefined) {
      sum += c;
      n++;
    }
  }
  return n > 0 ? sum / n : 0;
}

/**
 * Buckets over which today's city-wide demand is compared with yesterday's: six hours. Two hours
 * (8 buckets, until 2026-12-08) were ~100 orders in a late morning, a ratio ±14 % by Poisson
 * alone, and the level correction then charged the same surprise a second time: `npm start`'s
 * first lunch was forecast 41 % high (README, "The first lunch forecast 40 % high").
 */
export const TREND_BUCKETS = 24;
/** Fewer covered buckets than this (two hours) and the trend is 1: too little to compare. */
const TREND_MIN_BUCKETS = 8;

/**
 * Today against yesterday, city-wide: orders in the last six hours (at least two, as far as
 * yesterday's same hours are in the history) over the same hours a day earlier, bounded to
 * [0.5, 2]. Days differ in level (a Monday orders a quarter less than a Sunday); a history of a
 * few days cannot teach the weekday, but it shows the level it will face.
 */
export function cityDayTrend(h: DemandHistory, origin: number): number {
  let today = 0;
  let yesterday = 0;
  let k = 0;
  for (; k < TREND_BUCKETS; k++) {
    const b = origin - k;
    if (!h.covers(b - BUCKETS_PER_DAY)) break;
    today += h.orders(CITY, b);
    yesterday += h.orders(CITY, b - BUCKETS_PER_DAY);
  }
  if (k < TREND_MIN_BUCKETS) return 1;
  // A couple of orders either way at night must not swing the ratio: both sides get a prior of 4.
  return Math.min(2, Math.max(0.5, (today + 4) / (yesterday + 4)));
}

export function featureNames(horizon = DEFAULT_HORIZON): string[] {
  const names: string[] = [];
  for (let k = 0; k < RECENT; k++) names.push(`orders_t-${k}`);
  for (let i = 1; i <= horizon; i++) names.push(`yesterday_h${i}`, `last_week_h${i}`, `profile7d_h${i}`);
  names.push('city_recent_ratio');
  for (let i = 1; i <= horizon; i++) names.push(`city_profile7d_ratio_h${i}`);
  names.push('tod_sin', 'tod_cos', 'dow_sin', 'dow_cos', 'rain_mmh', 'raining', 'riders_active', 'zone_level', 'city_day_trend');
  return names;
}

/**
 * Features for forecasting zone `zoneId` over buckets origin+1 .. origin+horizon, using only
 * what is known once bucket `origin` has closed.
 */
export function featureVector(h: DemandHistory, zoneId: string, origin: number, horizon = DEFAULT_HORIZON): number[] {
  const x: number[] = [];
  for (let k = 0; k < RECENT; k++) x.push(known(h, zoneId, origin - k) ?? 0);
  for (let i = 1; i <= horizon; i++) {
    const t = origin + i;
    x.push(sameBucketYesterday(h, zoneId, t, origin), sameBucketLastWeek(h, zoneId, t, origin), sameBucketProfile(h, zoneId, t, origin));
  }
  // City-wide context, as ratios to the city's weekly level: summed over zones these are far
  // less noisy than one zone's counts, and the demand shape (and the rain lift) is mostly shared.
  const cityLevel = Math.max(1e-6, zoneLevel(h, CITY, origin));
  x.push(movingAverage(h, CITY, origin) / cityLevel);
  for (let i = 1; i <= horizon; i++) x.push(sameBucketProfile(h, CITY, origin + i, origin) / cityLevel);
  const next = origin + 1;
  const tod = 2 * Math.PI * dayFraction(next);
  const dow = 2 * Math.PI * weekFraction(next);
  const rain = h.rainAt(zoneId, (origin + 1) * BUCKET_MS - 1);
  x.push(Math.sin(tod), Math.cos(tod), Math.sin(dow), Math.cos(dow), rain, rain > RAIN_FLAG_MMH ? 1 : 0);
  x.push(h.ridersActive(zoneId, origin));
  x.push(zoneLevel(h, zoneId, origin));
  x.push(cityDayTrend(h, origin));
  return x;
}

/** Mean orders per bucket over the past week (or what is covered): tells the model the zone's size. */
function zoneLevel(h: DemandHistory, zoneId: string, origin: number): number {
  let sum = 0;
  let n = 0;
  for (let b = origin - BUCKETS_PER_WEEK + 1; b <= origin; b++) {
    if (!h.covers(b)) continue;
    sum += h.orders(zoneId, b);
    n++;
  }
  return n > 0 ? sum / n : 0;
}

export function targetVector(h: DemandHistory, zoneId: string, origin: number, horizon = DEFAULT_HORIZON): number[] {
  const y: number[] = [];
  for (let i = 1; i <= horizon; i++) y.push(h.orders(zoneId, origin + i));
  return y;
}

/** Day-of-week features: learnable only from training targets that span every weekday, twice. */
export const WEEKDAY_FEATURES = ['dow_sin', 'dow_cos'];

/** Buckets from the first training origin to the last, inclusive (0 without samples). */
function originSpan(train: readonly Sample[]): number {
  if (train.length === 0) return 0;
  let first = Infinity;
  let last = -Infinity;
  for (const s of train) {
    if (s.origin < first) first = s.origin;
    if (s.origin > last) last = s.origin;
  }
  return last - first + 1;
}

/**
 * Features the training rows cannot teach: the weekday, until every weekday has been seen at
 * least twice (two weeks of training origins). With less than a week some weekdays were never
 * seen (three days of history put a Monday ten standard deviations from anything it learned, and
 * the network forecast a fifth of the orders). With one to two weeks each weekday is one day:
 * the network cannot tell that day's weekday from its own noise, and it learns both as the
 * weekday, on top of the city's day trend that already scales today's level. Ten days of
 * history made the next Monday's forecast 15.8 % low this way (with the weekday inputs at their
 * training mean, the same network was 7 % low). Frozen features are fed as their training mean.
 */
export function featuresToFreeze(train: readonly Sample[]): string[] {
  return train.length > 0 && originSpan(train) < 2 * BUCKETS_PER_WEEK ? [...WEEKDAY_FEATURES] : [];
}

/**
 * Whether the model cannot know the day's level and its forecasts are to be rescaled by the level
 * the day shows (core/level-correction.ts): less than a week of training origins, so some
 * weekday was never seen. From a week on the correction's own noise costs more than it corrects
 * (see DemandForecaster.needsLevelCorrection).
 */
export function levelCorrectionFor(train: readonly Sample[]): boolean {
  return originSpan(train) < BUCKETS_PER_WEEK;
}

export interface Sample {
  zoneId: string;
  origin: number;
  x: number[];
  y: number[];
}

export interface TrainingSet {
  horizon: number;
  featureNames: string[];
  train: Sample[];
  test: Sample[];
  /** First bucket whose targets are held out (the last simulated day). */
  holdoutStart: number;
  lastBucket: number;
}

export interface TrainingSetOptions {
  horizon?: number;
  /** Buckets of history a sample needs behind its origin (default one day, so "yesterday" is real). */
  warmup?: number;
  /** Buckets held out at the end (default one simulated day). */
  holdout?: number;
  /** Last complete bucket to use (default: the history's). */
  lastBucket?: number;
}

/**
 * Every (zone, origin) whose targets are fully known becomes a sample. The last `holdout` buckets
 * are the test day; training samples' targets all end before it, so nothing leaks.
 */
export function buildTrainingSet(h: DemandHistory, opts: TrainingSetOptions = {}): TrainingSet {
  const horizon = opts.horizon ?? DEFAULT_HORIZON;
  const warmup = opts.warmup ?? BUCKETS_PER_DAY;
  const holdout = opts.holdout ?? BUCKETS_PER_DAY;
  const lastBucket = opts.lastBucket ?? h.lastCompleteBucket();
  const holdoutStart = lastBucket + 1 - holdout;
  const train: Sample[] = [];
  const test: Sample[] = [];
  const first = h.firstBucket() + warmup - 1;
  for (const zoneId of h.zoneIds()) {
    for (let origin = first; origin + horizon <= lastBucket; origin++) {
      const s: Sample = { zoneId, origin, x: featureVector(h, zoneId, origin, horizon), y: targetVector(h, zoneId, origin, horizon) };
      if (origin + horizon < holdoutStart) train.push(s);
      else if (origin + 1 >= holdoutStart) test.push(s);
    }
  }
  return { horizon, featureNames: featureNames(horizon), train, test, holdoutStart, lastBucket };
}
