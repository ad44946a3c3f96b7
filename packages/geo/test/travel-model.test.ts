import { describe, expect, it } from 'vitest';
import {
  FLEET,
  PLANNING_SPEED_KMH,
  LocalProjection,
  createProjection,
  createRng,
  distance,
  drawSpeedMps,
  drawVehicle,
  latLonDistance,
  plannedMinutesBetween,
  plannedTravel,
  rideMs,
  wholeMinutes,
  type Point,
} from '../src/index.js';

const MIN = 60_000;

describe("the world's ride (rideMs)", () => {
  it('is symmetric, zero for no distance, and proportional to distance over speed', () => {
    const a = { x: 0, y: 0 }, b = { x: 3000, y: 4000 };
    expect(rideMs(a, a, 5)).toBe(0);
    expect(rideMs(a, b, 5)).toBe(rideMs(b, a, 5));
    expect(rideMs(a, b, 5)).toBe(1_000_000); // 5 km at 5 m/s
    expect(rideMs(a, b, 10)).toBe(500_000);
  });

  it('weather slows it by the speed factor', () => {
    const a = { x: 0, y: 0 }, b = { x: 1200, y: -900 };
    expect(rideMs(a, b, 4, 0.7)).toBe(Math.round(rideMs(a, b, 4) / 0.7));
  });
});

describe('the MDRP rule (wholeMinutes)', () => {
  it('rounds up to whole minutes, exactly on the boundary', () => {
    expect(wholeMinutes({ x: 0, y: 0 }, { x: 300, y: 400 }, 100)).toBe(5); // exactly 5
    expect(wholeMinutes({ x: 0, y: 0 }, { x: 300, y: 401 }, 100)).toBe(6);
    expect(wholeMinutes({ x: 7, y: 7 }, { x: 7, y: 7 }, 100)).toBe(0);
  });
});

describe("the planners' estimate (PLANNING_SPEED_KMH) against the world's model", () => {
  it('lies inside the fleet speed range, below the arithmetic mean (it is a harmonic mean)', () => {
    const arithmetic = FLEET.reduce((s, v) => s + v.share * (v.kmh[0] + v.kmh[1]) / 2, 0) / FLEET.reduce((s, v) => s + v.share, 0);
    expect(PLANNING_SPEED_KMH).toBeGreaterThan(Math.min(...FLEET.map((v) => v.kmh[0])));
    expect(PLANNING_SPEED_KMH).toBeLessThan(arithmetic);
  });

  it('plans the mean ride time of riders drawn as the world draws them, to within 1 %', () => {
    const rng = createRng('estimate');
    const planned = plannedTravel();
    let world = 0, plan = 0, naive = 0;
    const naiveTravel = plannedTravel(FLEET.reduce((s, v) => s + v.share * (v.kmh[0] + v.kmh[1]) / 2, 0));
    for (let i = 0; i < 50_000; i++) {
      const v = drawVehicle(rng);
      const speedMps = drawSpeedMps(rng, v);
      const a: Point = { x: rng.range(-6000, 6000), y: rng.range(-6000, 6000) };
      const b: Point = { x: rng.range(-6000, 6000), y: rng.range(-6000, 6000) };
      world += rideMs(a, b, speedMps) / MIN;
      plan += planned(a, b);
      naive += naiveTravel(a, b);
    }
    expect(Math.abs(plan / world - 1)).toBeLessThan(0.01);
    // the estimate is worth having: the plain mean speed would be off by more
    expect(Math.abs(naive / world - 1)).toBeGreaterThan(0.02);
  });

  it('draws riders with the fleet shares and inside each speed range', () => {
    const rng = createRng('fleet');
    const counts = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      const v = drawVehicle(rng);
      const s = drawSpeedMps(rng, v) * 3.6;
      expect(s).toBeGreaterThanOrEqual(v.kmh[0] - 0.02);
      expect(s).toBeLessThanOrEqual(v.kmh[1] + 0.02);
      counts.set(v.vehicle, (counts.get(v.vehicle) ?? 0) + 1);
    }
    for (const v of FLEET) expect(Math.abs((counts.get(v.vehicle) ?? 0) / 20_000 - v.share)).toBeLessThan(0.015);
  });
});

describe('projection: planners measure as the world does', () => {
  const world = createProjection(52.52, 13.405);
  const rng = createRng('projection');
  const points = Array.from({ length: 200 }, () => ({ x: rng.range(-8000, 8000), y: rng.range(-8000, 8000) }));

  it('round-trips a point through lat/lon to within 0.2 m', () => {
    for (const p of points) {
      const ll = world.toLatLon(p);
      expect(distance(world.toPoint(ll.lat, ll.lon), p)).toBeLessThan(0.2);
    }
  });

  it('LocalProjection (centred on the first point it sees) and latLonDistance agree with the world on distances across a 16 km city, to 0.25 %', () => {
    // Each centres its plane elsewhere than the world does; over ±8 km of latitude the east-west
    // scale (cos of latitude) differs by up to ~0.16 % at Berlin's latitude.
    const local = new LocalProjection();
    for (let i = 1; i < points.length; i++) {
      const a = world.toLatLon(points[i - 1]), b = world.toLatLon(points[i]);
      const d = distance(points[i - 1], points[i]);
      if (d < 100) continue;
      expect(Math.abs(distance(local.toPoint(a.lat, a.lon), local.toPoint(b.lat, b.lon)) / d - 1)).toBeLessThan(0.0025);
      expect(Math.abs(latLonDistance(a.lat, a.lon, b.lat, b.lon) / d - 1)).toBeLessThan(0.0025);
      expect(Math.abs(plannedMinutesBetween(a.lat, a.lon, b.lat, b.lon) / plannedTravel()(points[i - 1], points[i]) - 1)).toBeLessThan(0.0025);
    }
  });
});
