/**
 * The world lives in metres on a flat local plane (x east, y north) around a city centre;
 * lat/lon exist only on the way out. An equirectangular projection is exact enough for a city
 * and is linear, so MDRP instance metres map onto it without distortion.
 */
export interface Point { x: number; y: number }

export interface Projection {
  centreLat: number;
  centreLon: number;
  toLatLon(p: Point): { lat: number; lon: number };
  toPoint(lat: number, lon: number): Point;
}

const METRES_PER_DEG_LAT = 111_320;

export function createProjection(centreLat: number, centreLon: number): Projection {
  const metresPerDegLon = METRES_PER_DEG_LAT * Math.cos((centreLat * Math.PI) / 180);
  return {
    centreLat,
    centreLon,
    toLatLon: (p) => ({
      lat: round6(centreLat + p.y / METRES_PER_DEG_LAT),
      lon: round6(centreLon + p.x / metresPerDegLon),
    }),
    toPoint: (lat, lon) => ({ x: (lon - centreLon) * metresPerDegLon, y: (lat - centreLat) * METRES_PER_DEG_LAT }),
  };
}

export function distance(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

/** 6 decimals ≈ 0.1 m: plenty, and keeps events short. */
export function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}
