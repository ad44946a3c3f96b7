import { createProjection, createRng, cumulative, drawSpeedMps, drawVehicle, type Point, type Rng } from '@riderflow/geo';
import { CITY_CENTRE, CITY_SERVICE_MIN, cityLayout, ZONE_SIZE_M } from '@riderflow/geo';

export { CITY_CENTRE, cityLayout } from '@riderflow/geo';
import { type Customer, type RiderProfile, type Store, type World, type Zone } from './world.js';

export interface CityOptions {
  seed: string;
  zones: number;
  stores: number;
  riders: number;
  customers?: number;
}

const STORE_KINDS = ['Pizza', 'Sushi', 'Burger', 'Döner', 'Thai', 'Vegan', 'Ramen', 'Curry', 'Tacos', 'Poke', 'Falafel', 'Pho', 'Bakery', 'Grocery'];

function pointIn(rng: Rng, centre: Point, halfW: number, halfH: number): Point {
  return { x: Math.round(centre.x + rng.range(-halfW, halfW)), y: Math.round(centre.y + rng.range(-halfH, halfH)) };
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
    // the city's service times, the ones dispatch plans with (@riderflow/geo)
    pickupServiceMs: CITY_SERVICE_MIN.pickup * 60_000,
    dropoffServiceMs: CITY_SERVICE_MIN.dropoff * 60_000,
  };
}
