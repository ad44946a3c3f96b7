import type { LogEvent, RiderRepositionInstruction, RosterCallIn, RosterPlan, RosterShift, RosterShiftPlan } from '@riderflow/contracts';
import { AvailabilityBook } from './availability-book.js';
import { BUCKETS_PER_DAY, bucketOf, bucketStartMs } from './buckets.js';
import { CallInLimiter, trimRequests, type CallInRequest } from './call-in-requests.js';
import { worthwhileCallIns } from './call-in-worth.js';
import { DemandHistory } from './demand-history.js';
import type { StaffingParams } from './erlang-c.js';
import { HISTORY_KEEP_BUCKETS, plan, type Plan } from './planner.js';
import { hourlySummary, planDay, type BookedShift, type DayForecast } from './shift-plan.js';
import type { BookingWorthKind } from './booking-worth.js';
import { observedStaffing, ServiceTimeTap } from './service-time.js';

/** Everything a round decides from; the service maps its environment settings onto this. */
export interface RoundSettings {
  staffing: StaffingParams;
  /**
   * Read the rule's service and door minutes from the log's last hours (service-time.ts) instead
   * of `staffing`. Off by default: on a fresh platform those hours are the simulator's history
   * mode, whose statistical service (a random free rider, no bundles) is not dispatch's.
   */
  serviceFromLog?: boolean;
  speedKmh: number;
  maxTravelMin: number;
  /** Send reposition instructions (off: plans only, for a rostering-off comparison). */
  sendMoves: boolean;
  sendCallIns: boolean;
  bookShifts: boolean;
  /** Improvement passes over each day's booking (shift-plan.ts bookShifts); 0 or absent: the greedy placement only. */
  bookPasses?: number;
  /** Pair moves and seeded perturbations in that search (booking-search.ts); absent: off. */
  bookPairs?: boolean;
  bookKicks?: number;
  bookWorth?: BookingWorthKind;
  /** Operating hours (UTC): call-ins only inside them, booked shifts start and end inside them. */
  openHour: number;
  closeHour: number;
  /** Simulated minutes between booking and the earliest booked start. */
  shiftLeadMin: number;
  callInIntervalMin: number;
  callInMax: number;
  /** Replaces the day-ahead forecast (the bench's oracle arm). */
  dayForecast?: (history: DemandHistory, day: number) => DayForecast | null;
}

/** One bucket's plan: the roster.plan event and the reposition instructions to send. */
export interface PlanDecision {
  origin: number;
  /** Simulated time of the round (the log's watermark), the timestamp of everything it sends. */
  ts: number;
  plan: Plan;
  event: RosterPlan;
  moves: RiderRepositionInstruction[];
}

/** A day's booking round: the roster.shift tasks to send, then the roster.shift_plan to publish. */
export type ShiftBooking =
  | { kind: 'no-forecast'; day: number; riderIds: string[]; alreadyBooked: number[] }
  | {
      kind: 'booked';
      day: number;
      riderIds: string[];
      tasks: RosterShift[];
      event: RosterShiftPlan;
      /** What AvailabilityBook records once the tasks are confirmed. */
      booked: number[];
      shifts: BookedShift[];
      need: number[];
      unplaced: number;
    };

export interface CallInDecision {
  tasks: RosterCallIn[];
  /** Riders the limiter would ask for, and those worth it against the day's booked shifts (equal without a day plan). */
  wanted: number;
  worthIt: number;
}

const SHIFT_SETTLE_MS = 15 * 60_000;

/**
 * The rostering worker's decisions, without I/O: fold events from the log into demand history
 * and riders' announced hours; each time simulated time enters a new 15-minute bucket a round
 * plans the bucket, books the days that are due and asks for call-ins. The service shell
 * (service.ts) sends what a round decides and confirms bookings once the broker has them.
 */
export class RosteringRound {
  readonly history = new DemandHistory();
  /** How dispatch serves (rider-minutes per order, assignment to door), for the staffing rule. */
  readonly serviceTime = new ServiceTimeTap();
  private readonly availability = new AvailabilityBook();
  private readonly callInLimiter: CallInLimiter;
  private lastOrigin = Number.NEGATIVE_INFINITY;

  constructor(private readonly settings: RoundSettings) {
    this.callInLimiter = new CallInLimiter({ intervalMin: settings.callInIntervalMin, maxPerRound: settings.callInMax });
  }

  fold(e: LogEvent): void {
    this.history.add(e);
    this.serviceTime.add(e);
    if (e.type === 'rider.availability') this.availability.add(e);
  }

  /** The forecast origin of a round due now (simulated time entered a new bucket), claiming it; undefined when none is due. */
  takeDueOrigin(): number | undefined {
    const origin = bucketOf(this.history.watermark()) - 1;
    if (!(origin > this.lastOrigin)) return undefined;
    this.lastOrigin = origin;
    return origin;
  }

  /**
   * The staffing rule's parameters now: the settings', or with `serviceFromLog` the service and
   * door minutes dispatch achieved over the last simulated hours (the settings' until the log shows them).
   */
  staffingNow(): StaffingParams & { observed: boolean } {
    if (!this.settings.serviceFromLog) return { ...this.settings.staffing, observed: false };
    return observedStaffing(this.serviceTime, this.history.watermark(), this.settings.staffing);
  }

  /** Plans the bucket after `origin` from per-zone forecasts made by `modelVersion`. */
  planBucket(origin: number, forecasts: Map<string, number[]>, modelVersion: string): PlanDecision {
    const s = this.settings;
    const staffing = this.staffingNow();
    const p = plan(this.history, origin, forecasts, { staffing, speedKmh: s.speedKmh, maxTravelMin: s.maxTravelMin });
    const ts = Math.max(0, Math.trunc(this.history.watermark()));
    const moves = s.sendMoves ? p.moves : [];
    const event: RosterPlan = {
      type: 'roster.plan',
      v: 1,
      id: `roster.plan:${p.bucketStart}`,
      ts,
      planId: `plan-${p.bucketStart}`,
      modelVersion,
      bucketStart: p.bucketStart,
      horizonMin: p.horizonMin,
      zones: p.zones.map((z) => ({ zoneId: z.zoneId, forecastOrders: z.forecastOrders, ridersNeeded: z.ridersNeeded, ridersPresent: z.ridersPresent })),
      moves: moves.map((mv) => ({ riderId: mv.riderId, fromZoneId: mv.fromZoneId, toZoneId: mv.toZoneId })),
      callIns: p.callIns,
      cityRidersNeeded: p.cityRidersNeeded,
      ridersOnShift: p.ridersAvailable,
      rule: { serviceMin: round1(staffing.serviceMin), doorMin: round1(staffing.doorMin), targetMin: staffing.targetMin, targetShare: staffing.targetShare, observed: staffing.observed },
    };
    const instructions = moves.map((mv): RiderRepositionInstruction => ({
      type: 'rider.instruction', v: 1, id: `reposition:${p.bucketStart}:${mv.riderId}`, ts, riderId: mv.riderId, action: 'reposition', zoneId: mv.toZoneId, lat: mv.lat, lon: mv.lon,
    }));
    return { origin, ts, plan: p, event, moves: instructions };
  }

  /**
   * Books the announced hours of every day that is due (see AvailabilityBook) from the day-ahead
   * forecast. Nothing is recorded here: the shell calls `confirmBooking` once the tasks are sent,
   * so a booking the broker never confirmed is made again next round.
   */
  dueBookings(now: number): ShiftBooking[] {
    const s = this.settings;
    if (!s.bookShifts) return [];
    const dayEndsAt = (day: number) => day + s.closeHour * 3_600_000;
    const ts = Math.trunc(now);
    return this.availability.due(now, SHIFT_SETTLE_MS, dayEndsAt).map((due): ShiftBooking => {
      const riderIds = due.riders.map((r) => r.riderId);
      const dayPlan = planDay(this.history, due.day, due.riders, {
        staffing: this.staffingNow(),
        openHour: s.openHour,
        closeHour: s.closeHour,
        notBefore: now + s.shiftLeadMin * 60_000,
        ...(s.dayForecast ? { dayForecast: s.dayForecast } : {}),
        passes: s.bookPasses ?? 0,
        pairMoves: s.bookPairs ?? false,
        kicks: s.bookKicks ?? 0,
        worth: s.bookWorth ?? 'need',
      }, due.alreadyBooked);
      if (!dayPlan) return { kind: 'no-forecast', day: due.day, riderIds, alreadyBooked: due.alreadyBooked };
      const { shifts, booked, unplaced } = dayPlan.booking;
      const planId = `shifts-${due.day}-${ts}`;
      return {
        kind: 'booked',
        day: due.day,
        riderIds,
        tasks: shifts.map((sh) => ({ type: 'roster.shift', v: 1, id: `shift:${due.day}:${sh.riderId}`, ts, riderId: sh.riderId, day: due.day, start: sh.start, end: sh.end, planId })),
        event: {
          type: 'roster.shift_plan', v: 1, id: `roster.shift_plan:${planId}`, ts, planId, day: due.day, forecastSource: dayPlan.forecast.source,
          hours: hourlySummary(due.day, dayPlan),
          shifts: shifts.map((sh) => ({ riderId: sh.riderId, start: sh.start, end: sh.end })),
        },
        booked,
        shifts,
        need: dayPlan.need,
        unplaced: unplaced.length,
      };
    });
  }

  /** Records a booking as made: its riders are no longer pending (a day without a forecast keeps the riders' own start times). */
  confirmBooking(b: ShiftBooking): void {
    if (b.kind === 'no-forecast') this.availability.markBooked(b.day, b.riderIds, b.alreadyBooked);
    else this.availability.markBooked(b.day, b.riderIds, b.booked, b.shifts, b.need);
  }

  /**
   * The call-ins of a planned bucket: rate-limited, inside operating hours, and — with a day plan
   * booked — only as many riders as are worth the hours they take from later in the day.
   */
  callIns(d: PlanDecision): CallInDecision {
    const s = this.settings;
    const { ts, plan: p } = d;
    const hourOfDay = new Date(ts).getUTCHours();
    const operating = hourOfDay >= s.openHour && hourOfDay < s.closeHour;
    let requests: CallInRequest[] = s.sendCallIns && operating ? this.callInLimiter.next(ts, p.callIns, p.zones) : [];
    const wanted = requests.reduce((n, r) => n + r.riders, 0);
    let worthIt = wanted;
    const today = bucketStartMs(Math.floor(bucketOf(ts) / BUCKETS_PER_DAY) * BUCKETS_PER_DAY);
    const roster = requests.length > 0 ? this.availability.roster(today) : undefined;
    if (roster) {
      const worth = worthwhileCallIns(roster, ts, wanted);
      worthIt = worth.riders;
      requests = trimRequests(requests, worth.riders);
      this.availability.updateRoster(worth.roster);
    }
    const hourCallIn = p.callIns[0];
    const tasks = requests.map((rq, i): RosterCallIn => ({
      type: 'roster.call_in', v: 1, id: `call-in:${p.bucketStart}:${i}`, ts, riders: rq.riders,
      ...(rq.zoneId !== undefined ? { zoneId: rq.zoneId } : {}),
      reason: `plan-${p.bucketStart}: ${hourCallIn?.riders ?? 0} riders short for the hour from ${new Date(hourCallIn?.hourStart ?? p.bucketStart).toISOString()}`,
    }));
    return { tasks, wanted, worthIt };
  }

  /** Ends a round: once a simulated day, history older than the planner needs is dropped. */
  finish(origin: number): void {
    if (origin % BUCKETS_PER_DAY === 0) {
      this.history.prune(origin - HISTORY_KEEP_BUCKETS);
      this.serviceTime.prune(bucketStartMs(origin) - BUCKETS_PER_DAY * 15 * 60_000);
    }
  }
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
