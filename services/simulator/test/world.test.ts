import { describe, expect, it } from 'vitest';
import { generateCity } from '../src/world/city.js';
import { buildDemandIndex, DAY_OF_WEEK_FACTOR, defaultDemand, expectedOrdersPerMinute, hourProfile } from '../src/world/demand.js';
import { createRng } from '@riderflow/geo';
import { frontsForDay, rainAt, weatherFromRain } from '../src/world/weather.js';
import { zoneIndexAt } from '../src/world/world.js';

const MONDAY = Date.parse('2025-03-03T00:00:00Z');
const HOUR = 3_600_000;

describe('the city', () => {
  const world = generateCity({ seed: 'w', zones: 16, stores: 50, riders: 100 });
  it('has named zones on a grid around a real-looking centre, stores with preparation times, customers', () => {
    expect(world.zones).toHaveLength(16);
    expect(new Set(world.zones.map((z) => z.name)).size).toBe(16);
    expect(world.zones.some((z) => z.name === 'Mitte')).toBe(true);
    for (const z of world.zones) {
      const ll = world.projection.toLatLon(z.centre);
      expect(Math.abs(ll.lat - 52.52)).toBeLessThan(0.1);
      expect(Math.abs(ll.lon - 13.405)).toBeLessThan(0.15);
      expect(zoneIndexAt(world.grid, z.centre)).toBe(z.index);
    }
    for (const s of world.stores) {
      expect(s.prepMeanMin).toBeGreaterThanOrEqual(5);
      expect(s.prepMeanMin).toBeLessThanOrEqual(35);
      expect(zoneIndexAt(world.grid, s.pos)).toBe(s.zoneIndex);
    }
    expect(world.customers.length).toBeGreaterThan(100);
    for (const r of world.riders) expect(r.speedMps * 3.6).toBeGreaterThan(12);
  });
});

describe('demand', () => {
  const world = generateCity({ seed: 'd', zones: 9, stores: 20, riders: 100 });
  const index = buildDemandIndex(world);
  const settings = defaultDemand(100);
  const cityPerMinute = (t: number, rain = 1) => world.zones.reduce((s, z) => s + expectedOrdersPerMinute(index, settings, z.index, t, rain), 0);
  it('peaks at lunch and dinner, is quiet at night, dinner above lunch', () => {
    expect(hourProfile(12.5)).toBeGreaterThan(4 * hourProfile(3));
    expect(hourProfile(19.5)).toBeGreaterThan(hourProfile(12.5));
    expect(hourProfile(12.5)).toBeGreaterThan(hourProfile(15.5));
    expect(cityPerMinute(MONDAY + 19.5 * HOUR) * 60).toBeCloseTo(100 * DAY_OF_WEEK_FACTOR[0], -1);
  });
  it('is higher at the weekend and in the rain', () => {
    expect(cityPerMinute(MONDAY + 5 * 24 * HOUR + 19 * HOUR)).toBeGreaterThan(cityPerMinute(MONDAY + 19 * HOUR)); // Saturday
    const rain = weatherFromRain(4, 0);
    expect(rain.condition).toBe('rain');
    expect(rain.demandFactor).toBeGreaterThan(1);
    expect(rain.speedFactor).toBeLessThan(1);
    expect(cityPerMinute(MONDAY + 19 * HOUR, rain.demandFactor)).toBeGreaterThan(cityPerMinute(MONDAY + 19 * HOUR));
  });
});

describe('weather fronts', () => {
  const world = generateCity({ seed: 'f', zones: 25, stores: 10, riders: 10 });
  it('move across the city: the rain reaches zones one after another along the heading', () => {
    let front;
    for (let d = 0; d < 60 && !front; d++) front = frontsForDay(createRng(`f/${d}`), world, MONDAY + d * 24 * HOUR)[0];
    expect(front).toBeDefined();
    const f = front!;
    // First time each zone sees rain.
    const firstWet = world.zones.map((z) => {
      for (let t = f.startMs; t <= f.endMs; t += 60_000) if (rainAt([f], z.centre, t).rain >= 0.5) return t;
      return Infinity;
    });
    const wet = world.zones.filter((_, i) => firstWet[i] !== Infinity);
    expect(wet.length).toBeGreaterThan(5);
    // Zones further along the heading get wet later.
    const along = (i: number) => world.zones[i].centre.x * f.vx + world.zones[i].centre.y * f.vy;
    const idx = world.zones.map((z) => z.index).filter((i) => firstWet[i] !== Infinity).sort((a, b) => along(a) - along(b));
    expect(firstWet[idx[0]]).toBeLessThan(firstWet[idx[idx.length - 1]]);
    // Before the front starts and after it ends it is dry everywhere.
    for (const z of world.zones) {
      expect(rainAt([f], z.centre, f.startMs - 1).rain).toBe(0);
      expect(rainAt([f], z.centre, f.endMs + 1).rain).toBe(0);
    }
  });
});
