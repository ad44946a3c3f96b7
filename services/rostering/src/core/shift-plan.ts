import { BUCKET_MIN, BUCKET_MS, BUCKETS_PER_DAY, BUCKETS_PER_WEEK, bucketOf } from './buckets.js';
import { CITY, type DemandHistory } from './demand-history.js';
import { bestStart, improveBooking } from './booking-search.js';
import { erlangBWorth, needWorth, type BookingWorthKind } from './booking-worth.js';
import { DEFAULT_STAFFING, ridersNeeded, type StaffingParams } from './erlang-c.js';

/**
 * Day-ahead shift planning. Riders say the evening before how many hours they will work
 * (`rider.availability`); rostering decides when those hours fall, so the fleet on the road
 * follows the forecast demand instead of the riders' habits. Same riders, same hours, same days
 * off: only the timing changes.
 */

export interface Availability {
  riderId: string;
  hours: number;
}

export interface BookedShift {
  riderId: string;
  start: number;
  end: number;
}

/** The day-ahead forecast: expected city-wide orders per 15-minute bucket of one day. */
export interface DayForecast {
  day: number;
  orders: number[];
  /** Which history it came from, e.g. "mean of 2 weeks back (same weekday)". */
  source: string;
}

/** Weeks back whose same weekday is averaged, when the history covers them. */
const MAX_WEEKS_BACK = 4;
/** Buckets on each side of a bucket averaged into it (±30 min): 15-minute counts are noisy. */
const SMOOTH_HALF_WIDTH = 2;

/**
 * Seasonal day-ahead forecast for the whole city: per bucket, the mean of the same bucket on the
 * same weekday in the weeks the history covers (up to four), smoothed over ±30 minutes. With no
 * full week of history it uses yesterday; with nothing, null (no plan: riders keep their habits).
 * The TensorFlow.js model forecasts two hours ahead for repositioning; a day ahead, demand is
 * seasonal, and this is the baseline the model is measured against.
 */
export function dayAheadForecast(history: DemandHistory, day: number): DayForecast | null {
  const first = bucketOf(day);
  const covered = (back: number) => history.covers(first - back) && history.covers(first - back + BUCKETS_PER_DAY - 1);
  let backs: number[] = [];
  for (let k = 1; k <= MAX_WEEKS_BACK; k++) if (covered(k * BUCKETS_PER_WEEK)) backs.push(k * BUCKETS_PER_WEEK);
  let source = `mean of the same weekday ${backs.length} week${backs.length === 1 ? '' : 's'} back`;
  if (backs.length === 0 && covered(BUCKETS_PER_DAY)) {
    backs = [BUCKETS_PER_DAY];
    source = 'yesterday';
  }
  if (backs.length === 0) return null;
  const raw = Array.from({ length: BUCKETS_PER_DAY }, (_, i) => backs.reduce((s, back) => s + history.orders(CITY, first + i - back), 0) / backs.length);
  return { day, orders: smoothDay(raw), source };
}

/** ±30-minute moving mean over a day's buckets: 15-minute counts are noisy (shared with the bench's oracle). */
export function smoothDay(raw: readonly number[]): number[] {
  return raw.map((_, i) => {
    let sum = 0;
    let n = 0;
    for (let j = i - SMOOTH_HALF_WIDTH; j <= i + SMOOTH_HALF_WIDTH; j++) {
      if (j < 0 || j >= raw.length) continue;
      sum += raw[j];
      n++;
    }
    return sum / n;
  });
}

/**
 * Riders needed per bucket: the Erlang-C rule (erlang-c.ts) on the city-wide forecast. City-wide
 * because dispatch assigns across zones; the per-zone rule places riders during the day.
 */
export function ridersNeededPerBucket(orders: number[], staffing: StaffingParams = DEFAULT_STAFFING): number[] {
  return orders.map((o) => ridersNeeded(o, BUCKET_MIN, staffing));
}

export interface BookingOptions {
  /** First hour (UTC) a booked shift may start, and the hour by which it must end. */
  openHour?: number;
  closeHour?: number;
  /** No booked shift starts before this (the plan must reach the riders first). */
  notBefore?: number;
  /**
   * Improvement passes after the greedy placement (default 0 here; the service's
   * ROSTERING_BOOK_PASSES): each takes every rider off the plan in turn and puts it back where it
   * is now worth most, until a pass moves nobody. The greedy pass places the longest shifts first,
   * against an empty plan, and never revisits them.
   */
  passes?: number;
  /**
   * Also move two riders at once when single moves are done (booking-search.ts; default false
   * here; the service's ROSTERING_BOOK_PAIRS): for each pair, both are taken off and put back at
   * the best pair of starts. Counts as a pass.
   */
  pairMoves?: boolean;
  /**
   * Perturbations after the search (default 0 here; the service's ROSTERING_BOOK_KICKS): a few
   * riders moved to random starts (fixed-seed generator), searched again, kept only if the plan's
   * worth rose. Deterministic.
   */
  kicks?: number;
  /**
   * What a booked rider is worth (booking-worth.ts): absent, the rule's n / (k + 1); given, the
   * orders it saves by Erlang B on these forecast orders per bucket (zero outside operating hours)
   * at `serviceMin` rider-minutes per order.
   */
  lossWorth?: { orders: readonly number[]; serviceMin: number };
}

export interface BookingResult {
  shifts: BookedShift[];
  /** Riders booked per bucket of the day, including `alreadyBooked`. */
  booked: number[];
  /** Riders who could not be placed (their hours do not fit between notBefore and closeHour). */
  unplaced: string[];
}

/**
 * Books each rider's hours where the next rider is worth most. A bucket that needs n riders and
 * has k is worth n / (k + 1) for one more: unmet need first, and when riders are short every
 * bucket falls short by about the same share (when they are plenty, the surplus follows demand).
 * Riders with the longest shifts are placed first (they are the hardest to fit), ties by id, and
 * each takes the start with the largest total worth over its hours (ties: the earliest), so the
 * same inputs always give the same plan. Then `passes` improvement passes: a rider placed early
 * (against an empty plan) may sit where later riders made it worth little, so each rider in turn
 * is taken off and put back at its best start now; a rider moves only for a strictly larger worth,
 * and each move raises the plan's total worth (the worths are marginal gains of one sum), so the
 * passes end. Pair moves and seeded perturbations (`pairMoves`, `kicks`) search further the same
 * way (booking-search.ts). `alreadyBooked` counts riders booked earlier that day (they are not moved).
 */
export function bookShifts(day: number, need: number[], riders: Availability[], opts: BookingOptions = {}, alreadyBooked?: number[]): BookingResult {
  const open = Math.round(((opts.openHour ?? 7) * 60) / BUCKET_MIN);
  const close = Math.round(((opts.closeHour ?? 24) * 60) / BUCKET_MIN);
  const earliest = Math.max(open, opts.notBefore === undefined ? 0 : Math.ceil((opts.notBefore - day) / BUCKET_MS));
  const booked = alreadyBooked ? [...alreadyBooked] : new Array<number>(need.length).fill(0);
  const shifts: BookedShift[] = [];
  const unplaced: string[] = [];
  const order = [...riders].sort((a, b) => b.hours - a.hours || (a.riderId < b.riderId ? -1 : a.riderId > b.riderId ? 1 : 0));
  const gain = opts.lossWorth
    ? erlangBWorth(opts.lossWorth.orders, opts.lossWorth.serviceMin, BUCKET_MIN, riders.length + Math.max(0, ...booked) + 1)
    : needWorth(need);
  const space = { gain, booked, earliest, close };
  const placed: { rider: Availability; len: number; start: number }[] = [];
  for (const r of order) {
    const len = Math.round((r.hours * 60) / BUCKET_MIN);
    const { start: best } = bestStart(space, len);
    if (best < 0) {
      unplaced.push(r.riderId);
      continue;
    }
    for (let b = best; b < best + len; b++) booked[b]++;
    placed.push({ rider: r, len, start: best });
  }
  improveBooking(space, placed, { passes: opts.passes ?? 0, pairs: opts.pairMoves ?? false, kicks: opts.kicks ?? 0 });
  for (const p of placed) {
    // The rider's exact hours, not rounded to buckets: the operations office checks them.
    const start = day + p.start * BUCKET_MS;
    shifts.push({ riderId: p.rider.riderId, start, end: start + Math.round(p.rider.hours * 3_600_000) });
  }
  return { shifts, booked, unplaced };
}

export interface DayPlanOptions extends Omit<BookingOptions, 'lossWorth'> {
  staffing?: StaffingParams;
  /** What a booked rider is worth (booking-worth.ts; default 'need', the service's ROSTERING_BOOK_WORTH). */
  worth?: BookingWorthKind;
  /** The day-ahead forecast (default: the seasonal `dayAheadForecast`); the bench's oracle passes the day's true demand. */
  dayForecast?: (history: DemandHistory, day: number) => DayForecast | null;
}

export interface DayPlan {
  forecast: DayForecast;
  /** Riders needed per bucket inside operating hours (zero outside them: nobody is booked there). */
  need: number[];
  booking: BookingResult;
}

/**
 * One booking round for a day: the day-ahead forecast, riders needed per bucket, and the riders'
 * hours booked around `alreadyBooked`. Null when the history cannot forecast the day.
 */
export function planDay(history: DemandHistory, day: number, riders: Availability[], opts: DayPlanOptions = {}, alreadyBooked?: number[]): DayPlan | null {
  const forecast = (opts.dayForecast ?? dayAheadForecast)(history, day);
  if (!forecast) return null;
  const open = Math.round(((opts.openHour ?? 7) * 60) / BUCKET_MIN);
  const close = Math.round(((opts.closeHour ?? 24) * 60) / BUCKET_MIN);
  const need = ridersNeededPerBucket(forecast.orders, opts.staffing).map((n, b) => (b >= open && b < close ? n : 0));
  const lossWorth = opts.worth === 'erlang-b'
    ? { orders: forecast.orders.map((o, b) => (b >= open && b < close ? o : 0)), serviceMin: (opts.staffing ?? DEFAULT_STAFFING).serviceMin }
    : undefined;
  return { forecast, need, booking: bookShifts(day, need, riders, { ...opts, ...(lossWorth ? { lossWorth } : {}) }, alreadyBooked) };
}

/** Per hour of the day: forecast orders (sum), riders needed and riders booked (means over the hour, one decimal). */
export function hourlySummary(day: number, plan: DayPlan): { hourStart: number; forecastOrders: number; ridersNeeded: number; ridersBooked: number }[] {
  const perHour = 60 / BUCKET_MIN;
  const slice = (xs: number[], h: number) => xs.slice(h * perHour, (h + 1) * perHour);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const tenth = (x: number) => Math.round(x * 10) / 10;
  return Array.from({ length: 24 }, (_, h) => ({
    hourStart: day + h * 3_600_000,
    forecastOrders: tenth(sum(slice(plan.forecast.orders, h))),
    ridersNeeded: tenth(sum(slice(plan.need, h)) / perHour),
    ridersBooked: tenth(sum(slice(plan.booking.booked, h)) / perHour),
  }));
}
