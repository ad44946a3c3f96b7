import type { DispatchConfig } from '../core/config.js';
import { dispatchRound } from '../core/policy.js';
import { halfService, planRoute } from '../core/route.js';
import { wholeMinuteTravel } from '@riderflow/geo';
import type { CourierView, DemandSample, OpenOrder, Point, TravelTime } from '../core/types.js';
import type { MdrpInstance } from './instance.js';

/** A final assignment: a bundle picked up once by one courier. */
export interface AssignmentRecord {
  assignedAt: number;
  pickupAt: number;
  courierId: string;
  /** In drop-off order. */
  orderIds: string[];
}

export interface DeliveryRecord {
  orderId: string;
  placedAt: number;
  readyAt: number;
  pickupAt: number;
  dropoffAt: number;
  courierId: string;
}

/** A courier's move; origin '0' is its start location, other places are restaurant or order ids. */
export interface MoveRecord {
  courierId: string;
  departAt: number;
  origin: string;
  destination: string;
}

export interface SimulationResult {
  assignments: AssignmentRecord[];
  deliveries: DeliveryRecord[];
  /** Per courier (in instance order), its moves in time order. */
  moves: Map<string, MoveRecord[]>;
  rounds: number;
}

interface CourierState extends CourierView {
  site: string;
}

/**
 * Runs a whole instance day in process. Orders are revealed at their placement time and the
 * dispatcher runs every reoptimizeEveryMin minutes (prepositioning every prepositionEveryMin);
 * couriers carry out exactly the instructions they get, by the MDRP service-time rules, and wait
 * at their last location. Deterministic: same instance and config, same solution.
 */
export function simulateInstance(instance: MdrpInstance, config: DispatchConfig): SimulationResult {
  const travel: TravelTime = wholeMinuteTravel(instance.params.metersPerMinute);
  const service = { pickupServiceMin: instance.params.pickupServiceMin, dropoffServiceMin: instance.params.dropoffServiceMin };
  const cfg: DispatchConfig = { ...config, ...service, payPerOrder: instance.params.payPerOrder, payPerHour: instance.params.payPerHour };
  const hd = halfService(service.dropoffServiceMin);

  const couriers: CourierState[] = instance.couriers.map((c) => ({
    id: c.id,
    onTime: c.onTime,
    offTime: c.offTime,
    freeAt: c.onTime,
    freeLoc: c.start,
    freeRestaurantId: null,
    ordersAssigned: 0,
    site: '0',
  }));
  const courierById = new Map(couriers.map((c) => [c.id, c]));
  const moves = new Map<string, MoveRecord[]>(couriers.map((c) => [c.id, []]));
  const arrivals = [...instance.orders].sort((a, b) => a.placedAt - b.placedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const open = new Map<string, OpenOrder>();
  const dropById = new Map<string, Point>(instance.orders.map((o) => [o.id, o.drop]));
  const recent: DemandSample[] = [];
  const assignments: AssignmentRecord[] = [];
  const deliveries: DeliveryRecord[] = [];
  const lastOff = Math.max(0, ...couriers.map((c) => c.offTime));

  const step = cfg.reoptimizeEveryMin;
  const prepEvery = Math.max(1, Math.round(cfg.prepositionEveryMin / step));
  let next = 0;
  let rounds = 0;
  let now = arrivals.length > 0 ? arrivals[0].placedAt : 0;
  while (now <= lastOff && (next < arrivals.length || open.size > 0)) {
    while (next < arrivals.length && arrivals[next].placedAt <= now) {
      const o = arrivals[next++];
      open.set(o.id, { id: o.id, restaurantId: o.restaurantId, placedAt: o.placedAt, readyAt: o.readyAt, drop: o.drop });
      recent.push({ restaurantId: o.restaurantId, placedAt: o.placedAt });
    }
    // Demand older than the window no longer matters; keep the list short.
    while (recent.length > 0 && recent[0].placedAt <= now - cfg.demandWindowMin) recent.shift();

    const round = dispatchRound(
      { now, couriers, openOrders: [...open.values()], restaurants: instance.restaurants, recentOrders: recent },
      cfg,
      travel,
      { preposition: rounds % prepEvery === 0 },
    );
    rounds++;

    for (const d of round.decisions) {
      const c = courierById.get(d.courierId);
      if (!c) throw new Error(`dispatcher named unknown courier ${d.courierId}`);
      const courierMoves = moves.get(c.id)!;
      if (d.kind === 'reposition') {
        const r = instance.restaurants.get(d.restaurantId)!;
        const departAt = Math.max(now, c.freeAt);
        courierMoves.push({ courierId: c.id, departAt, origin: c.site, destination: r.id });
        c.freeAt = departAt + travel(c.freeLoc, r.loc);
        c.freeLoc = r.loc;
        c.freeRestaurantId = r.id;
        c.site = r.id;
        continue;
      }
      const r = instance.restaurants.get(d.restaurantId)!;
      const orders = d.orderIds.map((id) => {
        const o = open.get(id);
        if (!o) throw new Error(`dispatcher assigned order ${id}, which is not open`);
        if (o.restaurantId !== r.id) throw new Error(`order ${id} is not from restaurant ${r.id}`);
        return o;
      });
      // The courier does what the rules say, whatever the dispatcher planned.
      const plan = planRoute({ at: c.freeAt, loc: c.freeLoc, restaurantId: c.freeRestaurantId }, now, r.id, r.loc, orders, travel, service);
      if (plan.pickupAt > c.offTime) throw new Error(`dispatcher sent courier ${c.id} to pick up after its off time`);
      if (c.site !== r.id) courierMoves.push({ courierId: c.id, departAt: plan.departAt, origin: c.site, destination: r.id });
      let from = r.id;
      let leave = plan.leaveRestaurantAt;
      orders.forEach((o, i) => {
        courierMoves.push({ courierId: c.id, departAt: leave, origin: from, destination: o.id });
        deliveries.push({ orderId: o.id, placedAt: o.placedAt, readyAt: o.readyAt, pickupAt: plan.pickupAt, dropoffAt: plan.dropoffs[i], courierId: c.id });
        from = o.id;
        leave = plan.dropoffs[i] + hd;
        open.delete(o.id);
      });
      assignments.push({ assignedAt: now, pickupAt: plan.pickupAt, courierId: c.id, orderIds: d.orderIds });
      const last = orders[orders.length - 1];
      c.freeAt = plan.endAt;
      c.freeLoc = dropById.get(last.id)!;
      c.freeRestaurantId = null;
      c.site = last.id;
      c.ordersAssigned += orders.length;
    }
    now += step;
  }
  return { assignments, deliveries, moves, rounds };
}
