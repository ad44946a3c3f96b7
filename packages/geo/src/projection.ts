import { distance, type Point } from './point.js';

/**
 * The world lives in metres on a flat local plane (x east, y north) around a city centre;
 * lat/lon exist only on the way out. An equirectangular projection is exact enough for a city
 * and is linear, so MDRP instance metres map onto it without distortion.
 */
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

/** 6 decimals ≈ 0.1 m: plenty, and keeps events short. */
export function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

/**
 * The world's projection for a reader that does not know the city centre (it sees only the lat/lon
 * in events): centred on the first point it converts. Distances come out as the world's to well
 * under a metre per kilometre anywhere in a city, which is far below a rider's routing noise.
 */
export class LocalProjection {
  private projection: Projection | null = null;

  toPoint(lat: number, lon: number): Point {
    this.projection ??= createProjection(lat, lon);
    return this.projection.toPoint(lat, lon);
  }
}

/** Metres between two lat/lon positions, measured as the world measures them (on its local plane). */
export function latLonDistance(aLat: number, aLon: number, bLat: number, bLon: number): number {
  const plane = createProjection((aLat + bLat) / 2, (aLon + bLon) / 2);
  return distance(plane.toPoint(aLat, aLon), plane.toPoint(bLat, bLon));
}
