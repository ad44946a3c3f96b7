import type { DispatchConfig } from '../../src/core/config.js';
import type { RouteStart } from '../../src/core/route.js';
import type { OpenOrder } from '../../src/core/types.js';
import type { MdrpInstance } from '../../src/mdrp/instance.js';
import { simulateInstance, type SimulationResult } from '../../src/mdrp/simulate.js';

/** A trip sent before T whose pickup is still ahead: orders of its restaurant may still join it. */
export interface PendingAtT {
  restaurantId: string;
  /** Its orders at T, in drop-off order (they stay on it). */
  orders: OpenOrder[];
  start: RouteStart;
  givenAt: number;
  /** Index of its record in the prefix's assignments. */
  recordIndex: number;
}

/** A courier as committed at T: free from `start` (after `pending`, if any). */
export interface CourierAtT {
  id: string;
  onTime: number;
  offTime: number;
  start: RouteStart;
  /** The place id it stands at (or last moved to): '0', a restaurant or an order id. */
  site: string;
  pending: PendingAtT | null;
}

/** The exact state of a run at round T, and the day as committed until then. */
export interface StateAtT {
  /** The round's minute (the first round at or after the asked T). */
  now: number;
  couriers: CourierAtT[];
  /** Orders open at T plus every order placed after T, by placement: what a plan from T decides. */
  free: OpenOrder[];
  /** The run until T: assignments (pending trips as at T), deliveries and moves already committed. */
  prefix: SimulationResult;
}

/** Runs the policy up to the first round at or after `at` and takes its state there. */
export function stateAt(instance: MdrpInstance, config: DispatchConfig, at: number): StateAtT {
  let snap: { now: number; couriers: CourierAtT[]; open: OpenOrder[] } | undefined;
  const prefix = simulateInstance(instance, config, {
    until: at,
    onRound: (now, couriers, open) => {
      if (now < at) return;
      snap = {
        now,
        open: open.map((o) => ({ ...o })),
        couriers: couriers.map((c) => ({
          id: c.id,
          onTime: c.onTime,
          offTime: c.offTime,
          start: { at: c.freeAt, loc: c.freeLoc, restaurantId: c.freeRestaurantId },
          site: '0',
          pending: c.pendingTrip
            ? { restaurantId: c.pendingTrip.restaurantId, orders: [...c.pendingTrip.orders], start: { ...c.pendingTrip.start }, givenAt: c.pendingTrip.givenAt, recordIndex: -1 }
            : null,
        })),
      };
    },
  });
  if (!snap) throw new Error(`the run of ${instance.name} has no round at or after ${at} (it ends when every order is handled or every shift is over)`);
  for (const c of snap.couriers) {
    const moves = prefix.moves.get(c.id) ?? [];
    c.site = moves.length > 0 ? moves[moves.length - 1].destination : '0';
    if (c.pending) {
      let idx = -1;
      prefix.assignments.forEach((a, i) => {
        if (a.courierId === c.id) idx = i;
      });
      if (idx < 0) throw new Error(`courier ${c.id} has a pending trip but no assignment`);
      c.pending.recordIndex = idx;
    }
  }
  const now = snap.now;
  const future = instance.orders
    .filter((o) => o.placedAt > now)
    .map((o) => ({ id: o.id, restaurantId: o.restaurantId, placedAt: o.placedAt, readyAt: o.readyAt, drop: o.drop }));
  const free = [...snap.open, ...future].sort((a, b) => a.placedAt - b.placedAt || (a.id < b.id ? -1 : 1));
  return { now, couriers: snap.couriers, free, prefix };
}
