import { describe, expect, it } from 'vitest';
import { AvailabilityBook } from '../src/core/availability-book.js';
import { BUCKETS_PER_DAY, BUCKET_MS, bucketStartMs } from '../src/core/buckets.js';
import { DemandHistory } from '../src/core/demand-history.js';
import { ridersNeeded } from '../src/core/erlang-c.js';
import { bookShifts, dayAheadForecast, hourlySummary, planDay, ridersNeededPerBucket, type Availability } from '../src/core/shift-plan.js';

const HOUR = 3_600_000;
const DAY_MS = 24 * HOUR;
const DAY = Date.UTC(2025, 2, 17); // a Monday
const bucket = (h: number) => Math.round((h * 60) / 15);

/** Riders needed per bucket: a lunch peak (11–14 h) and a larger dinner peak (17–22 h). */
function twoPeaks(lunch: number, dinner: number): number[] {
  return Array.from({ length: BUCKETS_PER_DAY }, (_, b) => (b >= bucket(11) && b < bucket(14) ? lunch : b >= bucket(17) && b < bucket(22) ? dinner : b >= bucket(8) && b < bucket(23) ? 1 : 0));
}
const riders = (n: number, hours: (i: number) => number): Availability[] => Array.from({ length: n }, (_, i) => ({ riderId: `r${String(i).padStart(3, '0')}`, hours: hours(i) }));

describe('booking announced hours against the day-ahead need', () => {
  it('meets the need in every bucket when the riders suffice, keeping each rider\'s exact hours', () => {
    const need = twoPeaks(4, 8);
    const pool = riders(30, (i) => [4, 5, 6, 8][i % 4]);
    const res = bookShifts(DAY, need, pool, { openHour: 7, closeHour: 24 });
    expect(res.unplaced).toEqual([]);
    expect(res.shifts).toHaveLength(30);
    need.forEach((n, b) => expect(res.booked[b], `bucket ${b}`).toBeGreaterThanOrEqual(n));
    for (const s of res.shifts) {
      const hours = pool.find((r) => r.riderId === s.riderId)!.hours;
      expect(s.end - s.start).toBe(hours * HOUR);
      expect(s.start).toBeGreaterThanOrEqual(DAY + 7 * HOUR);
      expect(s.end).toBeLessThanOrEqual(DAY + 24 * HOUR);
      expect((s.start - DAY) % BUCKET_MS).toBe(0);
    }
    // booked[] is exactly the shifts' coverage.
    const cover = new Array<number>(BUCKETS_PER_DAY).fill(0);
    for (const s of res.shifts) for (let b = (s.start - DAY) / BUCKET_MS; b < (s.end - DAY) / BUCKET_MS; b++) cover[b]++;
    expect(res.booked).toEqual(cover);
    expect(bookShifts(DAY, need, [...pool].reverse(), { openHour: 7, closeHour: 24 })).toEqual(res); // order-independent
  });

  it('improvement passes re-place riders the greedy placed early, never lowering the plan\'s worth', () => {
    // Short of riders, shifts of 4–9 h (the simulator's lengths): the greedy pass places the
    // longest first against an empty plan and never revisits them.
    const need = twoPeaks(14, 22);
    const pool = riders(26, (i) => [9, 8, 7, 6, 6, 5, 5, 4][i % 8]);
    // The sum whose marginal gains the booking's worths are: bucket b with k riders is worth n/1 + … + n/k.
    const total = (booked: number[]) => booked.reduce((sum, k, b) => { let v = 0; for (let j = 1; j <= k; j++) v += need[b] / j; return sum + v; }, 0);
    const greedy = bookShifts(DAY, need, pool, { openHour: 7, closeHour: 24 });
    const improved = bookShifts(DAY, need, pool, { openHour: 7, closeHour: 24, passes: 20 });
    expect(total(improved.booked)).toBeGreaterThan(total(greedy.booked) + 1e-6);
    expect(bookShifts(DAY, need, pool, { openHour: 7, closeHour: 24, passes: 1 }).booked.reduce((a, b) => a + b, 0)).toBe(greedy.booked.reduce((a, b) => a + b, 0));
    // Same riders, same exact hours, inside the operating hours; booked[] is the shifts' coverage.
    expect(improved.shifts.map((s) => s.riderId).sort()).toEqual(pool.map((r) => r.riderId).sort());
    const cover = new Array<number>(BUCKETS_PER_DAY).fill(0);
    for (const s of improved.shifts) {
      expect(s.end - s.start).toBe(pool.find((r) => r.riderId === s.riderId)!.hours * HOUR);
      expect(s.start).toBeGreaterThanOrEqual(DAY + 7 * HOUR);
      expect(s.end).toBeLessThanOrEqual(DAY + 24 * HOUR);
      for (let b = (s.start - DAY) / BUCKET_MS; b < (s.end - DAY) / BUCKET_MS; b++) cover[b]++;
    }
    expect(improved.booked).toEqual(cover);
    // Deterministic, and riders booked earlier that day stay where they are (only counted).
    expect(bookShifts(DAY, need, [...pool].reverse(), { openHour: 7, closeHour: 24, passes: 20 })).toEqual(improved);
    const before = new Array<number>(BUCKETS_PER_DAY).fill(0).map((_, b) => (b >= bucket(18) && b < bucket(20) ? 3 : 0));
    const withEarlier = bookShifts(DAY, need, pool, { openHour: 7, closeHour: 24, passes: 20 }, before);
    expect(withEarlier.booked.map((k, b) => k - before[b]).reduce((a, c) => a + c, 0)).toBe(improved.booked.reduce((a, c) => a + c, 0));
  });

  it('pair moves and seeded perturbations raise the worth where single moves stop, keeping every rider\'s hours, deterministically', () => {
    const need = twoPeaks(14, 22);
    const pool = riders(26, (i) => [9, 8, 7, 6, 6, 5, 5, 4][i % 8]);
    const total = (booked: number[]) => booked.reduce((sum, k, b) => { let v = 0; for (let j = 1; j <= k; j++) v += need[b] / j; return sum + v; }, 0);
    const opts = { openHour: 7, closeHour: 24, passes: 20 };
    const singles = bookShifts(DAY, need, pool, opts);
    const pairs = bookShifts(DAY, need, pool, { ...opts, pairMoves: true });
    const kicked = bookShifts(DAY, need, pool, { ...opts, pairMoves: true, kicks: 30 });
    // Here single moves stop at a plan that moving two riders together beats.
    expect(total(pairs.booked)).toBeGreaterThan(total(singles.booked) + 1e-6);
    expect(total(kicked.booked)).toBeGreaterThanOrEqual(total(pairs.booked) - 1e-9);
    for (const res of [pairs, kicked]) {
      expect(res.unplaced).toEqual([]);
      const cover = new Array<number>(BUCKETS_PER_DAY).fill(0);
      for (const s of res.shifts) {
        expect(s.end - s.start).toBe(pool.find((r) => r.riderId === s.riderId)!.hours * HOUR);
        expect(s.start).toBeGreaterThanOrEqual(DAY + 7 * HOUR);
        expect(s.end).toBeLessThanOrEqual(DAY + 24 * HOUR);
        for (let b = (s.start - DAY) / BUCKET_MS; b < (s.end - DAY) / BUCKET_MS; b++) cover[b]++;
      }
      expect(res.booked).toEqual(cover);
    }
    expect(bookShifts(DAY, need, [...pool].reverse(), { ...opts, pairMoves: true, kicks: 30 })).toEqual(kicked);
    // Riders booked earlier that day are counted and never moved.
    const before = new Array<number>(BUCKETS_PER_DAY).fill(0).map((_, b) => (b >= bucket(18) && b < bucket(20) ? 3 : 0));
    const withEarlier = bookShifts(DAY, need, pool, { ...opts, pairMoves: true, kicks: 30 }, before);
    expect(withEarlier.booked.every((k, b) => k >= before[b])).toBe(true);
    expect(withEarlier.booked.reduce((a, c) => a + c, 0) - before.reduce((a: number, c) => a + c, 0)).toBe(kicked.booked.reduce((a, c) => a + c, 0));
  });

  it('spreads a shortage evenly: both peaks get about the same share of what they need', () => {
    const need = twoPeaks(10, 20);
    const res = bookShifts(DAY, need, riders(14, () => 4), { openHour: 7, closeHour: 24 });
    const share = (from: number, to: number) => {
      let met = 0;
      let wanted = 0;
      for (let b = bucket(from); b < bucket(to); b++) { met += Math.min(res.booked[b], need[b]); wanted += need[b]; }
      return met / wanted;
    };
    const lunch = share(11, 14);
    const dinner = share(17, 22);
    expect(lunch).toBeGreaterThan(0.2);
    expect(dinner).toBeGreaterThan(0.2);
    expect(Math.abs(lunch - dinner)).toBeLessThan(0.2);
    // Nobody is spent on the quiet night while the peaks are short.
    for (let b = 0; b < bucket(10); b++) expect(res.booked[b]).toBe(0);
  });

  it('starts no shift before notBefore, builds on riders already booked, and reports hours that no longer fit', () => {
    const need = twoPeaks(2, 4);
    const notBefore = DAY + 15 * HOUR + 5 * 60_000;
    const before = new Array<number>(BUCKETS_PER_DAY).fill(0);
    for (let b = bucket(17); b < bucket(22); b++) before[b] = 4; // dinner already covered
    const res = bookShifts(DAY, need, [{ riderId: 'late', hours: 9 }, { riderId: 'a', hours: 3 }], { openHour: 7, closeHour: 24, notBefore }, before);
    expect(res.unplaced).toEqual(['late']); // 9 h do not fit between 15:15 and midnight
    const a = res.shifts.find((s) => s.riderId === 'a')!;
    // The open need just before dinner (1 rider, none booked) is worth most: the rider starts at
    // the first quarter-hour after notBefore, never earlier.
    expect(a.start).toBe(DAY + 15 * HOUR + 15 * 60_000);
    expect(res.booked.slice(0, bucket(15.25)).every((n) => n === 0)).toBe(true);
    expect(res.booked[bucket(18)]).toBe(5); // 4 already booked for dinner, plus a
  });
});

describe('the day-ahead forecast', () => {
  const order = (ts: number, i: number) => ({ type: 'order.created', v: 1, id: `o${ts}-${i}`, ts, orderId: `o${ts}-${i}`, zoneId: 'z1', storeLat: 52.5, storeLon: 13.4, dropLat: 52.5, dropLon: 13.4 });

  it('averages the same weekday of the covered weeks, smoothed; yesterday without a full week; nothing without history', () => {
    const h = new DemandHistory();
    // Two weeks back: 6 orders at 19:00; one week back: 2 orders at 19:00 (a quiet hour elsewhere).
    const at = (daysBack: number, hour: number) => DAY - daysBack * DAY_MS + hour * HOUR;
    h.add({ type: 'rider.location', v: 1, id: 'first', ts: DAY - 14 * DAY_MS, riderId: 'r', zoneId: 'z1', lat: 52.5, lon: 13.4, status: 'idle' } as never);
    for (let i = 0; i < 6; i++) h.add(order(at(14, 19) + i * 1000, i) as never);
    for (let i = 0; i < 2; i++) h.add(order(at(7, 19) + i * 1000, i) as never);
    h.add({ type: 'rider.location', v: 1, id: 'last', ts: DAY - 1000, riderId: 'r', zoneId: 'z1', lat: 52.5, lon: 13.4, status: 'idle' } as never);
    const f = dayAheadForecast(h, DAY)!;
    expect(f.source).toBe('mean of the same weekday 2 weeks back');
    expect(f.orders).toHaveLength(BUCKETS_PER_DAY);
    const b19 = bucket(19);
    // (6 + 2) / 2 = 4 orders in the 19:00 bucket, spread over ±2 buckets: 4 / 5 each.
    for (let b = b19 - 2; b <= b19 + 2; b++) expect(f.orders[b]).toBeCloseTo(4 / 5, 9);
    expect(f.orders[b19 - 3]).toBe(0);
    expect(f.orders.reduce((a, b) => a + b, 0)).toBeCloseTo(4, 9);
    const n = ridersNeeded(4 / 5, 15);
    expect(n).toBeGreaterThan(0);
    expect(ridersNeededPerBucket(f.orders).slice(b19 - 3, b19 + 4)).toEqual([0, n, n, n, n, n, 0]);

    // One booking round: need outside operating hours is zero, and the hourly summary adds up.
    const round = planDay(h, DAY, [{ riderId: 'r1', hours: 4 }], { openHour: 7, closeHour: 24 })!;
    expect(round.need.slice(0, bucket(7)).every((x) => x === 0)).toBe(true);
    expect(round.need[b19]).toBe(n);
    expect(round.booking.shifts).toHaveLength(1);
    const hoursOfDay = hourlySummary(DAY, round);
    expect(hoursOfDay).toHaveLength(24);
    expect(hoursOfDay[19].hourStart).toBe(DAY + 19 * HOUR);
    expect(hoursOfDay.reduce((a, x) => a + x.forecastOrders, 0)).toBeCloseTo(4, 1);
    expect(hoursOfDay[19].ridersNeeded).toBe(Math.round((n * 3) / 4 * 10) / 10); // 19:00–19:45: three of the five smoothed buckets
    expect(round.booking.booked.reduce((a, x) => a + x, 0)).toBe(16); // one rider for four hours
    expect(Math.abs(hoursOfDay.reduce((a, x) => a + x.ridersBooked, 0) - 4)).toBeLessThanOrEqual(0.2); // hourly means, rounded to tenths
    expect(planDay(new DemandHistory(), DAY, [])).toBeNull();

    const short = new DemandHistory();
    short.add({ type: 'rider.location', v: 1, id: 'first', ts: DAY - 2 * DAY_MS, riderId: 'r', zoneId: 'z1', lat: 52.5, lon: 13.4, status: 'idle' } as never);
    short.add(order(at(1, 12), 0) as never);
    short.add({ type: 'rider.location', v: 1, id: 'last', ts: DAY - 1000, riderId: 'r', zoneId: 'z1', lat: 52.5, lon: 13.4, status: 'idle' } as never);
    expect(dayAheadForecast(short, DAY)!.source).toBe('yesterday');
    expect(dayAheadForecast(new DemandHistory(), DAY)).toBeNull();
    expect(bucketStartMs(Math.round(DAY / BUCKET_MS))).toBe(DAY);
  });
});

describe('the availability book', () => {
  const announce = (riderId: string, day: number, ts: number, hours = 6) => ({ riderId, day, hours, ts });
  const endsAt = (day: number) => day + 24 * HOUR;

  it('holds a day until its announcements settle, then hands out only riders not yet booked', () => {
    const book = new AvailabilityBook();
    const t = DAY - 6 * HOUR;
    book.add(announce('a', DAY, t));
    book.add(announce('b', DAY, t, 4));
    expect(book.due(t + 10 * 60_000, 15 * 60_000, endsAt)).toEqual([]);
    const [due] = book.due(t + 15 * 60_000, 15 * 60_000, endsAt);
    expect(due.day).toBe(DAY);
    expect(due.riders.map((r) => r.riderId).sort()).toEqual(['a', 'b']);
    const booked = new Array<number>(BUCKETS_PER_DAY).fill(0);
    booked[80] = 2;
    book.markBooked(DAY, ['a', 'b'], booked);
    expect(book.due(t + HOUR, 15 * 60_000, endsAt)).toEqual([]);
    book.add(announce('a', DAY, t + HOUR)); // a replayed announcement of a booked rider
    book.add(announce('c', DAY, t + HOUR));
    const [again] = book.due(t + 2 * HOUR, 15 * 60_000, endsAt);
    expect(again.riders.map((r) => r.riderId)).toEqual(['c']);
    expect(again.alreadyBooked[80]).toBe(2);
    expect(book.due(DAY + 25 * HOUR, 15 * 60_000, endsAt)).toEqual([]); // the day is over: forgotten
  });
});
