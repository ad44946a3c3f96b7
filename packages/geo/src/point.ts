/** A position on the local plane, in metres (x east, y north) around a city centre. */
export interface Point { x: number; y: number }

/** Straight-line distance in metres: the world's riders ride straight lines (there is no street graph). */
export function distance(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}
