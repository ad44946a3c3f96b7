import { MINUTE } from '../world/time.js';

/** One assignment as the MDRP evaluator sees it: orders in drop-off order, picked up together. */
export interface AssignmentRecord {
  assignedAt: number;
  pickupAt?: number;
  courierId: string;
  orderIds: string[];
}

interface Delivery { orderId: string; placedAt: number; readyAt: number; pickupAt: number; dropoffAt: number; courierId: string }
interface Move { departAt: number; origin: string; destination: string }

/**
 * Records what riders actually did, in the terms of the published MDRP evaluator: assignments,
 * delivered orders, and each courier's chain of moves (origin "0" = its start location).
 */
export class SolutionTrace {
  readonly assignments: AssignmentRecord[] = [];
  private readonly deliveries: Delivery[] = [];
  private readonly moves = new Map<string, Move[]>();
  private readonly place = new Map<string, string>();

  shiftStarted(courierId: string): void {
    if (!this.place.has(courierId)) this.place.set(courierId, '0');
  }

  legStarted(courierId: string, t: number, destination: string): void {
    const origin = this.place.get(courierId) ?? '0';
    if (origin === destination) return;
    let list = this.moves.get(courierId);
    if (!list) this.moves.set(courierId, (list = []));
    list.push({ departAt: t, origin, destination });
    this.place.set(courierId, destination);
  }

  assigned(courierId: string, t: number, orderIds: string[]): AssignmentRecord {
    const rec: AssignmentRecord = { assignedAt: t, courierId, orderIds };
    this.assignments.push(rec);
    return rec;
  }

  delivered(d: Delivery): void {
    this.deliveries.push(d);
  }

  /** The three evaluator files (space-separated, one header line each), times in minutes from `startMs`. */
  format(startMs: number, courierOrder: string[], orderOrder: string[]): { assignments: string; orders: string; couriers: string } {
    const m = (t: number) => String(Math.round(((t - startMs) / MINUTE) * 1000) / 1000);
    const delivered = new Set(this.deliveries.map((d) => d.orderId));
    const assignments = ['assignment_time pickup_time courier_id order_ids'];
    for (const a of this.assignments) {
      const ids = a.orderIds.filter((id) => delivered.has(id));
      if (a.pickupAt !== undefined && ids.length > 0) assignments.push([m(a.assignedAt), m(a.pickupAt), a.courierId, ...ids].join(' '));
    }
    const byOrder = new Map(this.deliveries.map((d) => [d.orderId, d]));
    const orders = ['order placement_time ready_time pickup_time dropoff_time courier'];
    for (const id of orderOrder) {
      const d = byOrder.get(id);
      if (d) orders.push([d.orderId, m(d.placedAt), m(d.readyAt), m(d.pickupAt), m(d.dropoffAt), d.courierId].join(' '));
    }
    const couriers = ['courier_id departure_time origin destination'];
    for (const c of courierOrder) for (const mv of this.moves.get(c) ?? []) couriers.push([c, m(mv.departAt), mv.origin, mv.destination].join(' '));
    const text = (lines: string[]) => lines.join('\n') + '\n';
    return { assignments: text(assignments), orders: text(orders), couriers: text(couriers) };
  }
}
