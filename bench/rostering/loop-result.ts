import type { LogEvent } from '@riderflow/contracts';
import { CalibrationTap, type CalibrationHour } from '@riderflow/rostering/core';
import { LoopTap, type LoopDiagnostics, type MoveRecord } from './loop-diagnostics.js';

/** off: riders keep their habits; ml: rostering with its forecasts; oracle: the same rostering code given the day's true demand. */
export type LoopArm = 'off' | 'ml' | 'oracle';

export interface LoopResult {
  arm: LoopArm;
  rostering: boolean;
  /** 90th percentile of click-to-door over delivered orders, minutes. */
  p90ClickToDoorMin: number;
  /** Per hour: riders the staffing rule needed on the orders that came, riders on shift, on-time share. */
  calibration: CalibrationHour[];
  created: number;
  delivered: number;
  cancelled: number;
  meanClickToDoorMin: number;
  within40Share: number;
  /** Delivered within 40 min over all orders created (a cancelled order counts as a miss). */
  within40OfCreated: number;
  plans: number;
  moves: number;
  /** Riders the simulated operations office called in (their later shift moved to now, same length). */
  ridersCalledIn: number;
  /** Shifts rostering booked that the operations office took (and refused). */
  shiftsBooked: number;
  shiftBookingsRefused: number;
  /**
   * Rider-hours on shift inside the run's window, as worked: from each shift's start to its end
   * event, which waits for a rider with food on board to deliver it (overtime).
   */
  riderHoursInWindow: number;
  /** The same hours as rostered (each shift's start to its planned end, cut at the window's end): no overtime. */
  rosteredHoursInWindow: number;
  /** Share of on-shift pings in which the rider was on an order (to the store, waiting there, to the door). */
  busyShare: number;
  wallSeconds: number;
  /** How the arm ran: the engine, and simulated hours against wall seconds. */
  simLagNote: string;
  diagnostics?: LoopDiagnostics;
}

/**
 * Everything an arm reports, read from the simulator's own events (ground truth, not what a
 * service believes), so the deterministic and the real-time engines count the same way.
 */
export class LoopTally {
  private readonly clickToDoor: number[] = [];
  private readonly tap: LoopTap;
  private readonly calibration = new CalibrationTap();
  private readonly shiftSince = new Map<string, number>();
  private readonly rostered: { start: number; end: number }[] = [];
  private readonly moves: MoveRecord[] = [];
  private riderMs = 0;
  private created = 0;
  private cancelled = 0;
  private plans = 0;
  private onShiftPings = 0;
  private busyPings = 0;

  constructor(startMs: number) {
    this.tap = new LoopTap(startMs);
  }

  add(e: LogEvent): void {
    this.tap.add(e);
    this.calibration.add(e);
    switch (e.type) {
      case 'rider.shift_started': this.shiftSince.set(e.riderId, e.ts); this.rostered.push({ start: e.ts, end: e.shiftEnd }); break;
      case 'rider.shift_ended': {
        const since = this.shiftSince.get(e.riderId);
        if (since !== undefined) { this.riderMs += e.ts - since; this.shiftSince.delete(e.riderId); }
        break;
      }
      case 'rider.location':
        if (e.status === 'off_shift') break;
        this.onShiftPings++;
        if (e.status === 'to_store' || e.status === 'waiting' || e.status === 'to_customer') this.busyPings++;
        break;
      case 'order.created': this.created++; break;
      case 'order.delivered': this.clickToDoor.push(e.clickToDoorMin); break;
      case 'order.cancelled': this.cancelled++; break;
      case 'roster.plan':
        this.plans++;
        for (const mv of e.moves) this.moves.push({ riderId: mv.riderId, atMs: e.bucketStart, toZoneId: mv.toZoneId });
        break;
      default: break;
    }
  }

  /** Plans a rostering service published on its own topic (the real-time engine's simulator never sees them). */
  addPlan(moves: readonly MoveRecord[]): void {
    this.plans++;
    this.moves.push(...moves);
  }

  /** The arm's result over [simStartMs, simEndMs); shifts still under way at the end count up to it. */
  result(arm: LoopArm, run: { simStartMs: number; simEndMs: number; ridersCalledIn: number; shiftsBooked: number; shiftBookingsRefused: number; wallSeconds: number; simLagNote: string }): LoopResult {
    let riderMs = this.riderMs;
    for (const since of this.shiftSince.values()) riderMs += run.simEndMs - since;
    const c2d = this.clickToDoor;
    const sorted = [...c2d].sort((a, b) => a - b);
    const within = c2d.filter((v) => v <= 40).length;
    return {
      arm,
      rostering: arm !== 'off',
      p90ClickToDoorMin: sorted.length > 0 ? sorted[Math.min(sorted.length - 1, Math.ceil(0.9 * sorted.length) - 1)] : NaN,
      calibration: this.calibration.rows(run.simStartMs, run.simEndMs),
      created: this.created,
      delivered: c2d.length,
      cancelled: this.cancelled,
      meanClickToDoorMin: c2d.reduce((s, v) => s + v, 0) / Math.max(1, c2d.length),
      within40Share: within / Math.max(1, c2d.length),
      within40OfCreated: within / Math.max(1, this.created),
      plans: this.plans,
      moves: this.moves.length,
      ridersCalledIn: run.ridersCalledIn,
      shiftsBooked: run.shiftsBooked,
      shiftBookingsRefused: run.shiftBookingsRefused,
      riderHoursInWindow: riderMs / 3_600_000,
      busyShare: this.onShiftPings > 0 ? this.busyPings / this.onShiftPings : NaN,
      rosteredHoursInWindow: this.rostered.reduce((sum, sh) => sum + Math.max(0, Math.min(sh.end, run.simEndMs) - sh.start), 0) / 3_600_000,
      wallSeconds: run.wallSeconds,
      simLagNote: run.simLagNote,
      diagnostics: this.tap.summary(this.moves),
    };
  }
}
