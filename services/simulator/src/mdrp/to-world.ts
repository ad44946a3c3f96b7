import type { PlannedOrder } from '../world/demand.js';
import { createProjection, type Point } from '@riderflow/geo';
import { CITY_CENTRE } from '../world/city.js';
import type { Shift } from '../world/shifts.js';
import { MINUTE } from '../world/time.js';
import { buildGrid, zoneIndexAt, type World } from '../world/world.js';
import type { MdrpInstance } from './reader.js';

export interface MdrpScenario {
  world: World;
  orders: PlannedOrder[];
  shifts: Map<string, { shift: Shift; startPos: Point }>;
  /** Simulated time by which every courier is off duty and every order is placed. */
  lastEventMs: number;
}

/**
 * Lays an instance onto the city: the instance's bounding box is centred on the city centre,
 * metres stay metres (the projection is linear), so distances and the instance's travel times
 * ceil(distance / meters_per_minute) are kept exactly. Ids stay the instance's own (o1, r1, c1),
 * so a dispatcher can write solutions the published evaluator reads.
 */
export function mdrpToScenario(inst: MdrpInstance, startMs: number, zoneCount: number): MdrpScenario {
  const pts = [...inst.restaurants, ...inst.orders, ...inst.couriers];
  const minX = Math.min(...pts.map((p) => p.x)), maxX = Math.max(...pts.map((p) => p.x));
  const minY = Math.min(...pts.map((p) => p.y)), maxY = Math.max(...pts.map((p) => p.y));
  const cx = (minX + maxX) / 2, cy = (minY + maxY) / 2;
  const local = (p: { x: number; y: number }): Point => ({ x: p.x - cx, y: p.y - cy });
  const width = Math.max(1, maxX - minX) + 1, height = Math.max(1, maxY - minY) + 1;
  const { grid, centres } = buildGrid(zoneCount, minX - cx, minY - cy, width, height);
  const zones = centres.map((centre, index) => ({ id: `z${String(index + 1).padStart(String(zoneCount).length, '0')}`, name: `${inst.name} zone ${index + 1}`, index, centre, weight: 1 }));
  const partial: Omit<World, 'stores' | 'customers' | 'riders'> = {
    kind: 'mdrp',
    name: `MDRP ${inst.name}`,
    projection: createProjection(CITY_CENTRE.lat, CITY_CENTRE.lon),
    zones,
    grid,
    pickupServiceMs: inst.params.pickupServiceMinutes * MINUTE,
    dropoffServiceMs: inst.params.dropoffServiceMinutes * MINUTE,
    mdrpMetresPerMinute: inst.params.metersPerMinute,
  };
  const storeIndex = new Map(inst.restaurants.map((r, i) => [r.id, i]));
  const prep = new Map<string, number[]>();
  for (const o of inst.orders) prep.set(o.restaurant, [...(prep.get(o.restaurant) ?? []), o.readyTime - o.placementTime]);
  const stores = inst.restaurants.map((r) => {
    const p = prep.get(r.id) ?? [15];
    const mean = p.reduce((s, v) => s + v, 0) / p.length;
    const pos = local(r);
    return { id: r.id, name: `Restaurant ${r.id}`, zoneIndex: zoneIndexAt(grid, pos), pos, prepMeanMin: mean, prepSdMin: 0, popularity: 1 };
  });
  const customers = inst.orders.map((o) => {
    const pos = local(o);
    return { id: `cust-${o.id}`, zoneIndex: zoneIndexAt(grid, pos), pos };
  });
  const riders = inst.couriers.map((c) => ({ id: c.id, homeZoneIndex: zoneIndexAt(grid, local(c)), vehicle: 'bike' as const, speedMps: inst.params.metersPerMinute / 60 }));
  const orders: PlannedOrder[] = inst.orders
    .map((o, i) => ({
      seq: i,
      id: o.id,
      storeIndex: storeIndex.get(o.restaurant)!,
      customerIndex: i,
      zoneIndex: customers[i].zoneIndex,
      placedAt: startMs + o.placementTime * MINUTE,
      readyAt: startMs + o.readyTime * MINUTE,
      expectedReadyAt: startMs + o.readyTime * MINUTE,
    }))
    .sort((a, b) => a.placedAt - b.placedAt || a.seq - b.seq);
  const shifts = new Map(inst.couriers.map((c) => [c.id, { shift: { start: startMs + c.onTime * MINUTE, end: startMs + c.offTime * MINUTE }, startPos: local(c) }]));
  const lastEventMs = startMs + Math.max(...inst.couriers.map((c) => c.offTime), ...inst.orders.map((o) => o.placementTime)) * MINUTE;
  return { world: { ...partial, stores, customers, riders }, orders, shifts, lastEventMs };
}
