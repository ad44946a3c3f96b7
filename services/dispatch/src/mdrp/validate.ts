import { wholeMinuteTravel } from '@riderflow/geo';
import type { Point } from '../core/types.js';
import type { MdrpInstance } from './instance.js';
import type { DeliveryRecord } from './simulate.js';
import { ORDERS_HEADER, type SolutionTexts, SOLUTION_FILES } from './solution.js';

/** The rules a solution must satisfy (those of the MDRP README and the published evaluator). */
export type Rule =
  | 'format'
  | 'unknown-id'
  | 'order-once'
  | 'orders-file-mismatch'
  | 'bundle-restaurant'
  | 'assigned-before-placement'
  | 'pickup-after-off-time'
  | 'pickup-before-ready'
  | 'pickup-before-arrival-service'
  | 'dropoff-spacing'
  | 'pickup-before-dropoffs'
  | 'dropoff-before-arrival-service'
  | 'move-chain'
  | 'move-back-in-time'
  | 'courier-not-at-restaurant'
  | 'courier-not-at-customer'
  | 'left-during-service';

export interface Violation {
  rule: Rule;
  file: string;
  line: number;
  message: string;
}

export interface ParsedAssignment {
  line: number;
  assignedAt: number;
  pickupAt: number;
  courierId: string;
  orderIds: string[];
}

export interface ParsedDelivery extends DeliveryRecord {
  line: number;
}

export interface ParsedMove {
  line: number;
  courierId: string;
  departAt: number;
  origin: string;
  destination: string;
}

export interface ParsedSolution {
  assignments: ParsedAssignment[];
  deliveries: ParsedDelivery[];
  moves: ParsedMove[];
}

/** A courier standing at a place from arriveAt to leaveAt (Infinity when it never leaves). */
interface Stay {
  place: string;
  arriveAt: number;
  leaveAt: number;
}

export function parseSolution(texts: SolutionTexts, violations: Violation[]): ParsedSolution {
  const bad = (file: string, line: number, message: string) => violations.push({ rule: 'format', file, line, message });
  const num = (s: string | undefined) => (s !== undefined && s !== '' && Number.isFinite(Number(s)) ? Number(s) : NaN);
  const lines = (text: string) => text.split('\n').map((l, i) => ({ n: i + 1, cells: l.trim() === '' ? [] : l.trim().split(' ') }));

  const assignments: ParsedAssignment[] = [];
  for (const { n, cells } of lines(texts.assignments).slice(1)) {
    if (cells.length === 0) continue;
    const [at, pickup, courierId, ...orderIds] = cells;
    if (orderIds.length === 0 || Number.isNaN(num(at)) || Number.isNaN(num(pickup))) {
      bad(SOLUTION_FILES.assignments, n, 'expected: assignment_time pickup_time courier_id order_id [order_id ...]');
      continue;
    }
    assignments.push({ line: n, assignedAt: num(at), pickupAt: num(pickup), courierId, orderIds });
  }

  const deliveries: ParsedDelivery[] = [];
  const orderLines = lines(texts.orders);
  if (texts.orders.split('\n')[0] !== ORDERS_HEADER) bad(SOLUTION_FILES.orders, 1, `header must be '${ORDERS_HEADER}'`);
  for (const { n, cells } of orderLines.slice(1)) {
    if (cells.length === 0) continue;
    const [orderId, placed, ready, pickup, drop, courierId] = cells;
    const times = [placed, ready, pickup, drop].map(num);
    if (cells.length !== 6 || times.some(Number.isNaN)) {
      bad(SOLUTION_FILES.orders, n, 'expected: order placement_time ready_time pickup_time dropoff_time courier');
      continue;
    }
    deliveries.push({ line: n, orderId, placedAt: times[0], readyAt: times[1], pickupAt: times[2], dropoffAt: times[3], courierId });
  }

  const moves: ParsedMove[] = [];
  lines(texts.couriers).forEach(({ n, cells }, i) => {
    if (cells.length === 0) return;
    if (i === 0 && Number.isNaN(num(cells[1]))) return; // header line
    const [courierId, dep, origin, destination] = cells;
    if (cells.length !== 4 || Number.isNaN(num(dep))) {
      bad(SOLUTION_FILES.couriers, n, 'expected: courier_id departure_time origin destination');
      return;
    }
    moves.push({ line: n, courierId, departAt: num(dep), origin, destination });
  });
  return { assignments, deliveries, moves };
}

/**
 * Checks a solution, as written, against every rule; returns the violations (none when valid).
 * Travel times are ceil(distance / metres per minute), as the evaluator computes them.
 */
export function validateSolution(instance: MdrpInstance, texts: SolutionTexts): { violations: Violation[]; solution: ParsedSolution } {
  const violations: Violation[] = [];
  const solution = parseSolution(texts, violations);
  const add = (rule: Rule, file: string, line: number, message: string) => violations.push({ rule, file, line, message });
  const A = SOLUTION_FILES.assignments;
  const O = SOLUTION_FILES.orders;
  const C = SOLUTION_FILES.couriers;
  const { params } = instance;
  const halfPickup = params.pickupServiceMin / 2;
  const halfDrop = params.dropoffServiceMin / 2;
  const travel = wholeMinuteTravel(params.metersPerMinute);
  const orders = new Map(instance.orders.map((o) => [o.id, o]));
  const couriers = new Map(instance.couriers.map((c) => [c.id, c]));

  // Moves: contiguous per courier, chained from its start, never back in time.
  const stays = new Map<string, Stay[]>();
  const seenBlocks = new Set<string>();
  let prevCourier: string | null = null;
  for (const m of solution.moves) {
    const courier = couriers.get(m.courierId);
    if (!courier) {
      add('unknown-id', C, m.line, `unknown courier '${m.courierId}'`);
      continue;
    }
    if (m.courierId !== prevCourier) {
      if (seenBlocks.has(m.courierId)) add('move-chain', C, m.line, `moves of courier ${m.courierId} are not one contiguous block`);
      seenBlocks.add(m.courierId);
      prevCourier = m.courierId;
    }
    let list = stays.get(m.courierId);
    if (!list) {
      list = [{ place: '0', arriveAt: courier.onTime, leaveAt: Infinity }];
      stays.set(m.courierId, list);
    }
    const here = list[list.length - 1];
    const from = placeLoc(instance, orders, m.origin, courier.start);
    const to = m.destination === '0' ? undefined : placeLoc(instance, orders, m.destination, courier.start);
    if (!from || !to) {
      add('unknown-id', C, m.line, `unknown place '${!from ? m.origin : m.destination}'`);
      continue;
    }
    if (m.origin !== here.place) add('move-chain', C, m.line, `courier ${m.courierId} leaves from ${m.origin} but is at ${here.place}`);
    if (m.departAt < here.arriveAt) {
      add('move-back-in-time', C, m.line, `courier ${m.courierId} departs at ${m.departAt}, before it arrived (${here.arriveAt}${list.length === 1 ? ', its on_time' : ''})`);
    }
    here.leaveAt = m.departAt;
    list.push({ place: m.destination, arriveAt: m.departAt + travel(from, to), leaveAt: Infinity });
  }
  // The evaluator's lookup: where a courier is at time t is the last place it reached strictly before t.
  const stayAt = (courierId: string, t: number): Stay | undefined => {
    const list = stays.get(courierId);
    if (!list) return undefined;
    let found: Stay | undefined;
    for (const s of list) if (s.arriveAt < t) found = s;
    return found && t <= found.leaveAt ? found : undefined;
  };

  const assignmentOf = new Map<string, ParsedAssignment>();
  for (const a of solution.assignments) {
    const courier = couriers.get(a.courierId);
    if (!courier) add('unknown-id', A, a.line, `unknown courier '${a.courierId}'`);
    let restaurantId: string | null = null;
    for (const id of a.orderIds) {
      const o = orders.get(id);
      if (!o) {
        add('unknown-id', A, a.line, `unknown order '${id}'`);
        continue;
      }
      if (assignmentOf.has(id)) add('order-once', A, a.line, `order ${id} is also in the assignment on line ${assignmentOf.get(id)!.line}`);
      else assignmentOf.set(id, a);
      if (restaurantId !== null && o.restaurantId !== restaurantId) add('bundle-restaurant', A, a.line, `order ${id} is from ${o.restaurantId}, not ${restaurantId}`);
      restaurantId ??= o.restaurantId;
      if (a.assignedAt < o.placedAt) add('assigned-before-placement', A, a.line, `order ${id} assigned at ${a.assignedAt}, placed at ${o.placedAt}`);
      if (a.pickupAt < o.readyAt) add('pickup-before-ready', A, a.line, `pickup at ${a.pickupAt} before order ${id} is ready at ${o.readyAt}`);
    }
    if (!courier || restaurantId === null) continue;
    if (a.pickupAt > courier.offTime) add('pickup-after-off-time', A, a.line, `pickup at ${a.pickupAt} after courier ${courier.id}'s off_time ${courier.offTime}`);
    const stay = stayAt(courier.id, a.pickupAt);
    if (!stay || stay.place !== restaurantId) {
      add('courier-not-at-restaurant', A, a.line, `courier ${courier.id} is at ${stay?.place ?? 'no place (moving or off the chain)'} at pickup ${a.pickupAt}, not at ${restaurantId}`);
      continue;
    }
    if (a.pickupAt < stay.arriveAt + halfPickup) add('pickup-before-arrival-service', A, a.line, `pickup at ${a.pickupAt} but courier ${courier.id} arrived at ${stay.arriveAt} (half service ${halfPickup})`);
    if (stay.leaveAt < a.pickupAt + halfPickup) add('left-during-service', A, a.line, `courier ${courier.id} leaves ${restaurantId} at ${stay.leaveAt}, within half a service of pickup ${a.pickupAt}`);
  }

  const deliveryOf = new Map<string, ParsedDelivery>();
  for (const d of solution.deliveries) {
    const o = orders.get(d.orderId);
    if (!o) {
      add('unknown-id', O, d.line, `unknown order '${d.orderId}'`);
      continue;
    }
    if (deliveryOf.has(d.orderId)) add('order-once', O, d.line, `order ${d.orderId} is listed twice`);
    deliveryOf.set(d.orderId, d);
    const a = assignmentOf.get(d.orderId);
    if (!a) {
      add('orders-file-mismatch', O, d.line, `order ${d.orderId} is delivered but in no assignment`);
      continue;
    }
    if (d.placedAt !== o.placedAt || d.readyAt !== o.readyAt) add('orders-file-mismatch', O, d.line, `placement/ready times of ${d.orderId} differ from the instance`);
    if (d.pickupAt !== a.pickupAt || d.courierId !== a.courierId) add('orders-file-mismatch', O, d.line, `pickup/courier of ${d.orderId} differ from its assignment (line ${a.line})`);
    if (d.dropoffAt < d.pickupAt) add('orders-file-mismatch', O, d.line, `drop-off before pickup`);
    const stay = stayAt(d.courierId, d.dropoffAt);
    if (!stay || stay.place !== d.orderId) {
      add('courier-not-at-customer', O, d.line, `courier ${d.courierId} is at ${stay?.place ?? 'no place (moving or off the chain)'} at drop-off ${d.dropoffAt}, not at ${d.orderId}`);
      continue;
    }
    if (d.dropoffAt < stay.arriveAt + halfDrop) add('dropoff-before-arrival-service', O, d.line, `drop-off at ${d.dropoffAt} but courier arrived at ${stay.arriveAt}`);
    if (stay.leaveAt < d.dropoffAt + halfDrop) add('left-during-service', O, d.line, `courier ${d.courierId} leaves ${d.orderId} at ${stay.leaveAt}, within half a service of drop-off ${d.dropoffAt}`);
  }
  for (const a of solution.assignments) {
    let prev: ParsedDelivery | undefined;
    for (const id of a.orderIds) {
      const d = deliveryOf.get(id);
      if (!d) {
        if (orders.has(id)) add('orders-file-mismatch', A, a.line, `order ${id} is assigned but has no line in ${O}`);
        continue;
      }
      if (prev && d.dropoffAt < prev.dropoffAt + params.dropoffServiceMin) {
        add('dropoff-spacing', O, d.line, `drop-off of ${id} at ${d.dropoffAt} less than ${params.dropoffServiceMin} min after ${prev.orderId} at ${prev.dropoffAt}`);
      }
      prev = d;
    }
  }
  // MDRP: a courier drops off every order of a pickup before its next pickup (pickups at the same
  // time are at the same restaurant, one trip); the joint certificate's relaxation relies on it
  const byCourier = new Map<string, ParsedAssignment[]>();
  for (const a of solution.assignments) byCourier.set(a.courierId, [...(byCourier.get(a.courierId) ?? []), a]);
  for (const list of byCourier.values()) {
    const sorted = [...list].sort((x, y) => x.pickupAt - y.pickupAt);
    for (const a of sorted) {
      const next = sorted.find((b) => b.pickupAt > a.pickupAt);
      if (!next) continue;
      for (const id of a.orderIds) {
        const d = deliveryOf.get(id);
        if (d && d.dropoffAt >= next.pickupAt) {
          add('pickup-before-dropoffs', A, next.line, `courier ${a.courierId} picks up at ${next.pickupAt} before dropping off ${id} (at ${d.dropoffAt}, picked up at ${a.pickupAt})`);
        }
      }
    }
  }
  return { violations, solution };
}

function placeLoc(instance: MdrpInstance, orders: ReadonlyMap<string, { drop: Point }>, id: string, courierStart: Point): Point | undefined {
  if (id === '0') return courierStart;
  return instance.restaurants.get(id)?.loc ?? orders.get(id)?.drop;
}
