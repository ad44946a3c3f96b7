import { halfService } from '../../src/core/route.js';
import type { OpenOrder } from '../../src/core/types.js';
import type { AssignmentRecord, DeliveryRecord, MoveRecord, SimulationResult } from '../../src/mdrp/simulate.js';
import { timeCourierPlan, type CourierPlan, type PlanContext } from '../../src/core/trip-plan.js';
import type { StateAtT } from './state.js';

/**
 * The whole day's solution: the run as committed until T, then the plans from T. A pending trip
 * that takes more orders is rewritten as a join would (its record dated max(T, placements), its
 * drop-off moves and deliveries replaced); each new trip is assigned at max(T, its placements),
 * leaves as soon as the courier is free (a move to the restaurant unless it is there already) and
 * drops off in order. Throws if a plan picks up after an off_time (the validator would say so too).
 */
export function spliceSolution(state: StateAtT, plans: readonly CourierPlan[], ctx: PlanContext): SimulationResult {
  const hd = halfService(ctx.service.dropoffServiceMin);
  const assignments: AssignmentRecord[] = state.prefix.assignments.map((a) => ({ ...a, orderIds: [...a.orderIds] }));
  let deliveries: DeliveryRecord[] = state.prefix.deliveries.map((d) => ({ ...d }));
  const moves = new Map<string, MoveRecord[]>();
  const added: AssignmentRecord[] = [];
  state.couriers.forEach((c, ci) => {
    const plan = plans[ci];
    const timed = timeCourierPlan(c, plan, ctx);
    if (!timed.feasible) throw new Error(`the plan of courier ${c.id} picks up after its off_time ${c.offTime}`);
    const list = (state.prefix.moves.get(c.id) ?? []).map((m) => ({ ...m }));
    const dropMoves = (from: string, leave: number, orders: readonly OpenOrder[], dropoffs: readonly number[], pickupAt: number) => {
      orders.forEach((o, i) => {
        list.push({ courierId: c.id, departAt: leave, origin: from, destination: o.id });
        deliveries.push({ orderId: o.id, placedAt: o.placedAt, readyAt: o.readyAt, pickupAt, dropoffAt: dropoffs[i], courierId: c.id });
        from = o.id;
        leave = dropoffs[i] + hd;
      });
    };
    let site = c.site;
    if (c.pending && plan.pending && timed.pendingRoute) {
      const p = c.pending;
      const before = new Set(p.orders.map((o) => o.id));
      const changed = plan.pending.length !== p.orders.length || plan.pending.some((o, i) => o.id !== p.orders[i].id);
      if (changed) {
        const route = timed.pendingRoute;
        list.splice(list.length - p.orders.length, p.orders.length);
        deliveries = deliveries.filter((d) => !before.has(d.orderId));
        const record = assignments[p.recordIndex];
        record.assignedAt = Math.max(state.now, record.assignedAt, ...plan.pending.map((o) => o.placedAt));
        record.pickupAt = route.pickupAt;
        record.orderIds = plan.pending.map((o) => o.id);
        dropMoves(p.restaurantId, route.leaveRestaurantAt, plan.pending, route.dropoffs, route.pickupAt);
      }
      site = plan.pending[plan.pending.length - 1].id;
    }
    plan.trips.forEach((trip, ti) => {
      const route = timed.routes[ti];
      if (site !== trip.restaurantId) list.push({ courierId: c.id, departAt: route.departAt, origin: site, destination: trip.restaurantId });
      dropMoves(trip.restaurantId, route.leaveRestaurantAt, trip.orders, route.dropoffs, route.pickupAt);
      added.push({ assignedAt: Math.max(state.now, ...trip.orders.map((o) => o.placedAt)), pickupAt: route.pickupAt, courierId: c.id, orderIds: trip.orders.map((o) => o.id) });
      site = trip.orders[trip.orders.length - 1].id;
    });
    moves.set(c.id, list);
  });
  added.sort((a, b) => a.assignedAt - b.assignedAt);
  return { assignments: [...assignments, ...added], deliveries, moves, rounds: state.prefix.rounds };
}
