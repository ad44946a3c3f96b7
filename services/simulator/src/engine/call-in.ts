import { distance, type Point } from '@riderflow/geo';
import type { Shift } from '../world/shifts.js';

export interface CallInCandidate {
  idx: number;
  id: string;
  home: Point;
  /** The rider's shift later today, as rostered. */
  shift: Shift;
}

/**
 * Which rostered riders the operations office calls in: those whose shift would start soonest
 * (the smallest change to their day and to the roster), then the nearest to the zone asked for,
 * then by id, so the same request at the same time always picks the same riders.
 */
export function pickCallIns(candidates: CallInCandidate[], riders: number, target: Point | null): CallInCandidate[] {
  const dist = (c: CallInCandidate) => (target ? distance(c.home, target) : 0);
  return [...candidates]
    .sort((a, b) => a.shift.start - b.shift.start || dist(a) - dist(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, Math.max(0, riders));
}

/** The called-in shift: starts now and ends earlier by as much, so the rider works the same hours. */
export function advancedShift(shift: Shift, nowMs: number): Shift {
  const advance = Math.max(0, shift.start - nowMs);
  return { start: shift.start - advance, end: shift.end - advance };
}
