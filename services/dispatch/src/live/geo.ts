import type { Point } from '../core/types.js';

/**
 * Local planar metres around a reference point (equirectangular). Within a city the error is far
 * below a rider's routing noise, and it lets the core keep working in metres.
 */
export class LocalProjection {
  private ref: { lat: number; lon: number; cos: number } | null = null;

  toPoint(lat: number, lon: number): Point {
    this.ref ??= { lat, lon, cos: Math.cos((lat * Math.PI) / 180) };
    return { x: (lon - this.ref.lon) * 111_320 * this.ref.cos, y: (lat - this.ref.lat) * 110_540 };
  }
}

/** Straight-line travel at a steady speed, in minutes (fractional: the live world is not gridded in minutes). */
export function straightLineTravel(speedKmh: number): (a: Point, b: Point) => number {
  const metresPerMin = (speedKmh * 1000) / 60;
  return (a, b) => Math.hypot(a.x - b.x, a.y - b.y) / metresPerMin;
}
