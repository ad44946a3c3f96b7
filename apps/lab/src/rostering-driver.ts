import type { LabRosteringStats, LogEvent } from '@riderflow/contracts';
import { RosteringRound, type RoundSettings } from '@riderflow/rostering/core';
import type { Simulation } from '@riderflow/simulator';
import type { LabForecast } from './rostering-policies.js';

/** What rostering did in a replay (contracts: it goes on lab.runs with the run). */
export type RosteringStats = LabRosteringStats;

/** A refusal's reason with the rider's id generalised, so one cause over many riders is one line. */
const refusalKind = (reason: string) => reason.replace(/\brider \S+?('s)?(?=[\s,'])/g, (_m, s: string | undefined) => `a rider${s ?? ''}`);

/**
 * The rostering service's round in the lab's loop, as its shell (RoundSender) runs it live: it
 * folds every event the replay produces, and each time simulated time enters a new 15-minute
 * bucket plans the bucket, sends the reposition moves, the due day bookings and the call-ins —
 * here straight to the simulator's own handling of those tasks (Simulation.instruct), with no
 * queue between. Call-ins move a rider's recorded shift later today to now (same hours); bookings
 * move a recorded shift's start (same hours), as the live simulator does with its roster.
 */
export class RosteringDriver {
  readonly stats: RosteringStats = { plans: 0, moves: 0, callInsAsked: 0, ridersCalledIn: 0, bookingsSent: 0, bookingsTaken: 0, bookingsMoved: 0, bookingsRefused: 0, refusals: [] };
  private readonly round: RosteringRound;
  private readonly forecast: LabForecast;

  /**
   * `history` streams what the live service knew when the loop starts (the log before it) into
   * the round; the caller decides which of it counts (a lab replay leaves out announcements its
   * recording already booked; the rostering bench folds a fresh world's whole history).
   */
  constructor(settings: RoundSettings, forecast: LabForecast, history: (fold: (e: LogEvent) => void) => void) {
    this.round = new RosteringRound(settings);
    this.forecast = forecast;
    history((e) => this.round.fold(e));
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
        for (const task of b.tasks) this.book(sim, task, out);
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

  private book(sim: Simulation, task: Extract<Parameters<Simulation['instruct']>[0], { type: 'roster.shift' }>, out: LogEvent[]): void {
    this.stats.bookingsSent++;
    const recordedStart = sim.shiftStartOn(task.riderId, task.day);
    const res = sim.instruct(task, out);
    if (res.accepted) {
      this.stats.bookingsTaken++;
      if (recordedStart !== task.start) this.stats.bookingsMoved++;
      return;
    }
    this.stats.bookingsRefused++;
    const kind = refusalKind(res.reason);
    const seen = this.stats.refusals.find((r) => r.reason === kind);
    if (seen) seen.count++;
    else this.stats.refusals.push({ reason: kind, count: 1 });
  }
}
