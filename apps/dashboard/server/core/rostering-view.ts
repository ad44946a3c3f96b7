import type { RosterPlan, RosterShiftPlan } from '@riderflow/contracts';

// Forecast against what happened: each plan's forecast per zone is compared with the orders that
// actually arrived in the same span of simulated time, once that span is over.

const BUCKET_MS = 15 * 60_000;

export interface PlanPoint { planId: string; bucketStart: number; horizonMin: number; forecast: number; actual: number | null }
/** A day's shift plan: per hour, riders the day-ahead forecast needs and riders booked (all booking rounds so far). */
export interface DayPlan { day: number; planId: string; forecastSource: string; shiftsBooked: number; hours: RosterShiftPlan['hours'] }
export interface ZoneCompare { zoneId: string; forecast: number; actualSoFar: number; ridersNeeded: number; ridersPresent: number }

export class RosteringView {
  private readonly plans: RosterPlan[] = [];
  /** orders created per zone per 15-minute bucket */
  private readonly created = new Map<number, Map<string, number>>();
  private clock = 0;
  /** Per day: the latest round's plan (its hours carry the day's whole coverage) and shifts booked over all rounds. */
  private readonly dayPlans = new Map<number, { latest: RosterShiftPlan; shifts: number }>();

  constructor(private readonly keepPlans = 96) {}

  orderCreated(zoneId: string, ts: number): void {
    const bucket = Math.floor(ts / BUCKET_MS) * BUCKET_MS;
    const zones = this.created.get(bucket) ?? new Map<string, number>();
    zones.set(zoneId, (zones.get(zoneId) ?? 0) + 1);
    this.created.set(bucket, zones);
    if (ts > this.clock) this.clock = ts;
    if (this.created.size > 7 * 96) this.created.delete(Math.min(...this.created.keys()));
  }

  plan(plan: RosterPlan): void {
    this.plans.push(plan);
    if (this.plans.length > this.keepPlans) this.plans.shift();
    if (plan.ts > this.clock) this.clock = plan.ts;
  }

  shiftPlan(p: RosterShiftPlan): void {
    const prev = this.dayPlans.get(p.day);
    this.dayPlans.set(p.day, { latest: p, shifts: (prev?.shifts ?? 0) + p.shifts.length });
    for (const day of [...this.dayPlans.keys()].sort((a, b) => a - b).slice(0, -3)) this.dayPlans.delete(day);
  }

  /** Today's plan (by the simulated clock), else the newest. */
  private dayPlan(): DayPlan | null {
    const today = Math.floor(this.clock / 86_400_000) * 86_400_000;
    const entry = this.dayPlans.get(today) ?? [...this.dayPlans.values()].sort((a, b) => b.latest.day - a.latest.day)[0];
    if (!entry) return null;
    const p = entry.latest;
    return { day: p.day, planId: p.planId, forecastSource: p.forecastSource, shiftsBooked: entry.shifts, hours: p.hours };
  }

  private actual(from: number, to: number, zoneId?: string): number {
    let n = 0;
    for (const [bucket, zones] of this.created) {
      if (bucket < from || bucket >= to) continue;
      if (zoneId) n += zones.get(zoneId) ?? 0;
      else for (const c of zones.values()) n += c;
    }
    return n;
  }

  view(): { latest: RosterPlan | null; history: PlanPoint[]; zones: ZoneCompare[]; dayPlan: DayPlan | null } {
    const latest = this.plans.at(-1) ?? null;
    const history = this.plans.map((p) => {
      const end = p.bucketStart + p.horizonMin * 60_000;
      return {
        planId: p.planId,
        bucketStart: p.bucketStart,
        horizonMin: p.horizonMin,
        forecast: p.zones.reduce((s, z) => s + z.forecastOrders, 0),
        actual: end <= this.clock ? this.actual(p.bucketStart, end) : null,
      };
    });
    const zones = (latest?.zones ?? []).map((z) => ({
      zoneId: z.zoneId,
      forecast: z.forecastOrders,
      actualSoFar: this.actual(latest!.bucketStart, latest!.bucketStart + latest!.horizonMin * 60_000, z.zoneId),
      ridersNeeded: z.ridersNeeded,
      ridersPresent: z.ridersPresent,
    }));
    return { latest, history, zones, dayPlan: this.dayPlan() };
  }
}
