import { createRng } from '@riderflow/geo';
import { DAY, HOUR, MINUTE, dayOfWeek } from './time.js';
import type { RiderProfile } from './world.js';

export interface Shift { start: number; end: number }

// Shift start hours and their weights: mostly before lunch and before dinner.
const STARTS: [number, number][] = [[7, 0.06], [9, 0.08], [10, 0.18], [11, 0.22], [15, 0.08], [16, 0.14], [17, 0.18], [19, 0.06]];
const START_CUM = STARTS.reduce<number[]>((acc, [, w]) => [...acc, (acc.at(-1) ?? 0) + w], []);

/** A rider's shift on the day starting at dayStartMs, or null on a day off. Pure in (seed, rider, day). */
export function shiftForDay(seed: string, rider: RiderProfile, dayStartMs: number): Shift | null {
  const rng = createRng(`${seed}/shift/${rider.id}/${Math.floor(dayStartMs / DAY)}`);
  const weekend = dayOfWeek(dayStartMs) >= 4;
  if (!rng.chance(weekend ? 0.85 : 0.72)) return null;
  const start = dayStartMs + STARTS[rng.weightedIndex(START_CUM)][0] * HOUR + rng.int(0, 3) * 15 * MINUTE;
  const lengthH = rng.pick([4, 5, 5, 6, 6, 7, 8, 9]);
  return { start, end: start + lengthH * HOUR };
}
