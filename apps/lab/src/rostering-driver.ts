import type { LogEvent } from '@riderflow/contracts';
import { RosteringRound } from '@riderflow/rostering/core';
import type { Simulation } from '@riderflow/simulator';
import type { LabForecast, LabRostering } from './rostering-policies.js';

/** What rostering did in a replay. */
export interface RosteringStats {
  plans: number;
  moves: number;
  callInsAsked: number;
  ridersCalledIn: number;
  bookingsSent: number;
  bookingsRefused: number;
}

/**
 * The rostering service's round in the lab's loop, as its shell (RoundSender) runs it live: it
 * folds every event the replay produces, and each time simulated time enters a new 15-minute
 * bucket plans the bucket, sends the reposition moves, the due day bookings and the call-ins —
 * here straight to the simulator's own handling of those tasks (Simulation.instruct), with no
 * queue between. Call-ins move a rider's recorded shift later today to now (same hours).
 */
export class RosteringDriver {
  readonly stats: RosteringStats = { plans: 0, moves: 0, callInsAsked: 0, ridersCalledIn: 0, bookingsSent: 0, bookingsRefused: 0 };
  private readonly round: RosteringRound;
  private readonly forecast: LabForecast;

  constructor(policy: LabRostering, forecast: LabForecast, history: readonly LogEvent[]) {
    this.round = new RosteringRound(policy.settings);
    this.forecast = forecast;
    // What the live service knew when the replay starts: the log before it.
    for (const e of history) this.round.fold(e);
  }

  fold(events: readonly LogEvent[]): void {
    for (const e of events) this.round.fold(e);
  }

  /** Runs the round if one is due; returns its plan event and the world's answers to its tasks, in that order. */
  decide(sim: Simulation): LogEvent[] {
    const origin = this.round.takeDueOrigin();
    if (origin === undefined) return [];
    const d = this.round.planBucket(origin, this.forecast.forecast(this.round.history, origin), this.forecast.version);
    const out: LogEvent[] = [d.event];
    this.stats.plans++;
    for (const mv of d.moves) if (sim.instruct(mv, out).accepted) this.stats.moves++;
    // Book a due day first: call-ins are then weighed against its plan (as RoundSender does).
    for (const b of this.round.dueBookings(d.ts)) {
      if (b.kind === 'booked') {
        for (const task of b.tasks) { this.stats.bookingsSent++; if (!sim.instruct(task, out).accepted) this.stats.bookingsRefused++; }
        out.push(b.event);
      }
      this.round.confirmBooking(b);
    }
    const before = sim.stats.ridersCalledIn;
    for (const task of this.round.callIns(d).tasks) { this.stats.callInsAsked += task.riders; sim.instruct(task, out); }
    this.stats.ridersCalledIn += sim.stats.ridersCalledIn - before;
    this.round.finish(origin);
    // The round's own events are on the log before the world's answers; the round folds the answers too.
    this.fold(out);
    return out;
  }
}
