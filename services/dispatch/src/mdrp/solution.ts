import type { MdrpInstance } from './instance.js';
import type { SimulationResult } from './simulate.js';

export const SOLUTION_FILES = {
  assignments: 'solution_info_assignments.txt',
  orders: 'solution_info_orders.txt',
  couriers: 'solution_info_couriers.txt',
} as const;

export type SolutionTexts = Record<keyof typeof SOLUTION_FILES, string>;

export const ASSIGNMENTS_HEADER = 'assignment_time pickup_time courier_id order_ids';
export const ORDERS_HEADER = 'order placement_time ready_time pickup_time dropoff_time courier';
export const COURIERS_HEADER = 'courier_id departure_time origin destination';

/** The three files the published evaluator reads: space-separated, one header line each. */
export function formatSolution(instance: MdrpInstance, result: SimulationResult): SolutionTexts {
  const assignments = [ASSIGNMENTS_HEADER];
  for (const a of result.assignments) assignments.push([a.assignedAt, a.pickupAt, a.courierId, ...a.orderIds].join(' '));

  const byOrder = new Map(result.deliveries.map((d) => [d.orderId, d]));
  const orders = [ORDERS_HEADER];
  for (const o of instance.orders) {
    const d = byOrder.get(o.id);
    if (d) orders.push([d.orderId, d.placedAt, d.readyAt, d.pickupAt, d.dropoffAt, d.courierId].join(' '));
  }

  const couriers = [COURIERS_HEADER];
  for (const c of instance.couriers) {
    for (const m of result.moves.get(c.id) ?? []) couriers.push([m.courierId, m.departAt, m.origin, m.destination].join(' '));
  }
  const text = (lines: string[]) => lines.join('\n') + '\n';
  return { assignments: text(assignments), orders: text(orders), couriers: text(couriers) };
}
