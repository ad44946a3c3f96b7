import { cumulative, type Rng } from './rng.js';

export type Vehicle = 'bike' | 'scooter' | 'car';

/** One kind of rider in the world's fleet: its share of riders and its clear-weather speed range. */
export interface VehicleClass {
  vehicle: Vehicle;
  share: number;
  /** Each rider's own speed is drawn uniformly from this range, km/h. */
  kmh: readonly [number, number];
}

/** The world's fleet: the single source of how fast riders are. */
export const FLEET: readonly VehicleClass[] = [
  { vehicle: 'bike', share: 0.6, kmh: [13, 18] },
  { vehicle: 'scooter', share: 0.35, kmh: [18, 25] },
  { vehicle: 'car', share: 0.05, kmh: [20, 28] },
];

const FLEET_CUMULATIVE = cumulative(FLEET.map((v) => v.share));

/** Draws a rider's vehicle with the fleet's shares (one draw from rng). */
export function drawVehicle(rng: Rng): VehicleClass {
  return FLEET[rng.weightedIndex(FLEET_CUMULATIVE)];
}

/** Draws a rider's clear-weather speed for its vehicle, metres per second to 2 decimals (one draw from rng). */
export function drawSpeedMps(rng: Rng, v: VehicleClass): number {
  return Math.round((rng.range(v.kmh[0], v.kmh[1]) / 3.6) * 100) / 100;
}
