import type { Point, TravelTime } from './types.js';

/** The MDRP travel rule: whole minutes, rounded up. */
export function euclideanTravel(metersPerMinute: number): TravelTime {
  return (a: Point, b: Point) => {
    const dx = a.x - b.x;
    const dy = a.y - b.y;
    // sqrt of the sum, like the published evaluator, so boundary cases round the same way
    return Math.ceil(Math.sqrt(dx * dx + dy * dy) / metersPerMinute);
  };
}
