import { BUCKET_MIN, BUCKET_MS } from './buckets.js';
import { DEFAULT_STAFFING, ridersNeeded, type StaffingParams } from './erlang-c.js';

/**
 * Checks the staffing rule against what happened: per simulated hour, riders the rule says the
 * city needed (on the orders that really came: the hour's busiest 15 minutes, one pooled queue),
 * riders on shift (time-averaged), and the share of the hour's orders delivered within 40
 * minutes of being placed (a cancelled order is a miss). If the rule is right, hours with
 * present ≥ needed deliver ≥ 95 % on time, and clearly short hours (present < 0.8 × needed) fewer.
 */
export interface CalibrationHour {
  hourStart: number;
  created: number;
  within40: number;
  /** Orders created in the hour's busiest 15 minutes (what the rule staffs for). */
  busiest: number;
  ridersNeeded: number;
  ridersPresent: number;
}

export class CalibrationTap {
  private readonly placed = new Map<string, number>();
  private readonly buckets = new Map<number, number>();
  private readonly hours = new Map<number, { created: number; within40: number }>();
  private readonly onShiftSince = new Map<string, number>();
  /** hour → rider-ms on shift inside it */
  private readonly riderMs = new Map<number, number>();

  constructor(private readonly targetMin = DEFAULT_STAFFING.targetMin) {}

  add(e: { type: string; ts: number; [k: string]: unknown }): void {
    switch (e.type) {
      case 'order.created': {
        const placedAt = (e.placedAt as number | undefined) ?? e.ts;
        this.placed.set(e.orderId as string, placedAt);
        const b = Math.floor(e.ts / BUCKET_MS);
        this.buckets.set(b, (this.buckets.get(b) ?? 0) + 1);
        this.hour(placedAt).created++;
        break;
      }
      case 'order.delivered': {
        const placedAt = this.placed.get(e.orderId as string);
        if (placedAt !== undefined && (e.clickToDoorMin as number) <= this.targetMin) this.hour(placedAt).within40++;
        break;
      }
      case 'rider.shift_started':
        this.onShiftSince.set(e.riderId as string, e.ts);
        break;
      case 'rider.shift_ended': {
        const since = this.onShiftSince.get(e.riderId as string);
        if (since !== undefined) this.addShift(since, e.ts);
        this.onShiftSince.delete(e.riderId as string);
        break;
      }
      default:
    }
  }

  /**
   * Hours from `fromMs` to `toMs` (riders still on shift count up to `toMs`). `staffing` is the
   * rule's parameters, or per hour what the rule knew at the hour's start (observedStaffing).
   */
  rows(fromMs: number, toMs: number, staffing: StaffingParams | ((hourStart: number) => StaffingParams) = DEFAULT_STAFFING): CalibrationHour[] {
    const paramsAt = typeof staffing === 'function' ? staffing : () => staffing;
    for (const since of this.onShiftSince.values()) this.addShift(since, toMs);
    this.onShiftSince.clear();
    const out: CalibrationHour[] = [];
    for (let h = Math.ceil(fromMs / 3_600_000) * 3_600_000; h + 3_600_000 <= toMs; h += 3_600_000) {
      let busiest = 0;
      for (let b = h / BUCKET_MS; b < (h + 3_600_000) / BUCKET_MS; b++) busiest = Math.max(busiest, this.buckets.get(b) ?? 0);
      const o = this.hours.get(h) ?? { created: 0, within40: 0 };
      out.push({ hourStart: h, created: o.created, within40: o.within40, busiest, ridersNeeded: ridersNeeded(busiest, BUCKET_MIN, paramsAt(h)), ridersPresent: (this.riderMs.get(h) ?? 0) / 3_600_000 });
    }
    return out;
  }

  private hour(ts: number) {
    const h = Math.floor(ts / 3_600_000) * 3_600_000;
    let o = this.hours.get(h);
    if (!o) this.hours.set(h, (o = { created: 0, within40: 0 }));
    return o;
  }

  private addShift(from: number, to: number): void {
    for (let h = Math.floor(from / 3_600_000) * 3_600_000; h < to; h += 3_600_000) {
      const ms = Math.min(to, h + 3_600_000) - Math.max(from, h);
      if (ms > 0) this.riderMs.set(h, (this.riderMs.get(h) ?? 0) + ms);
    }
  }
}

export interface CalibrationVerdict {
  staffed: { hours: number; created: number; share: number };
  short: { hours: number; created: number; share: number };
  /** Staffed hours deliver ≥ 95 % within 40 min, and short hours (if any) fewer. */
  holds: boolean;
}

export function calibrationVerdict(rows: readonly CalibrationHour[], minShare = 0.95): CalibrationVerdict {
  const group = (pick: (r: CalibrationHour) => boolean) => {
    const rs = rows.filter((r) => r.created > 0 && pick(r));
    const created = rs.reduce((s, r) => s + r.created, 0);
    return { hours: rs.length, created, share: created > 0 ? rs.reduce((s, r) => s + r.within40, 0) / created : NaN };
  };
  const staffed = group((r) => r.ridersPresent >= r.ridersNeeded);
  const short = group((r) => r.ridersPresent < 0.8 * r.ridersNeeded);
  const holds = staffed.hours > 0 && staffed.share >= minShare && (short.hours === 0 || short.share < staffed.share);
  return { staffed, short, holds };
}
