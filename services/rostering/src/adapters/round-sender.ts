import type { RosterCallIn, RosterShiftPlan } from '@riderflow/contracts';
import type { Logger } from '@riderflow/service-kit';
import type { Plan } from '../core/planner.js';
import type { RosteringRound } from '../core/round.js';
import type { ForecastHolder } from './forecast-holder.js';
import type { RosteringMetrics } from './metrics.js';
import type { RosterOutbox } from './outbox.js';

/** What the service keeps of what it sent (most recent last, capped), for tests and benches. */
export interface SentRecord {
  plans: Plan[];
  callIns: RosterCallIn[];
  shiftPlans: RosterShiftPlan[];
}

const push = <T>(xs: T[], x: T, cap: number) => {
  xs.push(x);
  if (xs.length > cap) xs.shift();
};

/**
 * Runs a round when one is due and sends what it decided, in this order: the plan event, the
 * moves, each due day's roster.shift tasks (confirmed before the booking is recorded, so an
 * unconfirmed booking is made again next round) and its roster.shift_plan, then the call-ins.
 */
export class RoundSender {
  constructor(private readonly d: { round: RosteringRound; forecasts: ForecastHolder; outbox: RosterOutbox; metrics: RosteringMetrics; log: Logger; sent: SentRecord }) {}

  async runDue(): Promise<void> {
    const { round, forecasts, outbox, metrics: m, log, sent } = this.d;
    const origin = round.takeDueOrigin();
    if (origin === undefined) return;
    const t0 = Date.now();
    const d = round.planBucket(origin, forecasts.forecast(round.history, origin), forecasts.source.version);
    await outbox.publishEvent(d.event);
    for (const task of d.moves) outbox.sendTask(task);
    // Book a due day first: call-ins are then weighed against its plan.
    await this.bookDueShifts(d.ts);
    const calls = round.callIns(d);
    if (calls.worthIt < calls.wanted) log.info({ wanted: calls.wanted, worthIt: calls.worthIt }, 'call-ins trimmed: the hours they would take from later in the day are worth more');
    for (const task of calls.tasks) {
      outbox.sendTask(task);
      m.callIns.inc(task.riders);
      push(sent.callIns, task, 200);
    }
    if (d.moves.length > 0 || calls.tasks.length > 0) await outbox.confirm();
    m.plans.inc();
    m.moves.inc(d.moves.length);
    for (const z of d.plan.zones) {
      m.needed.set({ zone: z.zoneId }, z.ridersNeeded);
      m.present.set({ zone: z.zoneId }, z.ridersPresent);
      m.forecast.set({ zone: z.zoneId }, z.forecastOrders);
    }
    m.planSeconds.observe((Date.now() - t0) / 1000);
    push(sent.plans, d.plan, 200);
    log.info({ bucketStart: new Date(d.plan.bucketStart).toISOString(), source: forecasts.source.version, riders: d.plan.ridersAvailable, needed: d.plan.zones.reduce((s, z) => s + z.ridersNeeded, 0), moves: d.moves.length, callIns: d.plan.callIns.map((c) => c.riders), callInRequests: calls.tasks.map((r) => r.riders) }, 'roster plan published');
    round.finish(origin);
  }

  private async bookDueShifts(now: number): Promise<void> {
    const { round, outbox, metrics: m, log, sent } = this.d;
    for (const b of round.dueBookings(now)) {
      if (b.kind === 'no-forecast') {
        log.warn({ day: new Date(b.day).toISOString(), riders: b.riderIds.length }, 'no history for a day-ahead forecast; riders keep their own start times');
        round.confirmBooking(b);
        continue;
      }
      for (const task of b.tasks) outbox.sendTask(task);
      if (b.tasks.length > 0) await outbox.confirm();
      m.shiftsBooked.inc(b.tasks.length);
      round.confirmBooking(b);
      await outbox.publishEvent(b.event);
      push(sent.shiftPlans, b.event, 30);
      log.info({ day: new Date(b.day).toISOString().slice(0, 10), booked: b.tasks.length, unplaced: b.unplaced, forecast: b.event.forecastSource }, 'shifts booked from the day-ahead forecast');
    }
  }
}
