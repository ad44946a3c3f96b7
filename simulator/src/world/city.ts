import { createProjection, createRng, cumulative, drawSpeedMps, drawVehicle, type Point, type Rng } from '@riderflow/geo';
import { buildGrid, type Customer, type RiderProfile, type Store, type World, type Zone } from './world.js';

export interface CityOptions {
  seed: string;
  zones: number;
  stores: number;
  riders: number;
  customers?: number;
}

/** Berlin-Mitte: a real-looking centre; the grid of zones spreads around it. */
export const CITY_CENTRE = { lat: 52.52, lon: 13.405, name: 'Berlin' };
const ZONE_SIZE_M = 1_500;

const DISTRICTS = [
  'Mitte', 'Kreuzberg', 'Friedrichshain', 'Prenzlauer Berg', 'Tiergarten', 'Moabit', 'Schöneberg', 'Neukölln',
  'Wedding', 'Charlottenburg', 'Alt-Treptow', 'Lichtenberg', 'Gesundbrunnen', 'Wilmersdorf', 'Tempelhof', 'Pankow',
  'Friedenau', 'Rummelsburg', 'Westend', 'Halensee', 'Plänterwald', 'Weißensee', 'Steglitz', 'Britz',
  'Reinickendorf', 'Oberschöneweide', 'Karlshorst', 'Mariendorf', 'Dahlem', 'Spandau', 'Köpenick', 'Marzahn',
];
const STORE_KINDS = ['Pizza', 'Sushi', 'Burger', 'Döner', 'Thai', 'Vegan', 'Ramen', 'Curry', 'Tacos', 'Poke', 'Falafel', 'Pho', 'Bakery', 'Grocery'];

function pointIn(rng: Rng, centre: Point, halfW: number, halfH: number): Point {
  return { x: Math.round(centre.x + rng.range(-halfW, halfW)), y: Math.round(centre.y + rng.range(-halfH, halfH)) };
}

/**
 * The city's zones: a grid of square zones around the centre, their ids and district names. It
 * depends only on the zone count (never on the seed), so a reader of the log can draw the same
 * zones from the first frame (see zone-outlines.ts).
 */
export function cityLayout(zoneCount: number): { grid: ReturnType<typeof buildGrid>['grid']; centres: Point[]; ids: string[]; names: string[] } {
  const cols = Math.ceil(Math.sqrt(zoneCount));
  const rows = Math.ceil(zoneCount / cols);
  const width = cols * ZONE_SIZE_M, height = rows * ZONE_SIZE_M;
  const { grid, centres } = buildGrid(zoneCount, -width / 2, -height / 2, width, height);

  // Names go to zones by distance from the centre, so "Mitte" is the middle of the map.
  const byDistance = centres.map((c, i) => ({ i, d: Math.hypot(c.x, c.y) })).sort((a, b) => a.d - b.d || a.i - b.i);
  const names: string[] = new Array(zoneCount);
  byDistance.forEach(({ i }, rank) => {
    const base = DISTRICTS[rank % DISTRICTS.length];
    const round = Math.floor(rank / DISTRICTS.length);
    names[i] = round === 0 ? base : `${base} ${round + 1}`;
  });
  const width2 = String(zoneCount).length;
  const ids = centres.map((_, index) => `z${String(index + 1).padStart(width2, '0')}`);
  return { grid, centres, ids, names };
}

/** Generates a city from a seed. Pure: the same options always give the same world. */
export function generateCity(opts: CityOptions): World {
  const rng = createRng(opts.seed).fork('city');
  const { grid, centres, ids, names } = cityLayout(opts.zones);
  const zones: Zone[] = centres.map((centre, index) => ({
    id: ids[index],
    name: names[index],
    index,
    centre,
    // Demand density falls off with distance from the centre, with some noise per zone.
    weight: Math.round((Math.exp(-Math.hypot(centre.x, centre.y) / 4_000) + 0.15) * rng.range(0.8, 1.2) * 1000) / 1000,
  }));
  const zoneCum = cumulative(zones.map((z) => z.weight));
  const half = ZONE_SIZE_M / 2;

  const storeRng = rng.fork('stores');
  const stores: Store[] = [];
  for (let i = 0; i < opts.stores; i++) {
    const zoneIndex = storeRng.weightedIndex(zoneCum);
    const prepMeanMin = Math.round(Math.min(35, Math.max(5, Math.exp(storeRng.normal(Math.log(13), 0.3)))) * 10) / 10;
    stores.push({
      id: `s${i + 1}`,
      name: `${storeRng.pick(STORE_KINDS)} ${zones[zoneIndex].name}`,
      zoneIndex,
      pos: pointIn(storeRng, zones[zoneIndex].centre, half, half),
      prepMeanMin,
      prepSdMin: Math.round(prepMeanMin * storeRng.range(0.2, 0.4) * 10) / 10,
      popularity: Math.round(Math.exp(storeRng.normal(0, 0.6)) * 1000) / 1000,
    });
  }

  const customerRng = rng.fork('customers');
  const customerCount = opts.customers ?? Math.min(200_000, Math.max(500, opts.riders * 25));
  const customers: Customer[] = [];
  for (let i = 0; i < customerCount; i++) {
    const zoneIndex = customerRng.weightedIndex(zoneCum);
    customers.push({ id: `c${i + 1}`, zoneIndex, pos: pointIn(customerRng, zones[zoneIndex].centre, half, half) });
  }

  const riderRng = rng.fork('riders');
  const riders: RiderProfile[] = [];
  for (let i = 0; i < opts.riders; i++) {
    const v = drawVehicle(riderRng); // the fleet (vehicles, speeds) is the travel model's, in @riderflow/geo
    riders.push({
      id: `r${i + 1}`,
      homeZoneIndex: riderRng.weightedIndex(zoneCum),
      vehicle: v.vehicle,
      speedMps: drawSpeedMps(riderRng, v),
    });
  }

  return {
    kind: 'city',
    name: `${CITY_CENTRE.name} (${opts.zones} zones)`,
    projection: createProjection(CITY_CENTRE.lat, CITY_CENTRE.lon),
    zones,
    grid,
    stores,
    customers,
    riders,
    pickupServiceMs: 2 * 60_000,
    dropoffServiceMs: 2 * 60_000,
  };
}
