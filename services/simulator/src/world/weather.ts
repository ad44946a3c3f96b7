import type { WeatherCondition } from '@riderflow/contracts';
import type { Point, Rng } from '@riderflow/geo';
import { DAY, HOUR } from './time.js';
import type { World } from './world.js';

/** A rain band: a disc of rain that drifts across the city in a straight line. */
export interface Front {
  id: string;
  startMs: number;
  endMs: number;
  origin: Point;
  /** Metres per millisecond. */
  vx: number;
  vy: number;
  radiusM: number;
  peakMmH: number;
}

export interface ZoneWeather {
  condition: WeatherCondition;
  rainMmH: number;
  demandFactor: number;
  speedFactor: number;
}

export const CLEAR: ZoneWeather = { condition: 'clear', rainMmH: 0, demandFactor: 1, speedFactor: 1 };

/** The fronts that start on the day beginning at `dayStartMs`. The rng must be forked per day. */
export function frontsForDay(rng: Rng, world: World, dayStartMs: number): Front[] {
  const xs = world.zones.map((z) => z.centre.x), ys = world.zones.map((z) => z.centre.y);
  const cx = (Math.min(...xs) + Math.max(...xs)) / 2, cy = (Math.min(...ys) + Math.max(...ys)) / 2;
  const cityRadius = Math.max(2_000, Math.hypot(Math.max(...xs) - cx, Math.max(...ys) - cy) + 1_500);
  const rainyDay = rng.chance(0.4);
  const count = rainyDay ? rng.int(1, 3) : rng.chance(0.3) ? 1 : 0;
  const fronts: Front[] = [];
  for (let i = 0; i < count; i++) {
    const radiusM = rng.range(2_500, 7_000);
    const speedMps = rng.range(15, 40) / 3.6;
    const heading = rng.range(0, 2 * Math.PI); // direction of travel
    const start = { x: cx - Math.cos(heading) * (cityRadius + radiusM), y: cy - Math.sin(heading) * (cityRadius + radiusM) };
    const crossMs = ((2 * (cityRadius + radiusM)) / speedMps) * 1000;
    const startMs = dayStartMs + Math.floor(rng.range(0, DAY));
    fronts.push({
      id: `f${Math.floor(dayStartMs / DAY)}-${i}`,
      startMs,
      endMs: startMs + Math.round(crossMs),
      origin: start,
      vx: (Math.cos(heading) * speedMps) / 1000,
      vy: (Math.sin(heading) * speedMps) / 1000,
      radiusM,
      // Mostly light-to-moderate rain; now and then a storm cell.
      peakMmH: rng.chance(0.15) ? rng.range(8, 20) : rng.range(1.5, 6),
    });
  }
  return fronts;
}

export function rainAt(fronts: readonly Front[], p: Point, t: number): { rain: number; nearest: number } {
  let rain = 0, nearest = Infinity;
  for (const f of fronts) {
    if (t < f.startMs || t > f.endMs) continue;
    const dt = t - f.startMs;
    const d = Math.hypot(p.x - (f.origin.x + f.vx * dt), p.y - (f.origin.y + f.vy * dt));
    nearest = Math.min(nearest, d / f.radiusM);
    rain += f.peakMmH * Math.exp(-((d / f.radiusM) ** 2) * 2);
  }
  return { rain, nearest };
}

/** Rain raises demand (people stay in) and slows riders. */
export function weatherFromRain(rain: number, nearest: number): ZoneWeather {
  const rainMmH = Math.round(rain * 2) / 2; // half-millimetre steps: small drifts are not news
  if (rainMmH >= 7) return { condition: 'storm', rainMmH, demandFactor: 1.6, speedFactor: 0.7 };
  if (rainMmH >= 0.5) {
    return { condition: 'rain', rainMmH, demandFactor: round2(1 + 0.08 * rainMmH), speedFactor: round2(1 - 0.03 * rainMmH) };
  }
  if (nearest < 1.6) return { condition: 'cloudy', rainMmH: 0, demandFactor: 1.05, speedFactor: 1 };
  return CLEAR;
}

export function sameWeather(a: ZoneWeather, b: ZoneWeather): boolean {
  return a.condition === b.condition && a.rainMmH === b.rainMmH;
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

export const WEATHER_TICK_MS = 5 * 60_000;
export const FRONT_LOOKBACK_MS = 2 * HOUR;
