import { BUCKETS_PER_DAY } from './buckets.js';
import type { DayRoster } from './call-in-worth.js';
import type { Availability, BookedShift } from './shift-plan.js';

interface DayBook {
  pending: Map<string, Availability>;
  /** Latest simulated time a rider of this day announced its hours. */
  lastAnnouncedAt: number;
  bookedRiders: Set<string>;
  booked: number[];
  /** The day's need per bucket (from the latest booking round) and the shifts booked so far. */
  need?: number[];
  shifts: BookedShift[];
}

/**
 * The riders' announced hours per day, and who has been booked. A day's announcements arrive as
 * a burst over several partitions; a day is due for booking once the log's clock is `settleMs`
 * past its latest announcement, so the plan sees the whole burst. Riders announcing later are
 * booked in a later round, around those already booked.
 */
export class AvailabilityBook {
  private readonly days = new Map<number, DayBook>();

  add(e: { riderId: string; day: number; hours: number; ts: number }): void {
    let d = this.days.get(e.day);
    if (!d) {
      d = { pending: new Map(), lastAnnouncedAt: e.ts, bookedRiders: new Set(), booked: new Array<number>(BUCKETS_PER_DAY).fill(0), shifts: [] };
      this.days.set(e.day, d);
    }
    if (d.bookedRiders.has(e.riderId)) return; // a replayed announcement of a booked rider
    d.pending.set(e.riderId, { riderId: e.riderId, hours: e.hours });
    d.lastAnnouncedAt = Math.max(d.lastAnnouncedAt, e.ts);
  }

  /** Days with riders to book now, oldest first; days already over are forgotten. */
  due(now: number, settleMs: number, dayEndsAt: (day: number) => number): { day: number; riders: Availability[]; alreadyBooked: number[] }[] {
    const out: { day: number; riders: Availability[]; alreadyBooked: number[] }[] = [];
    for (const [day, d] of [...this.days].sort((a, b) => a[0] - b[0])) {
      if (dayEndsAt(day) <= now) {
        this.days.delete(day);
        continue;
      }
      if (d.pending.size === 0 || now < d.lastAnnouncedAt + settleMs) continue;
      out.push({ day, riders: [...d.pending.values()], alreadyBooked: [...d.booked] });
    }
    return out;
  }

  /**
   * Records a booking round: these riders are no longer pending, the day's coverage is `booked`,
   * `shifts` were booked and `need` is what they were booked against.
   */
  markBooked(day: number, riderIds: string[], booked: number[], shifts: BookedShift[] = [], need?: number[]): void {
    const d = this.days.get(day);
    if (!d) return;
    for (const id of riderIds) {
      d.pending.delete(id);
      d.bookedRiders.add(id);
    }
    d.booked = [...booked];
    d.shifts.push(...shifts);
    if (need) d.need = [...need];
  }

  /** The day's plan as booked so far, or undefined when nothing was booked against a forecast. */
  roster(day: number): DayRoster | undefined {
    const d = this.days.get(day);
    if (!d?.need || d.shifts.length === 0) return undefined;
    return { day, need: d.need, booked: [...d.booked], shifts: d.shifts.map((s) => ({ ...s })) };
  }

  /** Replaces the day's coverage and shifts (after call-ins moved some of them). */
  updateRoster(r: DayRoster): void {
    const d = this.days.get(r.day);
    if (!d) return;
    d.booked = [...r.booked];
    d.shifts = r.shifts.map((s) => ({ ...s }));
  }
}
