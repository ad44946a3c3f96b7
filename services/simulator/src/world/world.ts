import type { Point, Projection, Vehicle, ZoneGrid } from '@riderflow/geo';

export { buildGrid, zoneIndexAt, type ZoneGrid } from '@riderflow/geo';

export interface Zone {
  id: string;
  name: string;
  index: number;
  centre: Point;
  /** Relative share of the city's demand (denser near the centre). */
  weight: number;
}


export interface Store {
  id: string;
  name: string;
  zoneIndex: number;
  pos: Point;
  /** Preparation time: log-normal with this mean and standard deviation, minutes. */
  prepMeanMin: number;
  prepSdMin: number;
  /** Relative chance a customer nearby orders here. */
  popularity: number;
}

export interface Customer {
  id: string;
  zoneIndex: number;
  pos: Point;
}

export type { Vehicle };

export interface RiderProfile {
  id: string;
  homeZoneIndex: number;
  vehicle: Vehicle;
  /** Speed in clear weather, metres per second. */
  speedMps: number;
}

/** The static part of the world: everything a seed (or an MDRP instance) fixes before time starts. */
export interface World {
  kind: 'city' | 'mdrp';
  name: string;
  projection: Projection;
  zones: Zone[];
  grid: ZoneGrid;
  stores: Store[];
  customers: Customer[];
  riders: RiderProfile[];
  pickupServiceMs: number;
  dropoffServiceMs: number;
  /** MDRP: travel takes ceil(distance / metresPerMinute) whole minutes, whatever the weather. */
  mdrpMetresPerMinute?: number;
}


