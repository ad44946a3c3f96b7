import { createHash } from 'node:crypto';
import type { LogEvent } from '@riderflow/contracts';
import type { World } from '../world/world.js';
import { Simulation, type SimulationSettings } from './simulation.js';

export interface Digest {
  world: string;
  orders: string;
  /** Orders covered by `orders` (fewer than asked when the run places fewer). */
  orderCount: number;
  combined: string;
}

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A fingerprint of everything the seed fixes: the world itself. */
export function hashWorld(world: World): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ kind: world.kind, name: world.name, c: [world.projection.centreLat, world.projection.centreLon], zones: world.zones, grid: world.grid }));
  for (const s of world.stores) h.update(JSON.stringify(s));
  for (const c of world.customers) h.update(`${c.id},${c.zoneIndex},${c.pos.x},${c.pos.y};`);
  for (const r of world.riders) h.update(`${r.id},${r.homeZoneIndex},${r.vehicle},${r.speedMps};`);
  return h.digest('hex');
}

/**
 * The world hash plus the first `n` orders and the weather up to them. Demand and weather do not
 * depend on riders or instructions, so a rider-less dry run of the same timeline yields exactly
 * the orders the live run will create.
 */
export function computeDigest(world: World, settings: SimulationSettings, n = 100): Digest {
  const dry = new Simulation({ ...world, riders: [] }, { ...settings, history: false, scriptedShifts: undefined });
  const h = createHash('sha256');
  let orders = 0;
  const batch: LogEvent[] = [];
  const stepMs = 60 * 60_000;
  while (orders < n && !dry.done && dry.nextAt !== Infinity) {
    batch.length = 0;
    dry.advance(dry.now + stepMs, batch);
    for (const e of batch) {
      if (e.type === 'order.created') {
        if (orders >= n) break;
        orders++;
        h.update(JSON.stringify(e));
      } else if (e.type === 'weather.updated') {
        h.update(JSON.stringify(e));
      }
    }
  }
  const world_ = hashWorld(world);
  const orders_ = h.digest('hex');
  return { world: world_, orders: orders_, orderCount: orders, combined: sha(world_ + orders_) };
}

export function formatDigest(d: Digest): string {
  return `digest ${d.combined.slice(0, 16)} (world ${d.world.slice(0, 12)}, first ${d.orderCount} orders ${d.orders.slice(0, 12)})`;
}
