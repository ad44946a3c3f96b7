import type { DispatchConfig } from '../core/config.js';
import { dispatchRound } from '../core/policy.js';
import type { EndgameCarry } from '../core/endgame-carry.js';
import { halfService, planRoute, type RouteStart } from '../core/route.js';
import { wholeMinuteTravel } from '@riderflow/geo';
import type { CourierView, DemandSample, JoinDecision, OpenOrder, Point, RoutePlan, TravelTime } from '../core/types.js';
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
  /** The last trip it was sent on, with its records (rewritten when orders join it before its pickup). */
  trip: SentTrip | null;
}

interface SentTrip {
  restaurantId: string;
  start: RouteStart;
  givenAt: number;
  orders: OpenOrder[];
  plan: RoutePlan;
  record: AssignmentRecord;
}

/** The policy an MDRP day runs: the given config with the instance's service times and pay, and MDRP's own rules. */
export function mdrpPolicy(config: DispatchConfig, instance: Pick<MdrpInstance, 'params'>): DispatchConfig {
  const service = { pickupServiceMin: instance.params.pickupServiceMin, dropoffServiceMin: instance.params.dropoffServiceMin };
  // The instance's rules, not the live platform's: MDRP cancels no order left unassigned, so there
  // is no deadline to commit by (commitByAgeMin exists for the live platform's 20-minute cancellation).
  return {
    ...config,
    ...service,
    payPerOrder: instance.params.payPerOrder,
    payPerHour: instance.params.payPerHour,
    commitByAgeMin: 0,
  };
}

/**
 * Runs a whole instance day in process. Orders are revealed at their placement time and the
 * dispatcher runs every reoptimizeEveryMin minutes (prepositioning every prepositionEveryMin);
 * couriers carry out exactly the instructions they get, by the MDRP service-time rules, and wait
 * at their last location. Deterministic: same instance and config, same solution.
 */
export function simulateInstance(
  instance: MdrpInstance,
  config: DispatchConfig,
  hooks: {
    onRound?: (now: number, couriers: readonly CourierView[], open: readonly OpenOrder[]) => void;
    /**
     * Diagnostics only (bench/miss-search.ts): stop at the first round at or after this minute,
     * after onRound and before its dispatch, so the result is the day as committed until then.
     */
    until?: number;
  } = {},
): SimulationResult {
  const travel: TravelTime = wholeMinuteTravel(instance.params.metersPerMinute);
  const cfg = mdrpPolicy(config, instance);
  const service = { pickupServiceMin: cfg.pickupServiceMin, dropoffServiceMin: cfg.dropoffServiceMin };
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
    trip: null,
  }));
  const courierById = new Map(couriers.map((c) => [c.id, c]));
  const moves = new Map<string, MoveRecord[]>(couriers.map((c) => [c.id, []]));
  const arrivals = [...instance.orders].sort((a, b) => a.placedAt - b.placedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const open = new Map<string, OpenOrder>();
  const dropById = new Map<string, Point>(instance.orders.map((o) => [o.id, o.drop]));
  const recent: DemandSample[] = [];
  const assignments: AssignmentRecord[] = [];
  let deliveries: DeliveryRecord[] = [];
  const lastOff = Math.max(0, ...couriers.map((c) => c.offTime));

  const step = cfg.reoptimizeEveryMin;
  const prepEvery = Math.max(1, Math.round(cfg.prepositionEveryMin / step));
  let next = 0;
  let rounds = 0;
  let endgameCarry: EndgameCarry | null = null;
  let now = arrivals.length > 0 ? arrivals[0].placedAt : 0;
  while (now <= lastOff && (next < arrivals.length || open.size > 0)) {
    while (next < arrivals.length && arrivals[next].placedAt <= now) {
      const o = arrivals[next++];
      open.set(o.id, { id: o.id, restaurantId: o.restaurantId, placedAt: o.placedAt, readyAt: o.readyAt, drop: o.drop });
      recent.push({ restaurantId: o.restaurantId, placedAt: o.placedAt });
    }
    // Demand older than the window no longer matters; keep the list short.
    while (recent.length > 0 && recent[0].placedAt <= now - cfg.demandWindowMin) recent.shift();

    // a trip whose pickup is still ahead can take more orders of its restaurant (core/join.ts)
    for (const c of couriers) {
      c.pendingTrip =
        c.trip && now < c.trip.plan.pickupAt
          ? { restaurantId: c.trip.restaurantId, orders: c.trip.orders, start: c.trip.start, givenAt: c.trip.givenAt, plan: c.trip.plan }
          : null;
    }
    hooks.onRound?.(now, couriers, [...open.values()]);
    if (hooks.until !== undefined && now >= hooks.until) break;
    const round = dispatchRound(
      { now, couriers, openOrders: [...open.values()], restaurants: instance.restaurants, recentOrders: recent },
      cfg,
      travel,
      { preposition: rounds % prepEvery === 0, endgameCarry },
    );
    // endgameCarryPlan: the planner's plan goes to the next round (the core keeps no state)
    endgameCarry = round.endgameCarry;
    rounds++;

    for (const d of round.decisions) {
      const c = courierById.get(d.courierId);
      if (!c) throw new Error(`dispatcher named unknown courier ${d.courierId}`);
      const courierMoves = moves.get(c.id)!;
      if (d.kind === 'join') {
        deliveries = joinTrip(c, d, now, open, courierMoves, deliveries, instance, travel, service);
        continue;
      }
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
      const start: RouteStart = { at: c.freeAt, loc: c.freeLoc, restaurantId: c.freeRestaurantId };
      const plan = planRoute(start, now, r.id, r.loc, orders, travel, service);
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
      const record: AssignmentRecord = { assignedAt: now, pickupAt: plan.pickupAt, courierId: c.id, orderIds: d.orderIds };
      assignments.push(record);
      c.trip = { restaurantId: r.id, start, givenAt: now, orders, plan, record };
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

/**
 * Orders join a courier's trip before its pickup: the trip is re-planned from where and when it was
 * given (the drive to the restaurant is unchanged; the pickup waits for the latest ready time) and
 * its records are rewritten: the assignment carries the new orders and is dated now (an
 * assignment is never dated before its orders are placed), the drop-off moves and deliveries
 * follow the new tour. Anything the rules do not allow throws, as for assignments.
 */
function joinTrip(
  c: CourierState,
  d: JoinDecision,
  now: number,
  open: Map<string, OpenOrder>,
  courierMoves: MoveRecord[],
  deliveries: DeliveryRecord[],
  instance: MdrpInstance,
  travel: TravelTime,
  service: { pickupServiceMin: number; dropoffServiceMin: number },
): DeliveryRecord[] {
  const trip = c.trip;
  if (!trip || now >= trip.plan.pickupAt || trip.restaurantId !== d.restaurantId) throw new Error(`dispatcher joined orders to courier ${c.id}, which has no trip to ${d.restaurantId} before its pickup`);
  const previous = new Map(trip.orders.map((o) => [o.id, o]));
  const orders = d.orderIds.map((id) => {
    const o = previous.get(id) ?? open.get(id);
    if (!o) throw new Error(`dispatcher joined order ${id}, which is not open`);
    if (o.restaurantId !== trip.restaurantId) throw new Error(`order ${id} is not from restaurant ${trip.restaurantId}`);
    return o;
  });
  if (new Set(d.orderIds).size !== orders.length || trip.orders.some((o) => !d.orderIds.includes(o.id))) throw new Error(`join for courier ${c.id} must keep every order of its trip once`);
  const r = instance.restaurants.get(trip.restaurantId)!;
  const plan = planRoute(trip.start, trip.givenAt, r.id, r.loc, orders, travel, service);
  if (plan.pickupAt > c.offTime) throw new Error(`dispatcher made courier ${c.id} pick up after its off time`);
  const hd = halfService(service.dropoffServiceMin);
  // the trip's drop-off moves are the courier's last moves (nothing is sent to it before the pickup)
  courierMoves.splice(courierMoves.length - trip.orders.length, trip.orders.length);
  const kept = deliveries.filter((x) => !previous.has(x.orderId));
  let from = r.id;
  let leave = plan.leaveRestaurantAt;
  orders.forEach((o, i) => {
    courierMoves.push({ courierId: c.id, departAt: leave, origin: from, destination: o.id });
    kept.push({ orderId: o.id, placedAt: o.placedAt, readyAt: o.readyAt, pickupAt: plan.pickupAt, dropoffAt: plan.dropoffs[i], courierId: c.id });
    from = o.id;
    leave = plan.dropoffs[i] + hd;
    open.delete(o.id);
  });
  trip.record.assignedAt = now;
  trip.record.pickupAt = plan.pickupAt;
  trip.record.orderIds = d.orderIds;
  c.ordersAssigned += orders.length - trip.orders.length;
  c.trip = { ...trip, orders, plan };
  const last = orders[orders.length - 1];
  c.freeAt = plan.endAt;
  c.freeLoc = last.drop;
  c.freeRestaurantId = null;
  c.site = last.id;
  return kept;
}
