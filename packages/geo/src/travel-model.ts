import { FLEET } from './fleet.js';
import { distance, type Point } from './point.js';
import { latLonDistance } from './projection.js';

/** Travel time between two points on the local plane, in minutes. */
export type TravelMinutes = (a: Point, b: Point) => number;

/**
 * The world's ride (the single source of travel times): a straight line at the rider's own speed,
 * slowed by the weather's speed factor; milliseconds.
 */
export function rideMs(from: Point, to: Point, speedMps: number, speedFactor = 1): number {
  const d = distance(from, to);
  if (d === 0) return 0;
  return Math.round((d / (speedMps * speedFactor)) * 1000);
}

/**
 * The MDRP travel rule, used when the world is an MDRP instance: whole minutes, rounded up, at the
 * instance's metres per minute, whatever the weather or the rider.
 */
export function wholeMinutes(a: Point, b: Point, metresPerMinute: number): number {
  const dx = a.x - b.x;
  const dy = a.y - b.y;
  // sqrt of the sum (not Math.hypot), like the published evaluator, so boundary cases round the same way
  return Math.ceil(Math.sqrt(dx * dx + dy * dy) / metresPerMinute);
}

export function wholeMinuteTravel(metresPerMinute: number): TravelMinutes {
  return (a, b) => wholeMinutes(a, b, metresPerMinute);
}

/**
 * The speed planners assume for a rider they know nothing about, km/h (≈ 17.37): the fleet's
 * harmonic mean clear-weather speed. A ride of d metres takes d·E[1/v] for a rider drawn from
 * the fleet, so this speed makes the planned time the world's expected ride time (the arithmetic
 * mean, ≈ 18.0 km/h, would plan rides ~4 % too short). Weather is not in it: rain slows riders
 * in the world, and the planners' estimate is then optimistic by the speed factor.
 */
export const PLANNING_SPEED_KMH = harmonicMeanKmh();

function harmonicMeanKmh(): number {
  let shares = 0;
  let inverse = 0; // E[1/v] in h/km: for v uniform on [a, b], ln(b/a)/(b−a)
  for (const { share, kmh: [a, b] } of FLEET) {
    shares += share;
    inverse += share * (b > a ? Math.log(b / a) / (b - a) : 1 / a);
  }
  return shares / inverse;
}

/** Planned travel in fractional minutes at a steady speed (default: the world's expected ride, see PLANNING_SPEED_KMH). */
export function plannedTravel(speedKmh = PLANNING_SPEED_KMH): TravelMinutes {
  const metresPerMin = (speedKmh * 1000) / 60;
  return (a, b) => distance(a, b) / metresPerMin;
}

/** plannedTravel between two lat/lon positions (for planners that keep positions as lat/lon). */
export function plannedMinutesBetween(aLat: number, aLon: number, bLat: number, bLon: number, speedKmh = PLANNING_SPEED_KMH): number {
  return latLonDistance(aLat, aLon, bLat, bLon) / ((speedKmh * 1000) / 60);
}
