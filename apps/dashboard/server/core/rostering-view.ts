import type { RosterModel, RosterPlan, RosterShiftPlan } from '@riderflow/contracts';

// Forecast against what happened: each plan's forecast per zone is compared with the orders that
// actually arrived in the same span of simulated time, once that span is over.

const BUCKET_MS = 15 * 60_000;

export interface PlanPoint { planId: string; bucketStart: number; horizonMin: number; forecast: number; actual: number | null }
/** A day's shift plan: per hour, riders the day-ahead forecast needs and riders booked (all booking rounds so far). */
export interface DayPlan { day: number; planId: string; forecastSource: string; shiftsBooked: number; hours: RosterShiftPlan['hours'] }
export interface ZoneCompare { zoneId: string; forecast: number; actualSoFar: number; ridersNeeded: number; ridersPresent: number }
/** The newest plan whose window is over, per zone: forecast and what arrived in the same 45 minutes. */
export interface ZoneOutcome { planId: string; bucketStart: number; horizonMin: number; zones: { zoneId: string; forecast: number; actual: number }[] }
/** Per simulated hour: riders the plans said the city needed, riders on shift, and how the hour's orders fared. */
export interface CalibrationHour { hourStart: number; ridersNeeded: number | null; ridersOnShift: number | null; created: number; within40: number; settled: boolean }
/** A retrain as rostering reported it on the log (`roster.model`). */
export interface ModelStatus { jobId: string; status: RosterModel['status'] | 'queued'; ts: number; activeModel: string; version?: string; mae?: number; bestBaselineMae?: number; error?: string }

/** A retrain's window in simulated ms; an end left out is all recorded orders on that side. */
export interface RetrainWindow { from?: number; to?: number }

const windowKey = (w: RetrainWindow) => `${w.from ?? ''}..${w.to ?? ''}`;

/** A retrain and the window it trains on (null when the dashboard did not queue it). */
interface RetrainRecord { status: ModelStatus; window: RetrainWindow | null }

export class RosteringView {
  private readonly plans: RosterPlan[] = [];
  /** orders created per zone per 15-minute bucket */
  private readonly created = new Map<number, Map<string, number>>();
  private clock = 0;
  /** Per day: the latest round's plan (its hours carry the day's whole coverage) and shifts booked over all rounds. */
  private readonly dayPlans = new Map<number, { latest: RosterShiftPlan; shifts: number }>();
  /** orderId → hour it was placed (until delivered or cancelled; bounded) */
  private readonly openOrders = new Map<string, number>();
  private readonly hourOrders = new Map<number, { created: number; within40: number }>();
  /**
   * Per job, newest news last: its status and the window the dashboard asked it to train on (none
   * for a job queued elsewhere). One record, so a window goes when its job goes.
   */
  private readonly retrains = new Map<string, RetrainRecord>();

  constructor(private readonly keepPlans = 96) {}

  orderCreated(zoneId: string, ts: number, orderId?: string): void {
    const hour = Math.floor(ts / 3_600_000) * 3_600_000;
    const h = this.hourOrders.get(hour) ?? { created: 0, within40: 0 };
    h.created++;
    this.hourOrders.set(hour, h);
    if (this.hourOrders.size > 48) this.hourOrders.delete(Math.min(...this.hourOrders.keys()));
    if (orderId) {
      this.openOrders.set(orderId, hour);
      if (this.openOrders.size > 20_000) this.openOrders.delete(this.openOrders.keys().next().value!);
    }
    const bucket = Math.floor(ts / BUCKET_MS) * BUCKET_MS;
    const zones = this.created.get(bucket) ?? new Map<string, number>();
    zones.set(zoneId, (zones.get(zoneId) ?? 0) + 1);
    this.created.set(bucket, zones);
    if (ts > this.clock) this.clock = ts;
    if (this.created.size > 7 * 96) this.created.delete(Math.min(...this.created.keys()));
  }

  /** A delivered order counts toward its creation hour's on-time share when it took ≤ 40 minutes. */
  orderClosed(orderId: string, clickToDoorMin?: number): void {
    const hour = this.openOrders.get(orderId);
    if (hour === undefined) return;
    this.openOrders.delete(orderId);
    const h = this.hourOrders.get(hour);
    if (h && clickToDoorMin !== undefined && clickToDoorMin <= 40) h.within40++;
  }

  /**
   * The dashboard enqueued a retrain of `window` (none: all recorded orders): "queued" until
   * rostering reports it running (ts: simulated clock now).
   */
  queued(jobId: string, window: RetrainWindow = {}): void {
    const known = this.retrains.get(jobId);
    if (known) known.window = window;
    else this.retrains.set(jobId, { status: { jobId, status: 'queued', ts: this.clock, activeModel: this.plans.at(-1)?.modelVersion ?? '' }, window });
  }

  /**
   * Its job could not be queued after all (the broker refused it): forgotten while still queued.
   * A job rostering already reported did reach it (the refusal came late), so it stays, window and all.
   */
  unqueued(jobId: string): void {
    if (this.retrains.get(jobId)?.status.status === 'queued') this.retrains.delete(jobId);
  }

  /** The window a known job trains on, or null: the job is gone or was queued elsewhere. */
  retrainWindow(jobId: string): RetrainWindow | null {
    return this.retrains.get(jobId)?.window ?? null;
  }

  /** a retrain of the same window that is queued or running: another would train the same model again */
  pendingRetrain(window: RetrainWindow = {}): ModelStatus | null {
    const key = windowKey(window);
    for (const { status, window: w } of this.retrains.values()) {
      if ((status.status === 'queued' || status.status === 'running') && w !== null && windowKey(w) === key) return status;
    }
    return null;
  }

  model(e: RosterModel): void {
    const window = this.retrains.get(e.jobId)?.window ?? null;
    this.retrains.delete(e.jobId); // re-inserted last: newest news last
    this.retrains.set(e.jobId, { status: { jobId: e.jobId, status: e.status, ts: e.ts, activeModel: e.activeModel, version: e.version, mae: e.mae, bestBaselineMae: e.bestBaselineMae, error: e.error }, window });
    if (this.retrains.size > 20) this.retrains.delete(this.retrains.keys().next().value!);
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

  view(): { latest: RosterPlan | null; history: PlanPoint[]; zones: ZoneCompare[]; lastComplete: ZoneOutcome | null; mae: { model: number; windows: number } | null; calibration: CalibrationHour[]; retrains: ModelStatus[]; activeModel: string | null; clock: number; dayPlan: DayPlan | null } {
    const latest = this.plans.at(-1) ?? null;
    const history = this.plans.map((p) => {
      const end = p.bucketStart + p.horizonMin * 60_000;
      return {
        planId: p.planId,
        bucketStart: p.bucketStart,
        horizonMin: p.horizonMin,
        forecast: p.zones.reduce((s, z) => s + z.forecastOrders, 0),
        actual: end <= this.completeUntil() ? this.actual(p.bucketStart, end) : null,
      };
    });
    const zones = (latest?.zones ?? []).map((z) => ({
      zoneId: z.zoneId,
      forecast: z.forecastOrders,
      actualSoFar: this.actual(latest!.bucketStart, latest!.bucketStart + latest!.horizonMin * 60_000, z.zoneId),
      ridersNeeded: z.ridersNeeded,
      ridersPresent: z.ridersPresent,
    }));
    // Forecast and actual on the same window: the newest plan whose 45 minutes are over.
    const done = [...this.plans].reverse().find((p) => p.bucketStart + p.horizonMin * 60_000 <= this.completeUntil()) ?? null;
    const lastComplete = done
      ? { planId: done.planId, bucketStart: done.bucketStart, horizonMin: done.horizonMin, zones: done.zones.map((z) => ({ zoneId: z.zoneId, forecast: z.forecastOrders, actual: this.actual(done.bucketStart, done.bucketStart + done.horizonMin * 60_000, z.zoneId) })) }
      : null;
    let err = 0;
    let n = 0;
    let windows = 0;
    for (const p of this.plans) {
      const end = p.bucketStart + p.horizonMin * 60_000;
      if (end > this.completeUntil()) continue;
      windows++;
      for (const z of p.zones) {
        err += Math.abs(z.forecastOrders - this.actual(p.bucketStart, end, z.zoneId));
        n++;
      }
    }
    return { latest, history, zones, lastComplete, mae: n > 0 ? { model: err / n, windows } : null, calibration: this.calibration(), retrains: [...this.retrains.values()].map((r) => r.status).reverse(), activeModel: latest?.modelVersion ?? null, clock: this.clock, dayPlan: this.dayPlan() };
  }

  /** Buckets before the one the clock is in are complete (orders of the current bucket are still arriving). */
  private completeUntil(): number {
    return Math.floor(this.clock / BUCKET_MS) * BUCKET_MS;
  }

  private calibration(): CalibrationHour[] {
    const byHour = new Map<number, { needed: number[]; onShift: number[]; buckets: Set<number> }>();
    for (const p of this.plans) {
      const h = Math.floor(p.bucketStart / 3_600_000) * 3_600_000;
      const e = byHour.get(h) ?? { needed: [], onShift: [], buckets: new Set<number>() };
      e.needed.push(p.cityRidersNeeded ?? p.zones.reduce((s, z) => s + z.ridersNeeded, 0));
      if (p.ridersOnShift !== undefined) e.onShift.push(p.ridersOnShift);
      e.buckets.add(Math.floor(p.bucketStart / BUCKET_MS) * BUCKET_MS);
      byHour.set(h, e);
    }
    const mean = (xs: number[]) => (xs.length > 0 ? Math.round((xs.reduce((s, v) => s + v, 0) / xs.length) * 10) / 10 : null);
    // Only hours rostering planned from their start (a plan for the hour's first 15-minute bucket).
    // The hour the live run starts in is partly history written before it (on a first start,
    // statistical history whose orders still open at the switch never end in the log): counted, it
    // made a staffed hour read 56 % on time.
    const hours = [...byHour.keys()].filter((h) => byHour.get(h)!.buckets.has(h)).sort((a, b) => a - b).slice(-24);
    // An hour's orders are settled once 40 minutes have passed after the hour (each has been delivered in time or not).
    return hours.map((h) => ({ hourStart: h, ridersNeeded: mean(byHour.get(h)?.needed ?? []), ridersOnShift: mean(byHour.get(h)?.onShift ?? []), created: this.hourOrders.get(h)?.created ?? 0, within40: this.hourOrders.get(h)?.within40 ?? 0, settled: h + 3_600_000 + 40 * 60_000 <= this.clock }));
  }
}
