import type { OpenOrder } from '../../src/core/types.js';
import type { MdrpInstance } from '../../src/mdrp/instance.js';
import type { SimulationResult } from '../../src/mdrp/simulate.js';
import type { CourierPlan } from '../../src/core/trip-plan.js';
import type { StateAtT } from './state.js';

/**
 * The run's own plan from T, read off the whole day's result: each pending trip as it was finally
 * picked up (with the orders that joined it after T), then every trip assigned from T on, per
 * courier in the order given. Assignment records are pushed in time order and a join rewrites its
 * record in place, so the first `prefix.assignments.length` records of the whole day are the trips
 * given before T.
 */
export function runPlanFrom(instance: MdrpInstance, state: StateAtT, whole: SimulationResult): CourierPlan[] {
  const orderById = new Map<string, OpenOrder>(instance.orders.map((o) => [o.id, { id: o.id, restaurantId: o.restaurantId, placedAt: o.placedAt, readyAt: o.readyAt, drop: o.drop }]));
  const n = state.prefix.assignments.length;
  const index = new Map(state.couriers.map((c, i) => [c.id, i]));
  const plans: CourierPlan[] = state.couriers.map((c) => ({
    pending: c.pending ? whole.assignments[c.pending.recordIndex].orderIds.map((id) => orderById.get(id)!) : null,
    trips: [],
  }));
  for (const a of whole.assignments.slice(n)) {
    const orders = a.orderIds.map((id) => orderById.get(id)!);
    plans[index.get(a.courierId)!].trips.push({ restaurantId: orders[0].restaurantId, orders });
  }
  return plans;
}
